/**
 * Content ids of ciphertext blobs: CIDv1, `raw` codec (0x55), sha2-256
 * multihash, base32 string form (the IPFS default, `bafkrei…`). The chain
 * stores only the 32-byte sha-256 digest; {@link cidFromDigest} rebuilds the CID.
 */
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";
import { sha256 } from "multiformats/hashes/sha2";
import { MedchainError } from "../errors.ts";
import { fromHex, toHex } from "./bytes.ts";

const BYTES32_RE = /^0x[0-9a-fA-F]{64}$/;

/** The CIDv1 (raw, sha2-256) of `bytes`, as a base32 string. */
export async function cidOf(bytes: Uint8Array): Promise<string> {
  const digest = await sha256.digest(bytes);
  return CID.createV1(raw.code, digest).toString();
}

/**
 * The sha-256 digest inside a CID string, as bytes32 hex (the on-chain form).
 * Throws `InvalidInput` for a malformed CID or one that is not CIDv1 with the
 * raw codec and a 32-byte sha2-256 multihash.
 */
export function cidDigestHex(cid: string): `0x${string}` {
  let parsed: CID;
  try {
    parsed = CID.parse(cid);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "malformed CID", { details: { cid }, cause });
  }
  if (parsed.version !== 1 || parsed.code !== raw.code) {
    throw new MedchainError("InvalidInput", "CID must be CIDv1 with the raw codec", {
      details: { cid, version: parsed.version, codec: parsed.code },
    });
  }
  if (parsed.multihash.code !== sha256.code || parsed.multihash.size !== 32) {
    throw new MedchainError("InvalidInput", "CID must use a 32-byte sha2-256 multihash", {
      details: { cid, hash: parsed.multihash.code, size: parsed.multihash.size },
    });
  }
  return toHex(parsed.multihash.digest);
}

/**
 * Rebuilds the CIDv1 (raw, sha2-256, base32) from its bytes32 digest; inverse of {@link cidDigestHex}. Throws
 * `InvalidInput` for anything but 32 bytes of hex.
 */
export function cidFromDigest(digest: `0x${string}`): string {
  if (typeof digest !== "string" || !BYTES32_RE.test(digest)) {
    throw new MedchainError("InvalidInput", "CID digest must be a 0x-prefixed bytes32 hex string");
  }
  return CID.createV1(raw.code, Digest.create(sha256.code, fromHex(digest))).toString();
}
