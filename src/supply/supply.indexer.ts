/**
 * Supply events into SQL, driven by the chain: each `BatchAnchored` names the
 * CID of a canonical EPCIS document; the node fetches it, validates it
 * (schema + CBV), recomputes every CBV 2.0 event hash and checks that their
 * Merkle root and count are exactly what the partner anchored. Only then are
 * the events indexed, with aggregation expanded (shipping a pallet concerns
 * every unit inside). A batch that fails any check is recorded as refused and
 * indexes nothing. Rebuildable from the chain and the blob store.
 */
import type { Kysely, Transaction } from "kysely";
import { MedchainError } from "../core/errors.ts";
import type { PublicClient } from "viem";
import { supplyAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog, IndexerHandler } from "../node/indexer.ts";
import type { BlobStore } from "../node/blobstore/blobStore.ts";
import { cidFromDigest } from "../records/crypto/cid.ts";
import { utf8Decode } from "../records/crypto/bytes.ts";
import { merkleRoot } from "../records/crypto/merkle.ts";
import { captureEpcis } from "./sdk/epcis/capture.ts";
import { ContainmentModel } from "./sdk/epcis/aggregation.ts";
import { eventHashDigest, hashNamespaces } from "./sdk/epcis/eventHash.ts";
import { summarizeEvent } from "./sdk/unitHistory.ts";

/** The supply slice's indexer handler; `load` restores the containment model from SQL at start. */
export function supplyIndexer(supplyAnchor: `0x${string}`, blobs: BlobStore, client: PublicClient, tradingPartners: `0x${string}`): IndexerHandler & { load(db: Kysely<Database>): Promise<void> } {
  let model = new ContainmentModel();
  return {
    addresses: [supplyAnchor],
    abi: supplyAnchorAbi,
    async load(db) {
      const rows = await db.selectFrom("supply_containment").selectAll().execute();
      model = ContainmentModel.fromPairs(rows.map((r) => [r.child, r.parent] as const));
    },
    async apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        if (l.eventName !== "BatchAnchored") continue;
        const anchorId = BigInt(String(l.args.batchId));
        const partner = String(l.args.partner).toLowerCase();
        const root = String(l.args.root).toLowerCase();
        const count = Number(l.args.count);
        const docCid = cidFromDigest(l.args.batchDigest as `0x${string}`);
        const base = { anchor_id: anchorId, partner, root, count, doc_cid: docCid, block_number: l.blockNumber };
        let captured;
        let digests: `0x${string}`[];
        try {
          const text = utf8Decode(await blobs.get(docCid));
          captured = captureEpcis(text, model);
          const ns = hashNamespaces(captured.document["@context"]);
          digests = captured.events.map((e) => eventHashDigest(e, ns));
          if (digests.length !== count || merkleRoot(digests) !== root) {
            throw new MedchainError("IntegrityError", "the document's event hashes do not match the anchored root");
          }
          // Only a registered manufacturer commissions serials, and only under its own GS1 company prefix.
          for (const [i, e] of captured.events.entries()) {
            if (summarizeEvent(e).bizStep !== "commissioning") continue;
            for (const key of captured.moves[i]?.units ?? []) {
              const gtin = key.match(/\/01\/(\d{14})/)?.[1];
              if (gtin === undefined) continue;
              const owner = await client.readContract({ address: tradingPartners, abi: tradingPartnersAbi, functionName: "ownerOfGtin", args: [BigInt(gtin)] });
              if (owner.toLowerCase() !== partner) throw new MedchainError("NotOwner", "a commissioning names a GTIN outside the partner's company prefixes");
            }
          }
        } catch (err) {
          const reason = err instanceof MedchainError ? err.code : "Internal";
          await trx.insertInto("supply_batches").values({ ...base, status: "refused", reason }).onConflict((oc) => oc.column("anchor_id").doNothing()).execute();
          continue;
        }
        await trx.insertInto("supply_batches").values({ ...base, status: "indexed", reason: null }).onConflict((oc) => oc.column("anchor_id").doNothing()).execute();
        for (const [i, e] of captured.events.entries()) {
          const hash = digests[i] as `0x${string}`;
          const sum = summarizeEvent(e);
          await trx.insertInto("supply_events").values({
            event_hash: hash, anchor_id: anchorId, leaf_index: i, partner, event_type: e.type, biz_step: sum.bizStep ?? null,
            event_time: BigInt(sum.time), location: sum.location ?? null, destinations: JSON.stringify(sum.destinations), ilmd_expiry: sum.expiry ?? null,
          }).onConflict((oc) => oc.column("event_hash").doNothing()).execute();
          const keys = new Set(captured.moves[i]?.moved ?? []);
          for (const key of keys) {
            await trx.insertInto("supply_unit_events").values({ unit_key: key, event_hash: hash }).onConflict((oc) => oc.columns(["unit_key", "event_hash"]).doNothing()).execute();
          }
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
