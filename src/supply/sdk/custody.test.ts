import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { followCustody, normalizeDestination, partyId, type CustodyEvent, type CustodyState } from "./custody.ts";

const MAKER = "0xmaker";
const WHOLESALER = "0xwholesaler";
const PHARMACY = "0xpharmacy";
const ids = new Map<string, Set<string>>([
  [WHOLESALER, new Set([partyId("0399999999991")])],
  [PHARMACY, new Set([partyId("0399997777771")])],
]);
const ev = (bizStep: string, partner: string, destinations: string[] = []): CustodyEvent => ({
  bizStep,
  partner,
  destinations,
});

/** Runs events through followCustody; returns the final state and each event's gap. */
function walk(events: CustodyEvent[]): { state: CustodyState; gaps: Array<string | undefined> } {
  let state: CustodyState = {};
  const gaps: Array<string | undefined> = [];
  for (const e of events) {
    const r = followCustody(state, e, ids);
    gaps.push(r.gap);
    state = r.state;
  }
  return { state, gaps };
}

describe("followCustody", () => {
  it("commissioning, a shipment addressed to the next handler, and its receipt keep custody unbroken", () => {
    const r = walk([
      ev("commissioning", MAKER),
      ev("shipping", MAKER, [partyId("0399999999991")]),
      ev("receiving", WHOLESALER),
      ev("shipping", WHOLESALER, [partyId("0399997777771")]),
      ev("receiving", PHARMACY),
    ]);
    assert.deepEqual(r.gaps, [undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual(r.state, { custodian: PHARMACY, inTransitTo: undefined });
  });
  it("a partner handling a unit nobody shipped to it breaks custody (no-shipment), and then holds it", () => {
    const r = walk([ev("commissioning", MAKER), ev("shipping", WHOLESALER, [partyId("0399997777771")])]);
    assert.deepEqual(r.gaps, [undefined, "no-shipment"]);
    assert.equal(r.state.custodian, WHOLESALER);
  });
  it("a shipment addressed elsewhere breaks custody (unaddressed); an unaddressed shipment hands it to anyone", () => {
    assert.deepEqual(
      walk([ev("commissioning", MAKER), ev("shipping", MAKER, [partyId("0399999999991")]), ev("receiving", PHARMACY)])
        .gaps,
      [undefined, undefined, "unaddressed"],
    );
    assert.deepEqual(walk([ev("commissioning", MAKER), ev("shipping", MAKER, []), ev("receiving", PHARMACY)]).gaps, [
      undefined,
      undefined,
      undefined,
    ]);
  });
  it("before commissioning nobody holds the unit and nothing is a gap", () => {
    const r = walk([ev("shipping", WHOLESALER), ev("receiving", PHARMACY)]);
    assert.deepEqual(r.gaps, [undefined, undefined]);
    assert.equal(r.state.custodian, undefined);
  });
  it("destinations with a GLN extension compare as their GLN", () => {
    assert.equal(normalizeDestination("https://id.gs1.org/414/0399999999991/254/7"), partyId("0399999999991"));
    assert.equal(normalizeDestination("urn:example:dock"), "urn:example:dock");
  });
});
