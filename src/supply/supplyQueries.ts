/**
 * Read-only supply views for partners (the web portal's supply pages): a
 * partner's anchored batches as indexed, one batch's events with an
 * inclusion proof each plus the root the chain holds now, and the recalls
 * the chain recorded. Nothing here writes.
 */
import { supplyAnchorAbi } from "../chain/generated/contracts.ts";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import type { SupplyBatchesTable } from "../node/db/schema.ts";
import type { Selectable } from "kysely";
import { merkleProof } from "../kernel/crypto/merkle.ts";
import type { AnchorDetail, AnchorSummary, RecallInfo } from "./sdk/schemas.ts";

function summary(r: Selectable<SupplyBatchesTable>): AnchorSummary {
  return {
    anchorId: r.anchor_id.toString(),
    partner: r.partner as `0x${string}`,
    root: r.root as `0x${string}`,
    count: r.count,
    status: r.status,
    reason: r.reason,
    blockNumber: Number(r.block_number),
  };
}

/** Anchored batches, newest first (of one partner, or all), at most 500. */
export async function listAnchors(ctx: NodeContext, partner?: `0x${string}`): Promise<AnchorSummary[]> {
  let q = ctx.db.kysely.selectFrom("supply_batches").selectAll().orderBy("anchor_id", "desc").limit(500);
  if (partner !== undefined) q = q.where("partner", "=", partner.toLowerCase());
  return (await q.execute()).map(summary);
}

/** One anchored batch with its events, their proofs, and the root on chain. `NotFound` when not indexed. */
export async function anchorDetail(ctx: NodeContext, anchorId: bigint): Promise<AnchorDetail> {
  const row = await ctx.db.kysely
    .selectFrom("supply_batches")
    .selectAll()
    .where("anchor_id", "=", anchorId)
    .executeTakeFirst();
  if (row === undefined)
    throw new MedchainError("NotFound", "no such anchored batch (yet)", { details: { anchorId: anchorId.toString() } });
  const events = await ctx.db.kysely
    .selectFrom("supply_events")
    .selectAll()
    .where("anchor_id", "=", anchorId)
    .orderBy("leaf_index")
    .execute();
  const leaves = events.map((e) => e.event_hash as `0x${string}`);
  const [, root] = await ctx.client.readContract({
    address: ctx.deployment.supplyAnchor,
    abi: supplyAnchorAbi,
    functionName: "batchRoot",
    args: [anchorId],
  });
  return {
    anchor: summary(row),
    chainRoot: BigInt(root) === 0n ? null : (root.toLowerCase() as `0x${string}`),
    events: events.map((e, i) => ({
      eventHash: e.event_hash as `0x${string}`,
      leafIndex: e.leaf_index,
      eventType: e.event_type,
      bizStep: e.biz_step,
      time: new Date(Number(e.event_time)).toISOString(),
      location: e.location,
      proof: merkleProof(leaves, i),
    })),
  };
}

/** Every recall the chain recorded, newest first, with whether it still stands. */
export async function listRecalls(ctx: NodeContext): Promise<RecallInfo[]> {
  const logs = await ctx.client.getContractEvents({
    address: ctx.deployment.supplyAnchor,
    abi: supplyAnchorAbi,
    eventName: "Recalled",
    fromBlock: 0n,
  });
  const out: RecallInfo[] = [];
  for (const l of logs) {
    const gtin = l.args.gtin ?? 0n;
    const lot = l.args.lot ?? "";
    const active = await ctx.client.readContract({
      address: ctx.deployment.supplyAnchor,
      abi: supplyAnchorAbi,
      functionName: "isRecalled",
      args: [gtin, lot],
    });
    out.push({
      gtin: gtin.toString().padStart(14, "0"),
      lot,
      manufacturer: (l.args.manufacturer ?? "0x").toLowerCase() as `0x${string}`,
      reason: l.args.reason ?? "",
      blockNumber: Number(l.blockNumber),
      txHash: l.transactionHash,
      active,
    });
  }
  return out.reverse();
}
