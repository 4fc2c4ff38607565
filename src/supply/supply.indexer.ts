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
import { concat, hexToBytes, type Abi, type PublicClient } from "viem";
import { digitalTwinAbi, supplyAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog, IndexerHandler } from "../node/indexer.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { cidFromDigest } from "../kernel/crypto/cid.ts";
import { utf8Decode } from "../kernel/crypto/bytes.ts";
import { MerkleTree } from "../kernel/crypto/merkle.ts";
import { captureEpcis } from "./sdk/epcis/capture.ts";
import { ContainmentModel } from "./sdk/epcis/aggregation.ts";
import { eventHashDigest, hashNamespaces } from "./sdk/epcis/eventHash.ts";
import { summarizeEvent } from "./sdk/unitHistory.ts";
import { applyTwinLog, TWIN_EVENTS } from "./twin.indexer.ts";

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

/** The supply slice's indexer handler; `load` restores the containment model from SQL at start. */
export function supplyIndexer(contracts: SupplyContracts, blobs: BlobStore, client: PublicClient): IndexerHandler & { load(db: Kysely<Database>): Promise<void> } {
  const { supplyAnchor, digitalTwin, tradingPartners } = contracts;
  let model = new ContainmentModel();
  let analyzedRows = 0;
  let newRows = 0;
  return {
    addresses: [supplyAnchor, digitalTwin],
    abi: [...supplyAnchorAbi, ...digitalTwinAbi] as Abi,
    async load(db) {
      const { rows: stats } = await sql<{ tuples: number }>`select reltuples::float8 as tuples from pg_class where oid = to_regclass('supply_unit_events')`.execute(db);
      analyzedRows = Math.max(0, stats[0]?.tuples ?? 0);
      if ((stats[0]?.tuples ?? 0) < 0) await analyzeSupplyTables(db); // never analyzed (e.g. an index built before this existed)
      const rows = await db.selectFrom("supply_containment").selectAll().execute();
      model = ContainmentModel.fromPairs(rows.map((r) => [r.child, r.parent] as const));
    },
    async apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        if (TWIN_EVENTS.has(l.eventName)) {
          await applyTwinLog(trx, l, client, tradingPartners);
          continue;
        }
        if (l.eventName !== "BatchAnchored") continue;
        const anchorId = BigInt(String(l.args.batchId));
        const partner = String(l.args.partner).toLowerCase();
        const root = String(l.args.root).toLowerCase();
        const count = Number(l.args.count);
        const docCid = cidFromDigest(l.args.batchDigest as `0x${string}`);
        const base = { anchor_id: anchorId, partner, root, count, doc_cid: docCid, block_number: l.blockNumber };
        let captured;
        let digests: `0x${string}`[];
        let tree: MerkleTree;
        try {
          const text = utf8Decode(await blobs.get(docCid));
          captured = captureEpcis(text, model);
          const ns = hashNamespaces(captured.document["@context"]);
          digests = captured.events.map((e) => eventHashDigest(e, ns));
          tree = MerkleTree.of(digests);
          if (digests.length !== count || tree.root !== root) {
            throw new MedchainError("IntegrityError", "the document's event hashes do not match the anchored root");
          }
          // Only a registered manufacturer commissions serials, and only under its own GS1 company prefix (one read per GTIN).
          const gtins = new Set<string>();
          for (const [i, e] of captured.events.entries()) {
            if (summarizeEvent(e).bizStep !== "commissioning") continue;
            for (const key of captured.moves[i]?.units ?? []) {
              const gtin = key.match(/\/01\/(\d{14})/)?.[1];
              if (gtin !== undefined) gtins.add(gtin);
            }
          }
          for (const gtin of gtins) {
            const owner = await client.readContract({ address: tradingPartners, abi: tradingPartnersAbi, functionName: "ownerOfGtin", args: [BigInt(gtin)] });
            if (owner.toLowerCase() !== partner) throw new MedchainError("NotOwner", "a commissioning names a GTIN outside the partner's company prefixes");
          }
        } catch (err) {
          const reason = err instanceof MedchainError ? err.code : "Internal";
          await trx.insertInto("supply_batches").values({ ...base, status: "refused", reason }).onConflict((oc) => oc.column("anchor_id").doNothing()).execute();
          continue;
        }
        await trx.insertInto("supply_batches").values({ ...base, status: "indexed", reason: null }).onConflict((oc) => oc.column("anchor_id").doNothing()).execute();
        const rows = captured.events.map((e, i) => {
          const sum = summarizeEvent(e);
          return {
            event_hash: digests[i] as `0x${string}`, anchor_id: anchorId, leaf_index: i, partner, event_type: e.type, biz_step: sum.bizStep ?? null,
            event_time: BigInt(sum.time), location: sum.location ?? null, destinations: JSON.stringify(sum.destinations), ilmd_expiry: sum.expiry ?? null,
            proof: hexToBytes(concat(tree.proof(i))),
          };
        });
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto("supply_events").values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.column("event_hash").doNothing()).execute();
        }
        const unitRows = captured.events.flatMap((_, i) => [...new Set(captured.moves[i]?.moved ?? [])].map((key) => ({ unit_key: key, event_hash: digests[i] as string })));
        for (let i = 0; i < unitRows.length; i += CHUNK) {
          await trx.insertInto("supply_unit_events").values(unitRows.slice(i, i + CHUNK)).onConflict((oc) => oc.columns(["unit_key", "event_hash"]).doNothing()).execute();
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
          await trx.insertInto("supply_containment").values(pairs.slice(i, i + 500).map(([child, parent]) => ({ child, parent }))).execute();
        }
      }
    },
  };
}
