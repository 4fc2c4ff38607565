import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../../kernel/errors.ts";
import { normalizeGrantSpec, validateGrantSpec, zGrantSpec, type GrantSpec } from "./grantSpec.ts";

const OK: GrantSpec = {
  grantee: "0x000000000000000000000000000000000000f001",
  categories: ["medications", "observations"],
  purposes: ["ETREAT", "TREAT"],
  notBefore: 1_735_689_600,
  expiresAt: 1_735_689_601,
};

function refusedAt(value: unknown, path: string): void {
  assert.throws(
    () => validateGrantSpec(value),
    (e: unknown) => {
      assert.ok(e instanceof MedchainError);
      assert.equal(e.code, "InvalidInput");
      assert.equal(e.details?.path, path, e.shortMessage);
      return true;
    },
  );
}

describe("GrantSpec", () => {
  it("accepts a valid grant and normalizes categories and purposes into bit order", () => {
    assert.deepEqual(validateGrantSpec(OK), {
      ...OK,
      categories: ["observations", "medications"],
      purposes: ["TREAT", "ETREAT"],
    });
    assert.deepEqual(normalizeGrantSpec(OK), validateGrantSpec(OK));
    assert.equal(zGrantSpec.safeParse(OK).success, true);
  });

  it("refuses an empty scope, empty purposes, unknown names and repeats", () => {
    refusedAt({ ...OK, categories: [] }, "categories");
    refusedAt({ ...OK, purposes: [] }, "purposes");
    refusedAt({ ...OK, categories: ["genome"] }, "categories.0");
    refusedAt({ ...OK, purposes: ["HMARKT"] }, "purposes.0");
    refusedAt({ ...OK, categories: ["clinical", "clinical"] }, "categories");
    refusedAt({ ...OK, purposes: ["TREAT", "TREAT"] }, "purposes");
  });

  it("refuses a window that does not open, and times that are not unix seconds", () => {
    refusedAt({ ...OK, expiresAt: OK.notBefore }, "expiresAt");
    refusedAt({ ...OK, expiresAt: OK.notBefore - 1 }, "expiresAt");
    refusedAt({ ...OK, notBefore: -1 }, "notBefore");
    refusedAt({ ...OK, notBefore: 1.5 }, "notBefore");
    refusedAt({ ...OK, expiresAt: "soon" }, "expiresAt");
  });

  it("refuses a grantee that is not an address, without echoing it", () => {
    refusedAt({ ...OK, grantee: "Practitioner/f204" }, "grantee");
    try {
      validateGrantSpec({ ...OK, grantee: "Practitioner/f204" });
    } catch (e) {
      assert.ok(e instanceof MedchainError);
      assert.doesNotMatch(JSON.stringify(e.toJSON()), /f204/);
    }
    refusedAt(null, "");
  });
});
