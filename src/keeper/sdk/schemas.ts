/**
 * The key-release protocol between a requester and a keeper (isomorphic).
 *
 * A requester signs an EIP-712 `KeyRelease` naming the batch, the category
 * (scope), the grant it relies on, the purpose of use, a random nonce and a
 * short expiry. Each keeper checks it against the chain at that moment and,
 * if valid, returns its Shamir share of the category key re-wrapped (HPKE)
 * to the requester's published encryption key.
 */
import { z } from "zod";
import { zAddress, zBytes32, zHex, zUintString } from "../../kernel/schemas.ts";

/** EIP-712 types of a key-release request. */
export const KEY_RELEASE_TYPES = {
  KeyRelease: [
    { name: "requester", type: "address" },
    { name: "batchId", type: "bytes32" },
    { name: "category", type: "uint8" },
    { name: "grantId", type: "uint256" },
    { name: "purpose", type: "uint8" },
    { name: "nonce", type: "bytes32" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;

/** Longest validity a keeper accepts for a request (seconds): requests must be fresh. */
export const MAX_REQUEST_TTL = 300;

export { keyReleaseDomain } from "../../kernel/keeperDomain.ts";

/** A key-release request (what is signed). */
export const zKeyRelease = z.object({
  requester: zAddress,
  batchId: zBytes32,
  category: z.number().int().min(0).max(31),
  grantId: zUintString,
  purpose: z.number().int().min(0).max(31),
  nonce: zBytes32,
  expiresAt: z.number().int().positive(),
});

/** Body of `POST /keepers/:i/release`. */
export const zReleaseBody = z.object({ request: zKeyRelease, signature: zHex });

/** A keeper's share, HPKE-wrapped to the requester. */
export const zReleasedShare = z.object({ keeper: zAddress, enc: z.base64(), ct: z.base64() });

/** One keeper as listed by the node. */
export const zKeeperInfo = z.object({
  index: z.number().int().nonnegative(),
  address: zAddress,
  url: z.string(),
  encryptionKey: zBytes32,
});

/** A key-release request. */
export type KeyRelease = z.infer<typeof zKeyRelease>;
/** A released share. */
export type ReleasedShare = z.infer<typeof zReleasedShare>;
/** A keeper as listed by the node. */
export type KeeperInfo = z.infer<typeof zKeeperInfo>;

/** Labels binding a keeper share to its batch, category and recipient. */
export const SHARE_LABEL = {
  info: "medchain/share/v1",
  aad: (batchId: string, category: string, keeper: string) =>
    `medchain/share/v1|${batchId}|${category}|${keeper.toLowerCase()}`,
  releaseInfo: "medchain/share-release/v1",
  releaseAad: (batchId: string, category: number, requester: string, nonce: string) =>
    `medchain/share-release/v1|${batchId}|${category}|${requester.toLowerCase()}|${nonce}`,
} as const;
