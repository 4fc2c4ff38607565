/**
 * Supply events into SQL, driven by the chain: each `BatchAnchored` names the
 * CID of a canonical EPCIS document; the node fetches it, validates it
 * (schema + CBV), recomputes every CBV 2.0 event hash and checks that their
 * Merkle root and count are exactly what the partner anchored. Only then are
 * the events indexed, with aggregation expanded (shipping a pallet concerns
 * every unit inside). A batch that fails any check is recorded as refused and
 * indexes nothing. Each event keeps its inclusion proof (built once per
 * batch here, so verification never rebuilds a tree). The digital twins'
 * events are applied in the same chain order (`twin.indexer.ts`).
 * Rebuildable from the chain and the blob store.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { MedchainError } from "../kernel/errors.ts";
import { concat, hexToBytes, type PublicClient } from "viem";
import { digitalTwinAbi, supplyAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import { defineIndexer, type IndexerHandler } from "../node/indexer.ts";
import { MalformedContent } from "../node/indexerPolicy.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { cidFromDigest } from "../kernel/crypto/cid.ts";
import { utf8Decode } from "../kernel/crypto/bytes.ts";
import { MerkleTree } from "../kernel/crypto/merkle.ts";
import { captureEpcis } from "./sdk/epcis/capture.ts";
import { ContainmentModel } from "./sdk/epcis/aggregation.ts";
import { eventHashDigest, hashNamespaces } from "./sdk/epcis/eventHash.ts";
import { summarizeEvent } from "./sdk/unitHistory.ts";
import { applyTwinLog, isTwinLog } from "./twin.indexer.ts";
import type { CapturedEpcis } from "./sdk/epcis/capture.ts";

/** The contracts the supply indexer follows or reads. */
export interface SupplyContracts {
  supplyAnchor: `0x${string}`;
  digitalTwin: `0x${string}`;
  tradingPartners: `0x${string}`;
}

const CHUNK = 500;
/** Planner statistics are refreshed once this many rows were added since the last refresh, and 10% of the tables. */
const STATS_MIN_ROWS = 10_000;

/**
 * Refreshes the planner statistics of the supply tables. Embedded PGlite runs no autovacuum, so without this the
 * planner never learns how big the tables grew and, at a million units, joins a unit's few events by scanning every
 * event (about half a second per verification, measured). PostgreSQL's autovacuum does the same on its own.
 */
export async function analyzeSupplyTables(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  await sql`analyze supply_batches, supply_events, supply_unit_events, supply_containment`.execute(db);
}

/** The supply anchor's and the digital twins' events, decoded together in chain order. */
const SUPPLY_ABI = [...supplyAnchorAbi, ...digitalTwinAbi] as const;

/** A batch's document, validated against what the partner anchored. */
interface CheckedBatch {
  captured: CapturedEpcis;
  digests: `0x${string}`[];
  tree: MerkleTree;
}

/**
 * Fetches and checks an anchored batch's document. What the partner supplied and can never become valid (missing
 * or invalid document, hashes that do not match the anchor, serials outside its prefixes) throws
 * {@link MalformedContent}; a blob store or RPC fault is thrown as is (transient: retried, never a refusal).
 */
async function checkBatch(
  blobs: BlobStore,
  client: PublicClient,
  tradingPartners: `0x${string}`,
  model: ContainmentModel,
  anchored: { docCid: string; partner: string; root: string; count: number },
): Promise<CheckedBatch> {
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(anchored.docCid);
  } catch (err) {
    // never uploaded here, or stored bytes that are not the anchored ones: the same on every retry
    const authorFault = err instanceof MedchainError && (err.code === "BlobNotFound" || err.code === "IntegrityError");
    if (authorFault) throw MalformedContent.of(err);
    throw err;
  }
  let checked: CheckedBatch;
  try {
    const captured = captureEpcis(utf8Decode(bytes), model);
    const ns = hashNamespaces(captured.document["@context"]);
    const digests = captured.events.map((e) => eventHashDigest(e, ns));
    const tree = MerkleTree.of(digests);
    if (digests.length !== anchored.count || tree.root !== anchored.root) {
      throw new MedchainError("IntegrityError", "the document's event hashes do not match the anchored root");
    }
    checked = { captured, digests, tree };
  } catch (err) {
    if (err instanceof MedchainError) throw MalformedContent.of(err); // the document's own fault
    throw err; // a bug: retried and reported by /health, never a permanent refusal
  }
  // Only a registered manufacturer commissions serials, and only under its own GS1 company prefix (one read per GTIN).
  const gtins = new Set<string>();
  for (const [i, e] of checked.captured.events.entries()) {
    if (summarizeEvent(e).bizStep !== "commissioning") continue;
    for (const key of checked.captured.moves[i]?.units ?? []) {
      const gtin = key.match(/\/01\/(\d{14})/)?.[1];
      if (gtin !== undefined) gtins.add(gtin);
    }
  }
  for (const gtin of gtins) {
    const owner = await client.readContract({
      address: tradingPartners,
      abi: tradingPartnersAbi,
      functionName: "ownerOfGtin",
      args: [BigInt(gtin)],
    });
    if (owner.toLowerCase() !== anchored.partner) {
      throw new MalformedContent("NotOwner", "a commissioning names a GTIN outside the partner's company prefixes");
    }
  }
  return checked;
}

/** The supply slice's indexer handler; `load` restores the containment model from SQL at start. */
export function supplyIndexer(
  contracts: SupplyContracts,
  blobs: BlobStore,
  client: PublicClient,
): IndexerHandler<typeof SUPPLY_ABI> & { load(db: Kysely<Database>): Promise<void> } {
  const { supplyAnchor, digitalTwin, tradingPartners } = contracts;
  let model = new ContainmentModel();
  let analyzedRows = 0;
  let newRows = 0;
  const load = async (db: Kysely<Database>): Promise<void> => {
    const { rows: stats } = await sql<{
      tuples: number;
    }>`select reltuples::float8 as tuples from pg_class where oid = to_regclass('supply_unit_events')`.execute(db);
    analyzedRows = Math.max(0, stats[0]?.tuples ?? 0);
    newRows = 0;
    // never analyzed (e.g. an index built before this existed)
    if ((stats[0]?.tuples ?? 0) < 0) await analyzeSupplyTables(db);
    const rows = await db.selectFrom("supply_containment").selectAll().execute();
    model = ContainmentModel.fromPairs(rows.map((r) => [r.child, r.parent] as const));
  };
  return {
    load,
    ...defineIndexer({
      name: "supply",
      addresses: [supplyAnchor, digitalTwin],
      abi: SUPPLY_ABI,
      reset: load, // a rolled-back range may have moved the in-memory containment model
      async refused(trx, l, refusal): Promise<void> {
        if (l.eventName !== "BatchAnchored") return;
        const a = l.args;
        await trx
          .insertInto("supply_batches")
          .values({
            anchor_id: a.batchId,
            partner: a.partner.toLowerCase(),
            root: a.root.toLowerCase(),
            count: a.count,
            doc_cid: cidFromDigest(a.batchDigest),
            block_number: l.blockNumber,
            status: "refused",
            reason: refusal.reason,
          })
          .onConflict((oc) => oc.column("anchor_id").doNothing())
          .execute();
      },
      async apply(trx, l): Promise<void> {
        if (isTwinLog(l)) {
          await applyTwinLog(trx, l, client, tradingPartners);
          return;
        }
        if (l.eventName !== "BatchAnchored") return;
        const anchorId = l.args.batchId;
        const partner = l.args.partner.toLowerCase();
        const root = l.args.root.toLowerCase();
        const count = l.args.count;
        const docCid = cidFromDigest(l.args.batchDigest);
        const anchored = { docCid, partner, root, count };
        const { captured, digests, tree } = await checkBatch(blobs, client, tradingPartners, model, anchored);
        const base = { anchor_id: anchorId, partner, root, count, doc_cid: docCid, block_number: l.blockNumber };
        await trx
          .insertInto("supply_batches")
          .values({ ...base, status: "indexed", reason: null })
          .onConflict((oc) => oc.column("anchor_id").doNothing())
          .execute();
        const rows = captured.events.map((e, i) => {
          const sum = summarizeEvent(e);
          return {
            event_hash: digests[i] as `0x${string}`,
            anchor_id: anchorId,
            leaf_index: i,
            partner,
            event_type: e.type,
            biz_step: sum.bizStep ?? null,
            event_time: BigInt(sum.time),
            location: sum.location ?? null,
            destinations: JSON.stringify(sum.destinations),
            ilmd_expiry: sum.expiry ?? null,
            proof: hexToBytes(concat(tree.proof(i))),
          };
        });
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx
            .insertInto("supply_events")
            .values(rows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.column("event_hash").doNothing())
            .execute();
        }
        const unitRows = captured.events.flatMap((_, i) =>
          [...new Set(captured.moves[i]?.moved ?? [])].map((key) => ({
            unit_key: key,
            event_hash: digests[i] as string,
          })),
        );
        for (let i = 0; i < unitRows.length; i += CHUNK) {
          await trx
            .insertInto("supply_unit_events")
            .values(unitRows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.columns(["unit_key", "event_hash"]).doNothing())
            .execute();
        }
        newRows += rows.length + unitRows.length;
        if (newRows >= Math.max(STATS_MIN_ROWS, analyzedRows / 10)) {
          await analyzeSupplyTables(trx);
          analyzedRows += newRows;
          newRows = 0;
        }
        model = captured.model;
        await trx.deleteFrom("supply_containment").execute();
        const pairs = model.pairs();
        for (let i = 0; i < pairs.length; i += 500) {
          await trx
            .insertInto("supply_containment")
            .values(pairs.slice(i, i + 500).map(([child, parent]) => ({ child, parent })))
            .execute();
        }
      },
    }),
  };
}
