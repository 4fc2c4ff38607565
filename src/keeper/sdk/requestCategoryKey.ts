/**
 * Threshold key release, client side (isomorphic): sign one fresh
 * KeyRelease request, ask every keeper at once, unwrap the shares that come
 * back (each HPKE-wrapped to us), and combine `threshold` of them (Shamir)
 * into the category key. Fewer than `threshold` shares: the keepers' refusal
 * if they refused, else `KeepersUnavailable`.
 */
import { combine } from "shamir-secret-sharing";
import { MedchainError } from "../../kernel/errors.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import { CATEGORY, type CategoryName } from "../../kernel/categories.ts";
import { fromBase64, randomBytes, toHex, utf8Encode } from "../../kernel/crypto/bytes.ts";
import { unwrapKey } from "../../kernel/crypto/hpke.ts";
import { PURPOSE, type PurposeCode } from "../../kernel/purposes.ts";
import { KEY_RELEASE_TYPES, SHARE_LABEL, keyReleaseDomain, type KeyRelease } from "./schemas.ts";
import "./errors.ts";

/** What a key request is for. */
export interface CategoryKeyRequest {
  batchId: `0x${string}`;
  category: CategoryName;
  grantId: string;
  purpose: PurposeCode;
  /** Seconds the signed request stays valid (default 120, at most 300). */
  ttl?: number;
}

/** Signs a key-release request (exposed for tests that tamper with it). */
export async function signKeyRequest(
  node: NodeClient,
  reader: RecordKeys,
  r: CategoryKeyRequest,
): Promise<{ request: KeyRelease; signature: `0x${string}` }> {
  const net = await node.network();
  const request: KeyRelease = {
    requester: reader.account.address.toLowerCase() as `0x${string}`,
    batchId: r.batchId,
    category: CATEGORY[r.category],
    grantId: r.grantId,
    purpose: PURPOSE[r.purpose],
    nonce: toHex(randomBytes(32)),
    expiresAt: Math.floor(Date.now() / 1000) + (r.ttl ?? 120),
  };
  const signature = await reader.account.signTypedData({
    domain: keyReleaseDomain(net.chainId, net.contracts.consentRegistry),
    types: KEY_RELEASE_TYPES,
    primaryType: "KeyRelease",
    message: { ...request, grantId: BigInt(request.grantId), expiresAt: BigInt(request.expiresAt) },
  });
  return { request, signature };
}

/** Gathers `threshold` shares from the keepers and returns the category key (caller zeroes it after use). */
export async function requestCategoryKey(
  node: NodeClient,
  reader: RecordKeys,
  r: CategoryKeyRequest,
  signed?: { request: KeyRelease; signature: `0x${string}` },
): Promise<Uint8Array> {
  const net = await node.network();
  if (net.keepers.length === 0 || net.threshold === 0)
    throw new MedchainError("KeepersUnavailable", "this network has no keepers");
  const { request, signature } = signed ?? (await signKeyRequest(node, reader, r));
  // Resolve as soon as `threshold` shares are in: a slow or dead keeper does not delay the read.
  const shares: Uint8Array[] = [];
  const refusals: MedchainError[] = [];
  await new Promise<void>((resolve) => {
    let pending = net.keepers.length;
    const settle = (): void => {
      pending -= 1;
      if (shares.length >= net.threshold || pending === 0) resolve();
    };
    for (const k of net.keepers) {
      node
        .keeperRelease(k, { request, signature })
        .then(
          async (share) => {
            const plain = await unwrapKey(
              reader.encryptionPrivateKey,
              { enc: fromBase64(share.enc), ct: fromBase64(share.ct) },
              utf8Encode(SHARE_LABEL.releaseInfo),
              utf8Encode(SHARE_LABEL.releaseAad(request.batchId, request.category, request.requester, request.nonce)),
            );
            shares.push(plain);
          },
          (err: unknown) => {
            if (err instanceof MedchainError && err.code !== "NodeUnreachable" && err.code !== "KeepersUnavailable")
              refusals.push(err);
          },
        )
        .catch((err: unknown) => {
          refusals.push(
            err instanceof MedchainError
              ? err
              : new MedchainError("IntegrityError", "a keeper's share " + "does not open", { cause: err }),
          );
        })
        .finally(settle);
    }
  });
  if (shares.length >= net.threshold) {
    const key = await combine(shares.slice(0, net.threshold));
    for (const s of shares) s.fill(0);
    return key;
  }
  const refusal = refusals[0];
  if (refusal !== undefined) throw refusal;
  throw new MedchainError(
    "KeepersUnavailable",
    `only ${shares.length} of the ${net.threshold} keepers needed answered`,
    {
      details: { answered: shares.length, threshold: net.threshold, keepers: net.keepers.length },
    },
  );
}
