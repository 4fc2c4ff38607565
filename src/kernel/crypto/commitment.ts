/**
 * Salted commitments to resource plaintext. Only holders of the batch KEK can
 * recompute one, so nobody can test a guess of a record's content against the
 * chain. Identical plaintexts within one batch give identical commitments
 * (the key is per batch); callers that must hide that should commit to content
 * that includes the resource id.
 */
import { asBufferSource, fromHex, toHex } from "./bytes.ts";

const BYTES32_RE = /^0x[0-9a-fA-F]{64}$/;

/**
 * HMAC-SHA256 of the canonical plaintext under the batch commitment key (see `deriveCommitmentKey`), as bytes32 hex.
 */
export async function commitResource(commitKey: CryptoKey, canonicalPlaintext: Uint8Array): Promise<`0x${string}`> {
  const mac = await globalThis.crypto.subtle.sign("HMAC", commitKey, asBufferSource(canonicalPlaintext));
  return toHex(new Uint8Array(mac));
}

/**
 * True when `commitment` is the commitment of `canonicalPlaintext` under
 * `commitKey` (WebCrypto HMAC verify, constant time). A malformed commitment
 * is simply not a match.
 */
export async function verifyCommitment(
  commitKey: CryptoKey,
  canonicalPlaintext: Uint8Array,
  commitment: `0x${string}`,
): Promise<boolean> {
  if (!BYTES32_RE.test(commitment)) return false;
  return globalThis.crypto.subtle.verify(
    "HMAC",
    commitKey,
    asBufferSource(fromHex(commitment)),
    asBufferSource(canonicalPlaintext),
  );
}
