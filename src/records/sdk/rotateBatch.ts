/**
 * Key rotation (docs/architecture/records-and-keys.md, "Revocation and
 * rotation": revocation stops future releases at once; for data already
 * released, rotation re-encrypts under a new DEK so old keys open nothing new).
 *
 * The owner opens her batch with her own wraps (every record checked against
 * the chain), re-seals every resource under fresh category keys (so fresh data
 * keys and commitments) at version n + 1, wraps the new keys to the same
 * recipients as before (the author at its currently published key), splits
 * them afresh among the current keepers, uploads, and relays `rotateBatch`.
 * Keepers read the batch's current manifest from the chain, so from that
 * block on they hand out shares of the new keys only (and only under a grant
 * valid at that moment); the node unpins the superseded version once it
 * indexes the rotation. A key released before opens nothing of the new
 * version.
 *
 * A rotation that fails before its transaction lands leaves the new blobs
 * orphaned but changes nothing; run it again.
 */
import { encodeFunctionData } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { recordRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import { fromHex } from "../../kernel/crypto/bytes.ts";
import { openBatch, readManifest, type ExportRecordResult } from "./exportRecord.ts";
import { categoryMask } from "../../kernel/categories.ts";
import { sealBatch, type BatchProgress } from "./sealBatch.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import "../../accounts/sdk/errors.ts";

/** Options of {@link rotateBatch}. */
export interface RotateBatchOptions {
  onProgress?: (p: BatchProgress) => void;
}

/** What a rotation did. */
export interface RotateBatchResult {
  batchId: `0x${string}`;
  /** The batch's new version (the previous one + 1). */
  version: number;
  /** CID of the new manifest. */
  manifestCid: string;
  /** CID of the manifest it replaced (the node unpins it). */
  supersedes: string;
  txHash: `0x${string}`;
  blockNumber: number;
}

/** Re-encrypts batch `batchId` of `owner` (must be the owner's keys) under new keys and registers the new version. */
export async function rotateBatch(
  node: NodeClient,
  owner: RecordKeys,
  batchId: `0x${string}`,
  options: RotateBatchOptions = {},
): Promise<RotateBatchResult> {
  const me = owner.account.address.toLowerCase() as `0x${string}`;
  const batch = await node.getBatch(batchId);
  const id = batch.batchId;
  // The contract refuses both too; checking first spares encrypting and uploading for nothing.
  if (batch.owner !== me)
    throw new MedchainError("NotOwner", "only the patient who owns " + "the batch can rotate its keys", {
      details: { batchId: id },
    });
  if (batch.erased)
    throw new MedchainError("RecordErased", `batch ${id} has been erased; there is nothing left to rotate`, {
      details: { batchId: id },
    });

  const m = await readManifest(node, batch);
  const hidden: ExportRecordResult["hidden"] = [];
  const opened = await openBatch(node, owner, m, undefined, hidden);
  if (opened === null || hidden.length > 0) {
    throw new MedchainError("AccessDenied", `this key cannot open every category of batch ${id}`, {
      details: { batchId: id, categories: hidden.map((h) => h.category) },
    });
  }
  if (opened.length !== batch.count || opened.some((r, i) => r.index !== i)) {
    throw new MedchainError("IntegrityError", `the entry lists of batch ${id} do not cover its records exactly once`, {
      details: { record: id },
    });
  }
  // The contract keeps the batch's categories: the new sections must be the same ones.
  if (categoryMask([...new Set(opened.map((r) => r.category))]) !== batch.categories) {
    throw new MedchainError("IntegrityError", `the categories of batch ${id} do not match the chain`, {
      details: { record: id },
    });
  }

  // Same recipients as before, in the same order: the owner at her own key, anyone else at the key they publish now.
  const recipients = new Map<string, Uint8Array>();
  for (const section of m.sections) {
    for (const { recipient } of section.keys) {
      if (recipients.has(recipient)) continue;
      if (recipient === me) {
        recipients.set(recipient, owner.encryptionPublicKey);
        continue;
      }
      const info = await node.account(recipient);
      if (info.encryptionKey === null) {
        throw new MedchainError(
          "EncryptionKeyMissing",
          "a reader of this batch has no " + "published encryption key to re-wrap to",
          { details: { batchId: id, account: recipient } },
        );
      }
      recipients.set(recipient, fromHex(info.encryptionKey));
    }
  }

  const version = batch.version + 1;
  const sealed = await sealBatch({
    node,
    batchId: id,
    owner: batch.owner,
    author: batch.author,
    version,
    recipients,
    supersedes: batch.manifestCid,
    items: opened.map((r) => ({ category: r.category, plaintext: r.plaintext, entry: r.entry })),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  for (const r of opened) r.plaintext.fill(0);

  // Another rotation may have landed while this one was sealing: do not register a version built on a stale one.
  const now = await node.getBatch(id);
  if (now.version !== batch.version || now.manifestCid !== batch.manifestCid || now.erased) {
    throw new MedchainError("InvalidInput", `batch ${id} changed while it was being rotated; rotate again`, {
      details: { batchId: id, version: now.version },
    });
  }

  options.onProgress?.({ phase: "register", done: 0, total: 1 });
  const net = await node.network();
  const data = encodeFunctionData({
    abi: recordRegistryAbi,
    functionName: "rotateBatch",
    args: [id, sealed.manifestDigest, sealed.merkleRoot],
  });
  const tx = await relayCall(node, owner.account, net.contracts.recordRegistry, data);
  options.onProgress?.({ phase: "register", done: 1, total: 1 });
  return {
    batchId: id,
    version,
    manifestCid: sealed.manifestCid,
    supersedes: batch.manifestCid,
    txHash: tx.txHash,
    blockNumber: tx.blockNumber,
  };
}
