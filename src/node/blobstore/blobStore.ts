/**
 * The blob store port: ciphertexts stored by IPFS CID.
 *
 * A blob's id is its CIDv1 with codec `raw` (0x55) and multihash sha2-256,
 * exactly as IPFS computes it for a raw block (`ipfs add --cid-version 1
 * --raw-leaves` on a file under 256 KiB, or `ipfs block put --cid-codec raw`):
 * `CID.create(1, raw.code, await sha256.digest(bytes))`. So a local store can
 * later be served by any IPFS node. CIDs are returned in their canonical
 * base32 (`bafkrei…`) form; any multibase form multiformats parses without
 * an extra decoder (base32, base58btc `z…`) is accepted as input.
 *
 * This module is isomorphic (no Node-only imports): the browser uses it too.
 *
 * @module
 */
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

import { MedchainError } from "../../kernel/errors.ts";

/** Options of {@link BlobStore.get}. */
export interface GetOptions {
  /**
   * Check that the bytes hash to the CID before returning them (default
   * true). With `false` the stored bytes are returned as they are, so that
   * a caller (the records layer) can detect and report tampering itself.
   */
  verify?: boolean;
}

/** Result of {@link BlobStore.health}. */
export interface BlobStoreHealth {
  /** True when the store can be read and written now. */
  ok: boolean;
  /** Implementation, e.g. `"fs"` or `"memory"`. */
  kind: string;
  /** Why not ok, or where the blobs live. */
  detail?: string;
}

/** Content-addressed storage of ciphertexts, keyed by CIDv1 raw sha2-256. */
export interface BlobStore {
  /** Implementation, e.g. `"fs"` or `"memory"`. */
  readonly kind: string;
  /** Stores `bytes` (idempotent) and returns their canonical CID string. */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * Stores `bytes` only if they hash to `cid`; returns the canonical CID.
   *
   * @throws MedchainError `CidMismatch` (nothing stored) when they do not;
   *   `InvalidInput` when `cid` is not a CIDv1 raw sha2-256.
   */
  putExpected(cid: string, bytes: Uint8Array): Promise<string>;
  /**
   * The bytes stored under `cid` (a copy the caller may modify).
   *
   * @throws MedchainError `BlobNotFound` (details.cid) when absent;
   *   `IntegrityError` (details.cid) when `verify` is on and the stored bytes
   *   do not hash to `cid`; `InvalidInput` for a malformed CID.
   */
  get(cid: string, options?: GetOptions): Promise<Uint8Array>;
  /** Whether a blob is stored under `cid` (does not read or verify it). */
  has(cid: string): Promise<boolean>;
  /** Removes (unpins) the blob; idempotent; returns whether it existed. */
  delete(cid: string): Promise<boolean>;
  /** Checks that the store is usable; never throws. */
  health(): Promise<BlobStoreHealth>;
  /** Releases resources; later calls throw `StorageUnavailable`; idempotent. */
  close(): Promise<void>;
}

/** CID version, codec and multihash every blob id must have. */
export const BLOB_CID_VERSION = 1;
/** Multicodec code of `raw` (0x55). */
export const BLOB_CODEC = raw.code;
/** Multihash code of sha2-256 (0x12). */
export const BLOB_HASH = sha256.code;

/** The CID of `bytes`, as a parsed `CID`. */
export async function cidOfBytes(bytes: Uint8Array): Promise<CID> {
  return CID.create(BLOB_CID_VERSION, BLOB_CODEC, await sha256.digest(bytes));
}

/** The canonical (base32) CID string of `bytes`. */
export async function computeCid(bytes: Uint8Array): Promise<string> {
  return (await cidOfBytes(bytes)).toString();
}

/**
 * Parses a blob CID string.
 *
 * @throws MedchainError `InvalidInput` unless it is a CIDv1 with codec raw and
 *   a 32-byte sha2-256 multihash.
 */
export function parseBlobCid(cid: string): CID {
  if (typeof cid !== "string" || cid.length === 0 || cid.length > 200) {
    throw new MedchainError("InvalidInput", "not a CID string", { details: { field: "cid" } });
  }
  let parsed: CID;
  try {
    parsed = CID.parse(cid);
  } catch {
    throw new MedchainError("InvalidInput", "not a valid CID", { details: { field: "cid", cid } });
  }
  if (
    parsed.version !== BLOB_CID_VERSION ||
    parsed.code !== BLOB_CODEC ||
    parsed.multihash.code !== BLOB_HASH ||
    parsed.multihash.digest.length !== 32
  ) {
    throw new MedchainError("InvalidInput", "blob CIDs must be CIDv1, codec raw, sha2-256", {
      details: { field: "cid", cid, version: parsed.version, codec: parsed.code, hash: parsed.multihash.code },
    });
  }
  return parsed;
}

/** True when `bytes` hash to `cid` (a parsed blob CID). */
export async function bytesMatchCid(cid: CID, bytes: Uint8Array): Promise<boolean> {
  const digest = (await sha256.digest(bytes)).digest;
  const expected = cid.multihash.digest;
  if (digest.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < digest.length; i++) diff |= (digest[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}

/**
 * Parses `cid` and checks `bytes` against it; returns the canonical CID string.
 *
 * @throws MedchainError `InvalidInput` for a malformed CID, `CidMismatch` when
 *   the bytes hash to another CID (details: expected and actual CID).
 */
export async function expectCid(cid: string, bytes: Uint8Array): Promise<string> {
  const parsed = parseBlobCid(cid);
  if (!(await bytesMatchCid(parsed, bytes))) {
    throw new MedchainError("CidMismatch", "the bytes do not hash to the expected CID", {
      details: { expected: parsed.toString(), actual: await computeCid(bytes), size: bytes.length },
    });
  }
  return parsed.toString();
}

/** The `BlobNotFound` error for `cid`. */
export function blobNotFound(cid: string): MedchainError {
  return new MedchainError("BlobNotFound", "no blob is stored under this CID", { details: { cid } });
}

/** The `IntegrityError` for a stored blob that no longer hashes to `cid`. */
export function blobIntegrityError(cid: string): MedchainError {
  return new MedchainError("IntegrityError", "the stored blob does not match its CID", { details: { cid } });
}

/** The error for a call on a closed store. */
export function blobStoreClosed(kind: string): MedchainError {
  return new MedchainError("StorageUnavailable", "the blob store is closed", { details: { kind } });
}

/**
 * @throws MedchainError `InvalidInput` unless `bytes` is a `Uint8Array`
 *   (a Node `Buffer` is one).
 */
export function assertBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new MedchainError("InvalidInput", "blob contents must be a Uint8Array", { details: { field: "bytes" } });
  }
}
