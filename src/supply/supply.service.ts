/**
 * Supply services of the node: store a validated EPCIS document (nothing is
 * stored when it is refused, including a shipment by a partner that does not
 * hold the units it moves) so its partner can anchor it, and verify a scan
 * against the indexed, anchored journey of the unit, the recalls on chain,
 * its expiry and its digital twin, with the Merkle proof of every event
 * (stored at index time, never rebuilt per request).
 */
import { keccak256, toBytes, toHex } from "viem";
import { supplyAnchorAbi, tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { canonicalJson } from "../kernel/crypto/canonical.ts";
import { cidDigestHex } from "../kernel/crypto/cid.ts";
import { MerkleTree, merkleRoot } from "../kernel/crypto/merkle.ts";
import { checkShippingCustody } from "./custodyCheck.ts";
import { normalizeDestination, partyId } from "./sdk/custody.ts";
import { captureEpcis } from "./sdk/epcis/capture.ts";
import { eventHashDigest, hashNamespaces } from "./sdk/epcis/eventHash.ts";
import { parseScan } from "./sdk/gs1/unitKey.ts";
import { twinUnitKey } from "./sdk/twin/twinKey.ts";
import { judgeUnit, type UnitEvent } from "./sdk/verdict.ts";
import type { PreparedCapture, VerifyResult } from "./sdk/schemas.ts";
import { findTwin, TWIN_CHECK_MESSAGES } from "./twin.service.ts";
import "./sdk/errors.ts";

/**
 * Validates an EPCIS document (JSON object or XML/JSON text) that `partner` will anchor and stores its canonical
 * JSON. Refused documents store nothing: `InvalidEpcis`/`UnsupportedEpcis`, `AccessDenied` (not an active
 * partner), `CredentialRevoked`/`CredentialExpired`/`CredentialIssuerNotAccredited` (a partner registered by
 * credential whose credential is no longer valid), `NotCustodian` (a shipment of a unit `partner` does not hold; the
 * unit key is in the details).
 */
export async function prepareCapture(
  ctx: NodeContext,
  document: unknown,
  partner: `0x${string}`,
): Promise<PreparedCapture> {
  const captured = captureEpcis(document);
  const ns = hashNamespaces(captured.document["@context"]);
  const digests = captured.events.map((e) => eventHashDigest(e, ns));
  if (digests.length === 0)
    throw new MedchainError("InvalidEpcis", "the document holds no events", { details: { rule: "epcis:empty" } });
  // checkPartner refuses a partner whose credential was revoked, expired or de-accredited with the trust error
  const [, active] = await ctx.client
    .readContract({
      address: ctx.deployment.tradingPartners,
      abi: tradingPartnersAbi,
      functionName: "checkPartner",
      args: [partner],
    })
    .catch((err: unknown) => {
      throw decodeRevert(err) ?? err;
    });
  if (!active)
    throw new MedchainError("AccessDenied", "only a registered, active trading partner captures supply events", {
      details: { partner },
    });
  await checkShippingCustody(ctx, partner, captured.events);
  const bytes = canonicalJson(captured.document);
  const cid = await ctx.blobs.put(bytes);
  return {
    cid,
    digest: cidDigestHex(cid),
    root: merkleRoot(digests),
    count: digests.length,
    eventHashes: captured.hashes,
  };
}

/** The 32-byte siblings of a stored proof, as hex. */
function proofOf(bytes: Uint8Array): `0x${string}`[] {
  const out: `0x${string}`[] = [];
  for (let i = 0; i + 32 <= bytes.length; i += 32) out.push(toHex(bytes.subarray(i, i + 32)));
  return out;
}

/** Orders events as a journey: by time, then anchor, then position in the batch. */
function byJourney(
  a: { event_time: bigint; anchor_id: bigint; leaf_index: number },
  b: { event_time: bigint; anchor_id: bigint; leaf_index: number },
): number {
  if (a.event_time !== b.event_time) return a.event_time < b.event_time ? -1 : 1;
  if (a.anchor_id !== b.anchor_id) return a.anchor_id < b.anchor_id ? -1 : 1;
  return a.leaf_index - b.leaf_index;
}

/**
 * A unit's indexed events with their batches' roots, in journey order, by key lookups only: no join for the planner
 * to turn into a scan of every event when its statistics are stale.
 */
async function unitEventRows(ctx: NodeContext, key: string) {
  const db = ctx.db.kysely;
  const hashes = (
    await db.selectFrom("supply_unit_events").select("event_hash").where("unit_key", "=", key).execute()
  ).map((r) => r.event_hash);
  if (hashes.length === 0) return [];
  const events = await db.selectFrom("supply_events").selectAll().where("event_hash", "in", hashes).execute();
  const batches = await db
    .selectFrom("supply_batches")
    .select(["anchor_id", "root"])
    .where("anchor_id", "in", [...new Set(events.map((e) => e.anchor_id))])
    .execute();
  const roots = new Map(batches.map((b) => [b.anchor_id, b.root]));
  return events
    .flatMap((e) => {
      const root = roots.get(e.anchor_id);
      return root === undefined ? [] : [{ ...e, root }];
    })
    .sort(byJourney);
}

/** The open recall of a GTIN's lot, with its reason, if any (read from the chain). */
async function recallOf(
  ctx: NodeContext,
  gtin: string | undefined,
  lot: string | undefined,
): Promise<{ reason: string } | undefined> {
  if (gtin === undefined || lot === undefined) return undefined;
  const recalled = await ctx.client.readContract({
    address: ctx.deployment.supplyAnchor,
    abi: supplyAnchorAbi,
    functionName: "isRecalled",
    args: [BigInt(gtin), lot],
  });
  if (!recalled) return undefined;
  // the reason is only in the Recalled event (not in storage)
  const logs = await ctx.client.getContractEvents({
    address: ctx.deployment.supplyAnchor,
    abi: supplyAnchorAbi,
    eventName: "Recalled",
    args: { gtin: BigInt(gtin), lotHash: keccak256(toBytes(lot)) },
    fromBlock: 0n,
  });
  return { reason: logs[logs.length - 1]?.args.reason ?? "recalled by the manufacturer" };
}

/** The verdict for a scan, with the unit's journey, proofs and digital twin. */
export async function verifyScan(ctx: NodeContext, scan: string, now = Date.now()): Promise<VerifyResult> {
  const unit = parseScan(scan);
  // the index, the recall on chain and the twin are independent: read them at once
  const [rows, recall, twin] = await Promise.all([
    unitEventRows(ctx, unit.key),
    recallOf(ctx, unit.gtin, unit.lot),
    findTwin(ctx, twinUnitKey(unit.key)),
  ]);
  const partnerIds = new Map(
    await Promise.all(
      [...new Set(rows.map((r) => r.partner))].map(async (p) => {
        const info = await ctx.client.readContract({
          address: ctx.deployment.tradingPartners,
          abi: tradingPartnersAbi,
          functionName: "partnerOf",
          args: [p as `0x${string}`],
        });
        return [p, new Set([partyId(info.gln.toString().padStart(13, "0"))])] as const;
      }),
    ),
  );
  const events: UnitEvent[] = rows.map((r) => ({
    eventHash: r.event_hash,
    bizStep: r.biz_step ?? undefined,
    time: Number(r.event_time),
    partner: r.partner,
    location: r.location ?? undefined,
    destinations: (JSON.parse(r.destinations) as string[]).map(normalizeDestination),
    anchored: true,
  }));
  const commissioning = rows.find((r) => r.biz_step === "commissioning");
  const expiry = unit.expiry ?? commissioning?.ilmd_expiry ?? undefined;
  const twinMismatches = (twin?.custody ?? [])
    .filter((s) => s.check !== "ok")
    .map((s) => ({ eventHash: s.eventHash, message: TWIN_CHECK_MESSAGES[s.check] ?? s.check }));
  const judged = judgeUnit({ events, partnerIds, now, expiry, recall, twinMismatches });
  // proofs: every event against its batch's anchored root, as stored at index time (rows indexed before proofs were
  // kept: rebuilt)
  const proofs = [];
  const trees = new Map<bigint, MerkleTree>();
  for (const r of rows) {
    let proof: `0x${string}`[];
    if (r.proof !== null) {
      proof = proofOf(r.proof);
    } else {
      let tree = trees.get(r.anchor_id);
      if (tree === undefined) {
        const leaves = await ctx.db.kysely
          .selectFrom("supply_events")
          .select("event_hash")
          .where("anchor_id", "=", r.anchor_id)
          .orderBy("leaf_index")
          .execute();
        tree = MerkleTree.of(leaves.map((x) => x.event_hash as `0x${string}`));
        trees.set(r.anchor_id, tree);
      }
      proof = tree.proof(r.leaf_index);
    }
    proofs.push({
      eventHash: r.event_hash as `0x${string}`,
      anchorId: r.anchor_id.toString(),
      root: r.root as `0x${string}`,
      proof,
    });
  }
  return {
    unit: {
      key: unit.key,
      gtin: unit.gtin ?? null,
      serial: unit.serial ?? null,
      lot: unit.lot ?? null,
      expiry: expiry ?? null,
    },
    verdict: judged.verdict,
    reasons: judged.reasons,
    journey: rows.map((r) => ({
      eventHash: r.event_hash as `0x${string}`,
      anchorId: r.anchor_id.toString(),
      bizStep: r.biz_step,
      eventType: r.event_type,
      time: new Date(Number(r.event_time)).toISOString(),
      partner: r.partner as `0x${string}`,
      location: r.location,
      destinations: JSON.parse(r.destinations) as string[],
    })),
    proofs,
    twin,
  };
}
