import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { MedchainError } from "./errors.ts";
import {
  LEGACY_PURPOSE_SYSTEM,
  PURPOSE,
  PURPOSE_CODES,
  PURPOSE_SYSTEM,
  isPurposeCode,
  parsePurpose,
  purposeFromCoding,
  purposeMask,
  purposesOfMask,
  sortPurposes,
  type PurposeCode,
} from "./purposes.ts";

function invalidInput(fn: () => unknown): MedchainError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof MedchainError, "expected a MedchainError");
  assert.equal(caught.code, "InvalidInput");
  return caught;
}

describe("purposes of use", () => {
  it("has the agreed bit of every HL7 v3 PurposeOfUse code, the same as the contract's table", () => {
    assert.deepEqual(PURPOSE, {
      TREAT: 0,
      ETREAT: 1,
      HPAYMT: 2,
      HOPERAT: 3,
      HRESCH: 4,
      PATRQT: 5,
      FAMRQT: 6,
      PUBHLTH: 7,
      CAREMGT: 8,
      CLINTRCH: 9,
      COVERAGE: 10,
    });
    // The table documented on the contract interface (rows "| bit | CODE | meaning |").
    const sol = readFileSync(resolve(import.meta.dirname, "../../contracts/consent/IConsentRegistry.sol"), "utf8");
    const rows = [...sol.matchAll(/^\s*\/\/\/\s+\|\s+(\d+)\s+\|\s+([A-Z]+)\s+\|/gm)].map((m) => [m[2], Number(m[1])]);
    assert.deepEqual(Object.fromEntries(rows), PURPOSE);
    assert.deepEqual(PURPOSE_CODES, [
      "TREAT",
      "ETREAT",
      "HPAYMT",
      "HOPERAT",
      "HRESCH",
      "PATRQT",
      "FAMRQT",
      "PUBHLTH",
      "CAREMGT",
      "CLINTRCH",
      "COVERAGE",
    ]);
  });

  it("packs codes into a mask and back, in bit order, without duplicates", () => {
    assert.equal(purposeMask([]), 0);
    assert.equal(purposeMask(["TREAT"]), 1);
    assert.equal(purposeMask(["COVERAGE", "ETREAT", "ETREAT"]), (1 << 10) | 2);
    assert.deepEqual(purposesOfMask((1 << 10) | 2), ["ETREAT", "COVERAGE"]);
    assert.deepEqual(purposesOfMask(0x7ff), PURPOSE_CODES);
    assert.deepEqual(sortPurposes(["PUBHLTH", "TREAT", "PUBHLTH"]), ["TREAT", "PUBHLTH"]);
    for (const c of PURPOSE_CODES) assert.deepEqual(purposesOfMask(purposeMask([c])), [c]);
  });

  it("refuses masks with bits no code has (never drops them) and values that are not uint32", () => {
    invalidInput(() => purposesOfMask(1 << 11));
    invalidInput(() => purposesOfMask(-1));
    invalidInput(() => purposesOfMask(1.5));
    invalidInput(() => purposesOfMask(2 ** 32));
    const untrustedPurpose: string = "MARKETING"; // not a purpose code: as if read from outside the type system
    invalidInput(() => purposeMask([untrustedPurpose as PurposeCode]));
  });

  it("parses codings of v3-ActReason, under its R4 URL and the older hl7.org/fhir/v3 URL", () => {
    assert.equal(parsePurpose(PURPOSE_SYSTEM, "TREAT"), "TREAT");
    assert.equal(parsePurpose(LEGACY_PURPOSE_SYSTEM, "HRESCH"), "HRESCH");
    assert.equal(purposeFromCoding(PURPOSE_SYSTEM, "HMARKT"), undefined);
    assert.equal(purposeFromCoding("http://example.org/purposes", "TREAT"), undefined);
    assert.equal(isPurposeCode("ETREAT"), true);
    assert.equal(isPurposeCode("toString"), false);
  });

  it("refuses unknown codes and foreign systems with a typed error naming the coding", () => {
    const e = invalidInput(() => parsePurpose(PURPOSE_SYSTEM, "HMARKT"));
    assert.deepEqual(e.details, { system: PURPOSE_SYSTEM, code: "HMARKT" });
    assert.match(e.shortMessage, /HMARKT is not one medchain grants/);
    const f = invalidInput(() => parsePurpose("http://snomed.info/sct", "TREAT"));
    assert.deepEqual(f.details, { system: "http://snomed.info/sct", code: "TREAT" });
    invalidInput(() => parsePurpose(undefined, "TREAT"));
    invalidInput(() => parsePurpose(PURPOSE_SYSTEM, undefined));
  });
});
