/**
 * Supply services of the node: store a validated EPCIS document (nothing is
 * stored when it is refused) so its partner can anchor it, and verify a scan
 * against the indexed, anchored journey of the unit, the recalls on chain and
 * its expiry, with a Merkle proof for every event.
 */
import { keccak256, toBytes } from "viem";
import { supplyAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { MedchainError } from "../core/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { canonicalJson } from "../records/crypto/canonical.ts";
import { cidDigestHex } from "../records/crypto/cid.ts";
import { merkleProof, merkleRoot } from "../records/crypto/merkle.ts";
import { captureEpcis } from "./sdk/epcis/capture.ts";
import { eventHashDigest, hashNamespaces } from "./sdk/epcis/eventHash.ts";
import { parseScan } from "./sdk/gs1/unitKey.ts";
import { judgeUnit, type UnitEvent } from "./sdk/verdict.ts";
import type { PreparedCapture, VerifyResult } from "./supply.schemas.ts";


/** Validates an EPCIS document (JSON object or XML/JSON text) and stores its canonical JSON; refused documents store nothing. */
export async function prepareCapture(ctx: NodeContext, document: unknown): Promise<PreparedCapture> {
  const captured = captureEpcis(document);
  const ns = hashNamespaces(captured.document["@context"]);
  const digests = captured.events.map((e) => eventHashDigest(e, ns));
  if (digests.length === 0) throw new MedchainError("InvalidEpcis", "the document holds no events", { details: { rule: "epcis:empty" } });
  const bytes = canonicalJson(captured.document);
  const cid = await ctx.blobs.put(bytes);
  return { cid, digest: cidDigestHex(cid), root: merkleRoot(digests), count: digests.length, eventHashes: captured.hashes };
}

/** The verdict for a scan, with the unit's journey and proofs. */
export async function verifyScan(ctx: NodeContext, scan: string, now = Date.now()): Promise<VerifyResult> {
  const unit = parseScan(scan);
  const rows = await ctx.db.kysely.selectFrom("supply_unit_events as u").innerJoin("supply_events as e", "e.event_hash", "u.event_hash")
    .selectAll("e").where("u.unit_key", "=", unit.key).orderBy("e.event_time").orderBy("e.anchor_id").orderBy("e.leaf_index").execute();
  const partners = [...new Set(rows.map((r) => r.partner))];
  const partnerIds = new Map<string, Set<string>>();
  for (const p of partners) {
    const info = await ctx.client.readContract({ address: ctx.deployment.tradingPartners, abi: tradingPartnersAbi, functionName: "partnerOf", args: [p as `0x${string}`] });
    const gln = info.gln.toString().padStart(13, "0");
    partnerIds.set(p, new Set([`https://id.gs1.org/414/${gln}`]));
  }
  const events: UnitEvent[] = rows.map((r) => ({
    eventHash: r.event_hash, bizStep: r.biz_step ?? undefined, time: Number(r.event_time), partner: r.partner, location: r.location ?? undefined,
    destinations: (JSON.parse(r.destinations) as string[]).map((d) => d.replace(/^(https:\/\/id\.gs1\.org\/414\/\d{13}).*$/, "$1")), anchored: true,
  }));
  const commissioning = rows.find((r) => r.biz_step === "commissioning");
  const expiry = unit.expiry ?? commissioning?.ilmd_expiry ?? undefined;
  let recall: { reason: string } | undefined;
  if (unit.gtin !== undefined && unit.lot !== undefined) {
    const recalled = await ctx.client.readContract({ address: ctx.deployment.supplyAnchor, abi: supplyAnchorAbi, functionName: "isRecalled", args: [BigInt(unit.gtin), unit.lot] });
    if (recalled) {
      // the reason is only in the Recalled event (not in storage)
      const logs = await ctx.client.getContractEvents({
        address: ctx.deployment.supplyAnchor, abi: supplyAnchorAbi, eventName: "Recalled", args: { gtin: BigInt(unit.gtin), lotHash: keccak256(toBytes(unit.lot)) }, fromBlock: 0n,
      });
      recall = { reason: logs[logs.length - 1]?.args.reason ?? "recalled by the manufacturer" };
    }
  }
  const judged = judgeUnit({ events, partnerIds, now, expiry, recall });
  // proofs: every event against its batch's anchored root
  const proofs = [];
  const leavesByAnchor = new Map<bigint, `0x${string}`[]>();
  for (const r of rows) {
    let leaves = leavesByAnchor.get(r.anchor_id);
    if (leaves === undefined) {
      leaves = (await ctx.db.kysely.selectFrom("supply_events").select("event_hash").where("anchor_id", "=", r.anchor_id).orderBy("leaf_index").execute()).map((x) => x.event_hash as `0x${string}`);
      leavesByAnchor.set(r.anchor_id, leaves);
    }
    proofs.push({ eventHash: r.event_hash as `0x${string}`, anchorId: r.anchor_id.toString(), root: merkleRoot(leaves), proof: merkleProof(leaves, r.leaf_index) });
  }
  return {
    unit: { key: unit.key, gtin: unit.gtin ?? null, serial: unit.serial ?? null, lot: unit.lot ?? null, expiry: expiry ?? null },
    verdict: judged.verdict, reasons: judged.reasons,
    journey: rows.map((r) => ({
      eventHash: r.event_hash as `0x${string}`, anchorId: r.anchor_id.toString(), bizStep: r.biz_step, eventType: r.event_type,
      time: new Date(Number(r.event_time)).toISOString(), partner: r.partner as `0x${string}`, location: r.location,
    })),
    proofs,
  };
}
