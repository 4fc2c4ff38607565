/**
 * The verification verdict for one scanned unit (isomorphic, pure): from the
 * unit's event history (already expanded through aggregation, in time
 * order), the recalls and the expiry, decide `authentic`, `unknown`,
 * `dispensed`, `recalled`, `expired` or `suspect`, with every reason that
 * applies. "No trace on the chain is a red flag": a unit nobody commissioned
 * is `unknown`. The most serious verdict wins; all reasons are reported.
 */
import { followCustody, type CustodyState } from "./custody.ts";

/** What a pharmacist or patient is told. */
export type Verdict = "unknown" | "dispensed" | "recalled" | "expired" | "suspect" | "authentic";

/** Most serious first. */
export const VERDICT_ORDER: readonly Verdict[] = [
  "unknown",
  "dispensed",
  "recalled",
  "expired",
  "suspect",
  "authentic",
];

/** One event of a unit's history, as the verifier needs it. */
export interface UnitEvent {
  eventHash: string;
  /** CBV business step, short form (`commissioning`, `shipping`, `receiving`, `dispensing`, `decommissioning`, ...). */
  bizStep: string | undefined;
  /** Event time, ms since epoch. */
  time: number;
  /** The trading partner that captured the event (address). */
  partner: string;
  /** Where it happened (bizLocation, else readPoint), if stated. */
  location: string | undefined;
  /** For shipping: the stated destination party/location ids (SGLN/GLN URIs). */
  destinations: readonly string[];
  /** Whether the event is in a batch whose root is anchored on chain. */
  anchored: boolean;
}

/** Why a verdict was reached. */
export interface VerdictReason {
  code:
    | "NO_TRACE"
    | "CLONED_SERIAL"
    | "ALREADY_DISPENSED"
    | "RECALLED"
    | "EXPIRED"
    | "CUSTODY_GAP"
    | "IMPOSSIBLE_TRAVEL"
    | "TWIN_MISMATCH"
    | "NOT_ANCHORED";
  verdict: Verdict;
  message: string;
  eventHash?: string;
}

/** Everything known about a unit at the time of the scan. */
export interface UnitFacts {
  events: readonly UnitEvent[];
  /** A recall of the unit's GTIN and lot, if any. */
  recall?: { reason: string } | undefined;
  /** Expiry date (ISO yyyy-mm-dd) from the scan or the commissioning ILMD. */
  expiry?: string | undefined;
  /** Identifiers (GLN/SGLN URIs) each partner address is known by, to follow custody. */
  partnerIds: ReadonlyMap<string, ReadonlySet<string>>;
  /** The scan time, ms since epoch. */
  now: number;
  /** Custody steps of the unit's digital twin whose proven event does not say what the step did (see twin checks). */
  twinMismatches?: ReadonlyArray<{ eventHash: string; message: string }> | undefined;
  /** Two events at different locations closer in time than this are impossible travel (default 10 minutes). */
  minTravelMs?: number;
}

const DISPENSE = new Set(["dispensing", "decommissioning", "retail_selling"]);

function step(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const m = s.match(/(?:BizStep-|bizstep:)([A-Za-z_]+)$/);
  return (m?.[1] ?? s).toLowerCase();
}

/** Decides the verdict for a unit. */
export function judgeUnit(f: UnitFacts): { verdict: Verdict; reasons: VerdictReason[] } {
  const reasons: VerdictReason[] = [];
  const events = [...f.events].sort((a, b) => a.time - b.time);
  if (!events.some((e) => step(e.bizStep) === "commissioning")) {
    reasons.push({
      code: "NO_TRACE",
      verdict: "unknown",
      message: "no commissioning of this serial is " + "on record: counterfeit red flag",
    });
  }
  const dispenses = events.filter((e) => DISPENSE.has(step(e.bizStep) ?? ""));
  if (dispenses.length > 1) {
    const places = [...new Set(dispenses.map((e) => e.location ?? e.partner))];
    reasons.push({
      code: "CLONED_SERIAL",
      verdict: "dispensed",
      message: `dispensed ${dispenses.length} times (${places.length} place(s)): a cloned serial`,
      eventHash: dispenses[1]?.eventHash,
    });
  } else if (dispenses.length === 1) {
    reasons.push({
      code: "ALREADY_DISPENSED",
      verdict: "dispensed",
      message: "this pack was already dispensed; " + "a second scan is a clone alert",
      eventHash: dispenses[0]?.eventHash,
    });
  }
  if (f.recall !== undefined)
    reasons.push({ code: "RECALLED", verdict: "recalled", message: `the lot is recalled: ${f.recall.reason}` });
  if (f.expiry !== undefined && Date.parse(`${f.expiry}T23:59:59Z`) < f.now)
    reasons.push({ code: "EXPIRED", verdict: "expired", message: `expired on ${f.expiry}` });

  // Custody: the commissioner holds the unit; a shipment hands it to its destination, who must receive it next.
  let custody: CustodyState = {};
  for (const e of events) {
    const r = followCustody(
      custody,
      { bizStep: step(e.bizStep), partner: e.partner, destinations: e.destinations },
      f.partnerIds,
    );
    if (r.gap !== undefined) {
      reasons.push({
        code: "CUSTODY_GAP",
        verdict: "suspect",
        eventHash: e.eventHash,
        message:
          r.gap === "no-shipment"
            ? "handled by a partner without " + "a shipment to it on record"
            : "handled by a partner the shipment was not addressed to",
      });
    }
    custody = r.state;
  }
  for (const m of f.twinMismatches ?? [])
    reasons.push({ code: "TWIN_MISMATCH", verdict: "suspect", message: m.message, eventHash: m.eventHash });
  const minTravel = f.minTravelMs ?? 10 * 60_000;
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1];
    const b = events[i];
    if (a === undefined || b === undefined) continue;
    if (
      a.location !== undefined &&
      b.location !== undefined &&
      a.location !== b.location &&
      b.time - a.time < minTravel &&
      a.partner !== b.partner
    ) {
      reasons.push({
        code: "IMPOSSIBLE_TRAVEL",
        verdict: "suspect",
        message: "seen at two places " + "too close in time",
        eventHash: b.eventHash,
      });
    }
  }
  const unanchored = events.filter((e) => !e.anchored).length;
  if (unanchored > 0)
    reasons.push({
      code: "NOT_ANCHORED",
      verdict: "authentic",
      message: `${unanchored} event(s) not yet anchored on chain (proofs pending)`,
    });
  const verdict =
    VERDICT_ORDER.find((v) => reasons.some((r) => r.verdict === v && r.code !== "NOT_ANCHORED")) ?? "authentic";
  return { verdict, reasons };
}
