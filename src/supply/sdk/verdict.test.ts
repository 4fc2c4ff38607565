import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { judgeUnit, type UnitEvent, type UnitFacts } from "./verdict.ts";

const MAKER = "0xmaker";
const WHOLESALER = "0xwholesaler";
const PHARMACY = "0xpharmacy";
const OTHER = "0xother";
const ids = new Map<string, Set<string>>([
  [WHOLESALER, new Set(["urn:epc:id:sgln:0614141.00001.0"])],
  [PHARMACY, new Set(["urn:epc:id:sgln:0614141.00002.0"])],
  [OTHER, new Set(["urn:epc:id:sgln:0614141.00009.0"])],
]);
const H = 3600_000;
let n = 0;
function ev(bizStep: string, partner: string, time: number, extra: Partial<UnitEvent> = {}): UnitEvent {
  n += 1;
  return {
    eventHash: `e${n}`,
    bizStep,
    partner,
    time,
    location: `loc-${partner}`,
    destinations: [],
    anchored: true,
    ...extra,
  };
}
function facts(events: UnitEvent[], extra: Partial<UnitFacts> = {}): UnitFacts {
  return { events, partnerIds: ids, now: 100 * H, ...extra };
}
const journey = (): UnitEvent[] => [
  ev("https://ref.gs1.org/cbv/BizStep-commissioning", MAKER, 1 * H),
  ev("shipping", MAKER, 2 * H, { destinations: ["urn:epc:id:sgln:0614141.00001.0"] }),
  ev("receiving", WHOLESALER, 5 * H),
  ev("urn:epcglobal:cbv:bizstep:shipping", WHOLESALER, 6 * H, { destinations: ["urn:epc:id:sgln:0614141.00002.0"] }),
  ev("receiving", PHARMACY, 9 * H),
];

describe("judgeUnit", () => {
  it("a clean journey is authentic", () => {
    assert.deepEqual(judgeUnit(facts(journey())), { verdict: "authentic", reasons: [] });
  });
  it("no commissioning on record: unknown (counterfeit red flag)", () => {
    assert.equal(judgeUnit(facts([])).verdict, "unknown");
    assert.equal(judgeUnit(facts(journey().slice(1))).reasons[0]?.code, "NO_TRACE");
  });
  it("dispensed once: a later scan is a clone alert; dispensed twice: cloned serial", () => {
    const once = judgeUnit(facts([...journey(), ev("dispensing", PHARMACY, 10 * H)]));
    assert.deepEqual([once.verdict, once.reasons.map((r) => r.code)], ["dispensed", ["ALREADY_DISPENSED"]]);
    const twice = judgeUnit(facts([...journey(), ev("dispensing", PHARMACY, 10 * H), ev("dispensing", OTHER, 30 * H)]));
    assert.equal(twice.verdict, "dispensed");
    assert.ok(twice.reasons.some((r) => r.code === "CLONED_SERIAL"));
    assert.ok(
      twice.reasons.some((r) => r.code === "CUSTODY_GAP"),
      "the second dispenser never received it",
    );
  });
  it("recalled and expired, with all reasons, the most serious verdict first", () => {
    const r = judgeUnit(facts(journey(), { recall: { reason: "contamination" }, expiry: "1970-01-02" }));
    assert.equal(r.verdict, "recalled");
    assert.deepEqual(
      r.reasons.map((x) => x.code),
      ["RECALLED", "EXPIRED"],
    );
    assert.equal(judgeUnit(facts(journey(), { expiry: "1970-01-02" })).verdict, "expired");
    assert.equal(judgeUnit(facts(journey(), { expiry: "2999-12-31" })).verdict, "authentic");
  });
  it("custody gaps and impossible travel make it suspect", () => {
    const diverted = journey();
    diverted[2] = ev("receiving", OTHER, 5 * H);
    const r = judgeUnit(facts(diverted));
    assert.equal(r.verdict, "suspect");
    assert.equal(r.reasons[0]?.code, "CUSTODY_GAP");
    const fast = [...journey(), ev("receiving", OTHER, 9 * H + 60_000)];
    assert.ok(judgeUnit(facts(fast)).reasons.some((x) => x.code === "IMPOSSIBLE_TRAVEL"));
  });
  it("events not anchored yet are reported without changing the verdict", () => {
    const j = journey();
    j[4] = { ...(j[4] as UnitEvent), anchored: false };
    const r = judgeUnit(facts(j));
    assert.deepEqual([r.verdict, r.reasons.map((x) => x.code)], ["authentic", ["NOT_ANCHORED"]]);
  });
});
