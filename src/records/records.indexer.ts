/**
 * Records events into SQL, and the side effects of erasure and rotation:
 * when a batch is shredded on chain, the node deletes its manifest (the only
 * copy of the wrapped keys) and unpins every ciphertext it lists; when a
 * batch is rotated, it does the same to the superseded version (its old
 * ciphertexts, and the old manifest with its wrapped keys and keeper shares).
 * Ciphertexts go first, the manifest last, so a crash in between is finished
 * on replay.
 */
import type { Kysely, Transaction } from "kysely";
import type { PublicClient } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import { recordRegistryAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import { defineIndexer, type IndexerHandler } from "../node/indexer.ts";
import { MalformedContent } from "../node/indexerPolicy.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { cidFromDigest } from "../kernel/crypto/cid.ts";
import { utf8Decode } from "../kernel/crypto/bytes.ts";
import { zManifest } from "../kernel/manifest.ts";

const lc = (v: `0x${string}`): `0x${string}` => v.toLowerCase() as `0x${string}`;

/**
 * Deletes a shredded or superseded batch version's blobs: the ciphertexts it
 * owns (it listed them first, in chain order), then its manifest (idempotent).
 * A CID another batch listed first is never deleted.
 */
export async function unpinBatch(
  blobs: BlobStore,
  db: Kysely<Database>,
  batchId: string,
  manifestCid: string,
): Promise<number> {
  const owned = await db
    .selectFrom("blob_owners")
    .select("cid")
    .where("batch_id", "=", batchId)
    .where("manifest_cid", "=", manifestCid)
    .execute();
  const mine = new Set(owned.map((r) => r.cid));
  let n = 0;
  for (const cid of mine) if (cid !== manifestCid && (await blobs.delete(cid))) n += 1;
  if (mine.has(manifestCid)) await blobs.delete(manifestCid);
  return n;
}

/** The manifest's JSON, or a refusal of the event (the author's bytes are not a manifest: never retried). */
function parseManifest(bytes: Uint8Array): readonly string[] {
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(bytes));
  } catch (err) {
    throw new MalformedContent("InvalidManifest", "the manifest blob is not JSON", { cause: err });
  }
  const parsed = zManifest.safeParse(json);
  if (!parsed.success) {
    const message = "the manifest blob does not match the manifest schema";
    throw new MalformedContent("InvalidManifest", message, { cause: parsed.error });
  }
  return parsed.data.blobs;
}

/**
 * Records the blobs a batch version lists that no earlier version listed (first claim wins). A manifest that is
 * not a manifest refuses the event ({@link MalformedContent}); a blob store fault is transient (thrown as is).
 */
async function claimBlobs(
  trx: Transaction<Database>,
  blobs: BlobStore,
  batchId: string,
  manifestCid: string,
): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(manifestCid);
  } catch (err) {
    // erased since, or never stored here
    if (err instanceof MedchainError && (err.code === "BlobNotFound" || err.code === "IntegrityError")) return;
    throw err;
  }
  const cids = [manifestCid, ...parseManifest(bytes)];
  for (let i = 0; i < cids.length; i += 500) {
    await trx
      .insertInto("blob_owners")
      .values(cids.slice(i, i + 500).map((cid) => ({ cid, batch_id: batchId, manifest_cid: manifestCid })))
      .onConflict((oc) => oc.column("cid").doNothing())
      .execute();
  }
}

/** The records slice's indexer handler. */
export function recordsIndexer(
  recordRegistry: `0x${string}`,
  blobs: BlobStore,
  client: PublicClient,
): IndexerHandler<typeof recordRegistryAbi> {
  return defineIndexer({
    name: "records",
    addresses: [recordRegistry],
    abi: recordRegistryAbi,
    async sideEffects(logs, db): Promise<void> {
      // The manifest each batch points at, as of the log being looked at: this range's own events first, then the
      // index as of the previous range. Never the `supersedes` field of a new manifest: the owner writes that, and
      // following it would let any owner make the node delete any blob.
      const current = new Map<string, { cid: string; version: number }>();
      const versionBefore = async (batchId: string): Promise<{ cid: string; version: number } | undefined> => {
        const seen = current.get(batchId);
        if (seen !== undefined) return seen;
        const row = await db
          .selectFrom("batches")
          .select(["manifest_cid", "version"])
          .where("batch_id", "=", batchId)
          .executeTakeFirst();
        return row === undefined ? undefined : { cid: row.manifest_cid, version: row.version };
      };
      for (const l of logs) {
        switch (l.eventName) {
          case "BatchAppended":
            current.set(lc(l.args.batchId), { cid: cidFromDigest(l.args.manifestDigest), version: l.args.version });
            break;
          case "BatchRotated": {
            const batchId = lc(l.args.batchId);
            const version = l.args.version;
            const next = { cid: cidFromDigest(l.args.manifestDigest), version };
            const previous = await versionBefore(batchId);
            current.set(batchId, next);
            // Only a version older than this rotation's is unpinned, never the one the batch points at now.
            if (previous !== undefined && previous.version < version && previous.cid !== next.cid)
              await unpinBatch(blobs, db, batchId, previous.cid);
            break;
          }
          case "BatchShredded": {
            const batch = await client.readContract({
              address: recordRegistry,
              abi: recordRegistryAbi,
              functionName: "getBatch",
              args: [l.args.batchId],
            });
            await unpinBatch(blobs, db, lc(l.args.batchId), cidFromDigest(batch.manifestDigest));
            break;
          }
          default:
            break;
        }
      }
    },
    async apply(trx, l): Promise<void> {
      switch (l.eventName) {
        case "BatchAppended": {
          const a = l.args;
          await trx
            .insertInto("batches")
            .values({
              batch_id: lc(a.batchId),
              owner: lc(a.owner),
              author: lc(a.author),
              categories: a.categories,
              manifest_cid: cidFromDigest(a.manifestDigest),
              merkle_root: lc(a.merkleRoot),
              count: a.count,
              version: a.version,
              block_number: l.blockNumber,
              tx_hash: lc(l.transactionHash),
              log_index: l.logIndex,
              created_at: l.blockTimestamp,
            })
            .onConflict((oc) => oc.column("batch_id").doNothing())
            .execute();
          await claimBlobs(trx, blobs, lc(a.batchId), cidFromDigest(a.manifestDigest));
          break;
        }
        case "BatchShredded":
          await trx.updateTable("batches").set({ erased: true }).where("batch_id", "=", lc(l.args.batchId)).execute();
          break;
        case "BatchRotated": {
          const a = l.args;
          // versions only increase: a replay never moves a row back
          await trx
            .updateTable("batches")
            .set({
              manifest_cid: cidFromDigest(a.manifestDigest),
              merkle_root: lc(a.merkleRoot),
              version: a.version,
            })
            .where("batch_id", "=", lc(a.batchId))
            .where("version", "<", a.version)
            .execute();
          await claimBlobs(trx, blobs, lc(a.batchId), cidFromDigest(a.manifestDigest));
          break;
        }
        case "WriterAuthorized":
        case "WriterRevoked": {
          const authorized = l.eventName === "WriterAuthorized";
          const row = { owner: lc(l.args.owner), writer: lc(l.args.writer), authorized, block_number: l.blockNumber };
          await trx
            .insertInto("writers")
            .values(row)
            .onConflict((oc) =>
              oc.columns(["owner", "writer"]).doUpdateSet({ authorized, block_number: l.blockNumber }),
            )
            .execute();
          break;
        }
        default:
          break;
      }
    },
  });
}
