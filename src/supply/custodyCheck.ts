/**
 * "Only the current custodian ships a unit", enforced when a partner captures
 * through the node: every serialized unit a shipping event of the document
 * moves (units inside shipped cases and pallets included, through the indexed
 * containment) is followed from its indexed history and the document's own
 * earlier events with the verifier's custody rule (`sdk/custody.ts`); a
 * shipment by a partner that does not hold the unit is refused with
 * `NotCustodian`. The chain-driven indexer still accepts whatever is anchored
 * on chain (the chain decides): a document anchored without this check is
 * indexed and its scan is flagged `CUSTODY_GAP` by the verifier.
 */
import { sql } from "kysely";
import { tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { ContainmentModel, namedObjects, replayContainment } from "./sdk/epcis/aggregation.ts";
import type { EpcisEvent } from "./sdk/epcis/types.ts";
import { followCustody, normalizeDestination, partyId, type CustodyEvent, type CustodyState } from "./sdk/custody.ts";
import { summarizeEvent } from "./sdk/unitHistory.ts";
import "./sdk/errors.ts";

const CHUNK = 1000;
/** Serialized trade items (GTIN + serial): the units custody is about. */
const SERIALIZED = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/21\//;

/** The indexed containment below the named objects (all their contents, transitively). */
async function containmentBelow(ctx: NodeContext, named: readonly string[]): Promise<ContainmentModel> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < named.length; i += CHUNK) {
    const ids = named.slice(i, i + CHUNK);
    const { rows } = await sql<{ child: string; parent: string }>`
      with recursive down(child, parent) as (
        select child, parent from supply_containment where parent in (${sql.join(ids)})
        union
        select c.child, c.parent from supply_containment c join down d on c.parent = d.child
      ) select child, parent from down`.execute(ctx.db.kysely);
    for (const r of rows) pairs.push([r.child, r.parent]);
  }
  return ContainmentModel.fromPairs(pairs);
}

interface Step extends CustodyEvent {
  time: number;
  /** Index of the event in the captured document; undefined for an indexed event. */
  docIndex: number | undefined;
  /** For an indexed event: its batch and position in it (the journey order at equal times). */
  anchor?: bigint;
  leaf?: number;
}

/** Journey order: by time; at equal times indexed events (in anchor order) before the document's (in its order). */
function byTime(a: Step, b: Step): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.docIndex !== undefined || b.docIndex !== undefined) return (a.docIndex ?? -1) - (b.docIndex ?? -1);
  if (a.anchor !== b.anchor) return (a.anchor ?? 0n) < (b.anchor ?? 0n) ? -1 : 1;
  return (a.leaf ?? 0) - (b.leaf ?? 0);
}

/**
 * Throws `NotCustodian` if a shipping event of `events` (captured by `partner`) moves a unit `partner` does not hold.
 */
export async function checkShippingCustody(
  ctx: NodeContext,
  partner: `0x${string}`,
  events: readonly EpcisEvent[],
): Promise<void> {
  const summaries = events.map(summarizeEvent);
  if (!summaries.some((s) => s.bizStep === "shipping")) return;
  const me = partner.toLowerCase();
  const named = [...new Set(events.flatMap(namedObjects))];
  const { moves } = replayContainment(events, await containmentBelow(ctx, named));

  const docSteps = new Map<string, Step[]>();
  const toCheck = new Set<string>();
  for (const [i, s] of summaries.entries()) {
    const step: Step = {
      bizStep: s.bizStep,
      partner: me,
      destinations: s.destinations.map(normalizeDestination),
      time: s.time,
      docIndex: i,
    };
    for (const key of moves[i]?.moved ?? []) {
      if (!SERIALIZED.test(key)) continue;
      docSteps.set(key, [...(docSteps.get(key) ?? []), step]);
      if (s.bizStep === "shipping") toCheck.add(key);
    }
  }
  if (toCheck.size === 0) return;

  const info = await ctx.client.readContract({
    address: ctx.deployment.tradingPartners,
    abi: tradingPartnersAbi,
    functionName: "partnerOf",
    args: [partner],
  });
  const ids = new Map([[me, new Set([partyId(info.gln.toString().padStart(13, "0"))])]]);
  const keys = [...toCheck];
  const history = new Map<string, Step[]>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const links = await ctx.db.kysely
      .selectFrom("supply_unit_events")
      .select(["unit_key", "event_hash"])
      .where("unit_key", "in", keys.slice(i, i + CHUNK))
      .execute();
    const hashes = [...new Set(links.map((l) => l.event_hash))];
    const events = new Map<string, Step>();
    for (let j = 0; j < hashes.length; j += CHUNK) {
      const rows = await ctx.db.kysely
        .selectFrom("supply_events")
        .select(["event_hash", "anchor_id", "leaf_index", "biz_step", "partner", "event_time", "destinations"])
        .where("event_hash", "in", hashes.slice(j, j + CHUNK))
        .execute();
      for (const r of rows) {
        events.set(r.event_hash, {
          bizStep: r.biz_step ?? undefined,
          partner: r.partner,
          destinations: (JSON.parse(r.destinations) as string[]).map(normalizeDestination),
          time: Number(r.event_time),
          docIndex: undefined,
          anchor: r.anchor_id,
          leaf: r.leaf_index,
        });
      }
    }
    for (const l of links) {
      const step = events.get(l.event_hash);
      if (step !== undefined) history.set(l.unit_key, [...(history.get(l.unit_key) ?? []), step]);
    }
  }

  for (const key of keys) {
    const steps = [...(history.get(key) ?? []), ...(docSteps.get(key) ?? [])].sort(byTime);
    let state: CustodyState = {};
    for (const step of steps) {
      const r = followCustody(state, step, ids);
      if (
        step.docIndex !== undefined &&
        step.bizStep === "shipping" &&
        (state.custodian === undefined || r.gap !== undefined)
      ) {
        throw new MedchainError(
          "NotCustodian",
          "the capturing partner does not hold a unit this shipment moves: only the current custodian ships a unit",
          {
            details: {
              unitKey: key,
              event: step.docIndex,
              custodian: state.custodian ?? null,
              reason: state.custodian === undefined ? "no-commissioning" : r.gap,
            },
          },
        );
      }
      state = r.state;
    }
  }
}
