/**
 * Containment from AggregationEvents: packing, unpacking, re-packing,
 * decommissioning, identifier forms, cycles, and what a shipment moves.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../../src/kernel/errors.ts";
import {
  containmentKey,
  ContainmentModel,
  replayContainment,
  type EpcisEvent,
} from "../../src/supply/sdk/epcis/index.ts";

const T = { eventTime: "2024-01-01T00:00:00Z", eventTimeZoneOffset: "+00:00" };
const unit = (n: number): string => `urn:epc:id:sgtin:030001.0012345.${n}`;
const box = (n: number): string => `urn:epc:id:sgtin:030001.1012345.${n}`;
const PALLET = "urn:epc:id:sscc:030001.41234567890";
const pack = (parentID: string, childEPCs: string[]): EpcisEvent => ({
  type: "AggregationEvent",
  ...T,
  parentID,
  childEPCs,
  action: "ADD",
  bizStep: "packing",
});
const unpack = (parentID: string, childEPCs?: string[]): EpcisEvent => ({
  type: "AggregationEvent",
  ...T,
  parentID,
  ...(childEPCs ? { childEPCs } : {}),
  action: "DELETE",
  bizStep: "unpacking",
});
const ship = (epcList: string[]): EpcisEvent => ({
  type: "ObjectEvent",
  ...T,
  epcList,
  action: "OBSERVE",
  bizStep: "shipping",
});
const keys = (ids: string[]): string[] => ids.map(containmentKey).sort();

function model(events: EpcisEvent[]): ContainmentModel {
  return replayContainment(events).model;
}

describe("containment", () => {
  const packed = [pack(box(1), [unit(1), unit(2)]), pack(box(2), [unit(3)]), pack(PALLET, [box(1), box(2)])];

  it("contents are transitive, units are the innermost objects", () => {
    const m = model(packed);
    assert.deepEqual(keys(m.contentsOf(PALLET)), keys([box(1), box(2), unit(1), unit(2), unit(3)]));
    assert.deepEqual(m.unitsIn(PALLET).sort(), keys([unit(1), unit(2), unit(3)]));
    assert.equal(m.parentOf(unit(3)), containmentKey(box(2)));
    assert.equal(m.outermostOf(unit(1)), containmentKey(PALLET));
    assert.equal(m.outermostOf(PALLET), containmentKey(PALLET));
  });

  it("EPC URNs and Digital Links of the same object are one key", () => {
    const m = model([
      pack("https://id.gs1.org/00/403000112345678901", [box(1)]),
      pack("https://brand.example/01/10300010123452/21/1", [unit(1)]),
    ]);
    assert.deepEqual(m.unitsIn(PALLET), [containmentKey(unit(1))]);
    assert.equal(containmentKey(PALLET), "https://id.gs1.org/00/403000112345678901");
  });

  it("unpacking removes the listed children, or all of them; OBSERVE changes nothing", () => {
    assert.deepEqual(keys(model([...packed, unpack(box(1), [unit(1)])]).contentsOf(box(1))), keys([unit(2)]));
    assert.deepEqual(model([...packed, unpack(PALLET)]).contentsOf(PALLET), []);
    const observed = model([...packed, { ...pack(PALLET, [box(3)]), action: "OBSERVE" }]);
    assert.ok(!observed.contentsOf(PALLET).includes(containmentKey(box(3))));
  });

  it("re-packing moves a child out of its previous container", () => {
    const m = model([...packed, pack(box(2), [unit(1)])]);
    assert.deepEqual(keys(m.childrenOf(box(1))), keys([unit(2)]));
    assert.deepEqual(keys(m.childrenOf(box(2))), keys([unit(1), unit(3)]));
  });

  it("a decommissioned object leaves its container and its contents become loose", () => {
    const m = model([
      ...packed,
      { type: "ObjectEvent", ...T, epcList: [box(1)], action: "DELETE", bizStep: "decommissioning" },
    ]);
    assert.deepEqual(keys(m.childrenOf(PALLET)), keys([box(2)]));
    assert.equal(m.parentOf(unit(1)), undefined);
  });

  it("refuses cycles and leaves the starting model untouched", () => {
    const start = model(packed);
    const err = (() => {
      try {
        replayContainment([pack(box(3), [unit(9)]), pack(unit(3), [PALLET])], start);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof MedchainError && err.code === "InvalidEpcis" && err.details?.rule === "aggregation:cycle");
    assert.equal(err.details?.event, 1);
    assert.deepEqual(keys(start.childrenOf(box(1))), keys([unit(1), unit(2)]));
    assert.deepEqual(start.childrenOf(box(3)), []);
  });

  it("a shipment moves every unit inside what it names, as the containment stood then", () => {
    const { moves } = replayContainment([
      ...packed,
      ship([PALLET]),
      unpack(PALLET, [box(2)]),
      ship([PALLET]),
      ship([unit(3), box(2)]),
    ]);
    assert.deepEqual(moves[3]?.units.sort(), keys([unit(1), unit(2), unit(3)]));
    assert.equal(moves[3]?.moved.length, 6);
    assert.deepEqual(moves[5]?.units.sort(), keys([unit(1), unit(2)]));
    assert.deepEqual(moves[6]?.units.sort(), keys([unit(3)]), "no duplicates when a unit and its box are both named");
    assert.deepEqual(
      moves[2]?.units.sort(),
      keys([unit(1), unit(2), unit(3)]),
      "packing is seen with what the container now holds",
    );
  });
});
