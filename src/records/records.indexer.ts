/**
 * Records events into SQL, and erasure's side effect: when a batch is
 * shredded on chain, the node deletes its manifest (the only copy of the
 * wrapped keys) and unpins every ciphertext it lists. Ciphertexts go first,
 * the manifest last, so a crash in between is finished on replay.
 */
import type { Transaction } from "kysely";
import type { PublicClient } from "viem";
import { MedchainError } from "../core/errors.ts";
import { recordRegistryAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog, IndexerHandler } from "../node/indexer.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { cidFromDigest } from "./crypto/cid.ts";
import { utf8Decode } from "./crypto/bytes.ts";
import { zManifest } from "./sdk/manifest.ts";

const lc = (v: unknown): string => String(v).toLowerCase();

/** Deletes a shredded batch's blobs (idempotent). */
export async function unpinBatch(blobs: BlobStore, manifestCid: string): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(manifestCid, { verify: false });
  } catch (err) {
    if (err instanceof MedchainError && err.code === "BlobNotFound") return 0;
    throw err;
  }
  const parsed = zManifest.safeParse(JSON.parse(utf8Decode(bytes)));
  let n = 0;
  if (parsed.success) for (const cid of parsed.data.blobs) if (await blobs.delete(cid)) n += 1;
  await blobs.delete(manifestCid);
  return n;
}

/** The records slice's indexer handler. */
export function recordsIndexer(recordRegistry: `0x${string}`, blobs: BlobStore, client: PublicClient): IndexerHandler {
  return {
    addresses: [recordRegistry],
    abi: recordRegistryAbi,
    async sideEffects(logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        if (l.eventName !== "BatchShredded") continue;
        const batch = await client.readContract({ address: recordRegistry, abi: recordRegistryAbi, functionName: "getBatch", args: [l.args.batchId as `0x${string}`] });
        await unpinBatch(blobs, cidFromDigest(batch.manifestDigest));
      }
    },
    async apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        const a = l.args;
        switch (l.eventName) {
          case "BatchAppended":
            await trx.insertInto("batches").values({
              batch_id: lc(a.batchId), owner: lc(a.owner), author: lc(a.author), categories: Number(a.categories),
              manifest_cid: cidFromDigest(a.manifestDigest as `0x${string}`), merkle_root: lc(a.merkleRoot), count: Number(a.count),
              version: Number(a.version), block_number: l.blockNumber, tx_hash: lc(l.transactionHash), log_index: l.logIndex,
              created_at: l.blockTimestamp,
            }).onConflict((oc) => oc.column("batch_id").doNothing()).execute();
            break;
          case "BatchShredded":
            await trx.updateTable("batches").set({ erased: true }).where("batch_id", "=", lc(a.batchId)).execute();
            break;
          case "WriterAuthorized":
          case "WriterRevoked": {
            const authorized = l.eventName === "WriterAuthorized";
            await trx.insertInto("writers").values({ owner: lc(a.owner), writer: lc(a.writer), authorized, block_number: l.blockNumber })
              .onConflict((oc) => oc.columns(["owner", "writer"]).doUpdateSet({ authorized, block_number: l.blockNumber })).execute();
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
