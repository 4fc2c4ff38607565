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
import { MedchainError } from "../core/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { ContainmentModel, namedObjects, replayContainment } from "./sdk/epcis/aggregation.ts";
import type { EpcisEvent } from "./sdk/epcis/types.ts";
import { followCustody, normalizeDestination, partyId, type CustodyEvent, type CustodyState } from "./sdk/custody.ts";
import { summarizeEvent } from "./sdk/unitHistory.ts";

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
}

/** Throws `NotCustodian` if a shipping event of `events` (captured by `partner`) moves a unit `partner` does not hold. */
export async function checkShippingCustody(ctx: NodeContext, partner: `0x${string}`, events: readonly EpcisEvent[]): Promise<void> {
  const summaries = events.map(summarizeEvent);
  if (!summaries.some((s) => s.bizStep === "shipping")) return;
  const me = partner.toLowerCase();
  const named = [...new Set(events.flatMap(namedObjects))];
  const { moves } = replayContainment(events, await containmentBelow(ctx, named));

  const docSteps = new Map<string, Step[]>();
  const toCheck = new Set<string>();
  for (const [i, s] of summaries.entries()) {
    const step: Step = { bizStep: s.bizStep, partner: me, destinations: s.destinations.map(normalizeDestination), time: s.time, docIndex: i };
    for (const key of moves[i]?.moved ?? []) {
      if (!SERIALIZED.test(key)) continue;
      docSteps.set(key, [...(docSteps.get(key) ?? []), step]);
      if (s.bizStep === "shipping") toCheck.add(key);
    }
  }
  if (toCheck.size === 0) return;

  const info = await ctx.client.readContract({ address: ctx.deployment.tradingPartners, abi: tradingPartnersAbi, functionName: "partnerOf", args: [partner] });
  const ids = new Map([[me, new Set([partyId(info.gln.toString().padStart(13, "0"))])]]);
  const keys = [...toCheck];
  const history = new Map<string, Step[]>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await ctx.db.kysely.selectFrom("supply_unit_events as u").innerJoin("supply_events as e", "e.event_hash", "u.event_hash")
      .select(["u.unit_key", "e.biz_step", "e.partner", "e.event_time", "e.destinations"])
      .where("u.unit_key", "in", keys.slice(i, i + CHUNK)).orderBy("e.event_time").orderBy("e.anchor_id").orderBy("e.leaf_index").execute();
    for (const r of rows) {
      const step: Step = { bizStep: r.biz_step ?? undefined, partner: r.partner, destinations: (JSON.parse(r.destinations) as string[]).map(normalizeDestination), time: Number(r.event_time), docIndex: undefined };
      history.set(r.unit_key, [...(history.get(r.unit_key) ?? []), step]);
    }
  }

  for (const key of keys) {
    // indexed events first at equal times (they happened before this capture), then the document's, in its order
    const steps = [...(history.get(key) ?? []), ...(docSteps.get(key) ?? [])].sort((a, b) => a.time - b.time);
    let state: CustodyState = {};
    for (const step of steps) {
      const r = followCustody(state, step, ids);
      if (step.docIndex !== undefined && step.bizStep === "shipping" && (state.custodian === undefined || r.gap !== undefined)) {
        throw new MedchainError("NotCustodian", "the capturing partner does not hold a unit this shipment moves: only the current custodian ships a unit", {
          details: { unitKey: key, event: step.docIndex, custodian: state.custodian ?? null, reason: state.custodian === undefined ? "no-commissioning" : r.gap },
        });
      }
      state = r.state;
    }
  }
}
