/**
 * The key hierarchy of a record batch (docs/architecture/records-and-keys.md).
 *
 * - A key-encryption key (KEK): 32 random bytes per batch and category. It is
 *   the only key that is HPKE-wrapped to readers and Shamir-split among keepers.
 * - Per-resource data keys (DEKs): AES-256-GCM keys derived from the KEK with
 *   HKDF-SHA256 (RFC 5869): salt = the batch id (32 bytes), info =
 *   "medchain/dek/v1" || uint32be(index). Deriving costs one HMAC chain instead
 *   of one HPKE wrap per resource and per reader.
 * - A commitment key: an HMAC-SHA256 key derived the same way with info
 *   "medchain/commit/v1", used to salt the on-chain commitments.
 *
 * Import the KEK once per batch and category ({@link importKek}) and derive
 * from the imported key ({@link deriveDekFrom}); {@link deriveDek} re-imports
 * on every call.
 */
import { MedchainError } from "../errors.ts";
import { asBufferSource, concatBytes, fromHex, randomBytes, utf8Encode } from "./bytes.ts";

/** KEK length in bytes. */
export const KEK_LENGTH = 32;
/** Batch id length in bytes (a bytes32). */
export const BATCH_ID_LENGTH = 32;

const DEK_INFO_PREFIX = utf8Encode("medchain/dek/v1");
const COMMIT_INFO = utf8Encode("medchain/commit/v1");
const BATCH_ID_RE = /^0x[0-9a-fA-F]{64}$/;

/** A fresh key-encryption key: 32 bytes from the platform CSPRNG. */
export function newKek(): Uint8Array<ArrayBuffer> {
  return randomBytes(KEK_LENGTH);
}

/** Imports a 32-byte KEK as a non-extractable HKDF base key; do this once per batch and category. */
export async function importKek(kek: Uint8Array): Promise<CryptoKey> {
  if (kek.length !== KEK_LENGTH) {
    throw new MedchainError("InvalidInput", "key-encryption key must be 32 bytes", { details: { length: kek.length } });
  }
  return globalThis.crypto.subtle.importKey("raw", asBufferSource(kek), "HKDF", false, ["deriveBits"]);
}

/**
 * The HKDF salt of a batch: its id as 32 bytes. A fixed length matters: HMAC
 * zero-pads short keys, so salts 0x00 and 0x0000 would derive the same keys.
 */
function batchSalt(batchId: `0x${string}`): Uint8Array<ArrayBuffer> {
  if (typeof batchId !== "string" || !BATCH_ID_RE.test(batchId)) {
    throw new MedchainError("InvalidInput", "batch id must be a 0x-prefixed bytes32 hex string");
  }
  return asBufferSource(fromHex(batchId));
}

function dekInfo(index: number): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
    throw new MedchainError("InvalidInput", "resource index must be an " + "integer in [0, 2^32 - 1]", {
      details: { index },
    });
  }
  const be = new Uint8Array(4);
  new DataView(be.buffer).setUint32(0, index, false);
  return asBufferSource(concatBytes(DEK_INFO_PREFIX, be));
}

/**
 * HKDF-SHA256 (extract and expand) of 32 bytes. `deriveBits` then `importKey`
 * measured about 40% faster than `deriveKey` on Node 22 (which adds its own
 * overhead around the same two steps).
 */
async function hkdf256(
  kekKey: CryptoKey,
  salt: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const params: HkdfParams = { name: "HKDF", hash: "SHA-256", salt, info };
  return new Uint8Array(await globalThis.crypto.subtle.deriveBits(params, kekKey, 256));
}

/**
 * Derives the AES-256-GCM data key of resource `index` in batch `batchId` from
 * an imported KEK (see {@link importKek}). Deterministic; distinct indexes and
 * batches give independent keys. The key is non-extractable.
 */
export async function deriveDekFrom(kekKey: CryptoKey, batchId: `0x${string}`, index: number): Promise<CryptoKey> {
  const bits = await hkdf256(kekKey, batchSalt(batchId), dekInfo(index));
  try {
    return await globalThis.crypto.subtle.importKey("raw", bits, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  } finally {
    bits.fill(0);
  }
}

/**
 * Derives the data key of resource `index` from the raw KEK (imports it each call; prefer {@link deriveDekFrom} in
 * loops).
 */
export async function deriveDek(kek: Uint8Array, batchId: `0x${string}`, index: number): Promise<CryptoKey> {
  return deriveDekFrom(await importKek(kek), batchId, index);
}

/**
 * Derives the batch's commitment key from an imported KEK: a non-extractable
 * HMAC-SHA256 key (256 bits) with HKDF info "medchain/commit/v1".
 */
export async function deriveCommitmentKeyFrom(kekKey: CryptoKey, batchId: `0x${string}`): Promise<CryptoKey> {
  const bits = await hkdf256(kekKey, batchSalt(batchId), asBufferSource(COMMIT_INFO));
  try {
    return await globalThis.crypto.subtle.importKey(
      "raw",
      bits,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign", "verify"],
    );
  } finally {
    bits.fill(0);
  }
}

/** Derives the batch's commitment key (HMAC-SHA256) from the raw KEK. */
export async function deriveCommitmentKey(kek: Uint8Array, batchId: `0x${string}`): Promise<CryptoKey> {
  return deriveCommitmentKeyFrom(await importKek(kek), batchId);
}
