/**
 * The on-chain key of a unit's digital twin (isomorphic): `keccak256` of the
 * unit's canonical key (its canonical GS1 Digital Link URI, as `parseScan`
 * gives it), so the same pack read as a DataMatrix, a Digital Link or an
 * SGTIN URN names one twin. The ERC-721 token id is `uint256(unitKey)`.
 */
import { keccak256 } from "viem";
import { utf8Encode } from "../../../kernel/crypto/bytes.ts";

/** The twin's `bytes32` unit key for a canonical unit key (lowercase hex). */
export function twinUnitKey(canonicalKey: string): `0x${string}` {
  return keccak256(utf8Encode(canonicalKey));
}

/** The ERC-721 token id of a twin's `bytes32` unit key. */
export function twinTokenId(unitKey: `0x${string}`): bigint {
  return BigInt(unitKey);
}

/** The `bytes32` unit key (lowercase, 64 hex digits) of a token id. */
export function unitKeyOfToken(tokenId: bigint): `0x${string}` {
  return `0x${tokenId.toString(16).padStart(64, "0")}`;
}
