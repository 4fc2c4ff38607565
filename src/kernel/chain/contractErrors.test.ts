/**
 * Every custom error of every slice's contracts decodes to a specific code
 * and message (none falls back to the generic "the contract refused the
 * call"); the table of a slice is exhaustive by type (the `@ts-expect-error`
 * below fails the type check the day an unmapped error is accepted); and the
 * errors whose code depends on their arguments get the right one.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak256, stringToBytes, type Abi } from "viem";
import { MODULES } from "../../modules.ts";
import { CLINICIAN_TYPE_ID } from "../../identity/identity.contractErrors.ts";
import {
  contractErrorTables,
  errorForContractError,
  GOVERNANCE_ROLE,
  type ContractErrorRules,
} from "./contractErrors.ts";

const errorNames = (abi: Abi): string[] => abi.flatMap((x) => (x.type === "error" ? [x.name] : []));

describe("contract errors", () => {
  it("every error of every slice's contracts has its own code and message", () => {
    const names = new Set(MODULES.flatMap((m) => (m.contracts ?? []).flatMap((c) => errorNames(c.abi))));
    assert.ok(names.size > 140, `only ${names.size} errors found`);
    for (const name of names) {
      const e = errorForContractError(name, ["0x0000000000000000000000000000000000000001", "0x" + "00".repeat(32), 0n]);
      assert.doesNotMatch(e.shortMessage, /refused the call \(/, `${name} has no mapping`);
      assert.deepEqual(e.details?.contractError, name);
    }
  });

  it("each slice with contracts registers a table covering its contracts' ABIs", () => {
    const tables = new Map(contractErrorTables().map((t) => [t.slice, t]));
    for (const m of MODULES) {
      if ((m.contracts ?? []).length === 0) continue;
      assert.equal(m.contractErrors, tables.get(m.name), `${m.name} declares its registered table`);
      const declared = new Set(errorNames(m.contractErrors?.abi ?? []));
      for (const c of m.contracts ?? [])
        for (const n of errorNames(c.abi))
          assert.ok(declared.has(n), `${m.name}: ${c.key}'s ${n} is outside its table's ABI`);
    }
  });

  it("an error added to a contract and not mapped fails the type check", () => {
    const _abi = [
      { type: "error", name: "PlantedKnown", inputs: [] },
      { type: "error", name: "PlantedUnmapped", inputs: [] },
    ] as const;
    // @ts-expect-error -- PlantedUnmapped has no rule: if this ever type-checks, tsc fails on the unused directive
    const rules: ContractErrorRules<typeof _abi> = { PlantedKnown: { code: "InvalidInput", message: "planted" } };
    const complete: ContractErrorRules<typeof _abi> = {
      ...rules,
      PlantedUnmapped: { code: "InvalidInput", message: "planted" },
    };
    assert.equal(Object.keys(complete).length, 2);
  });

  it("codes that depend on the error's arguments", () => {
    const other = keccak256(stringToBytes("AuthorizedTradingPartnerCredential"));
    assert.equal(errorForContractError("TrustRoleMissing", ["0x01", CLINICIAN_TYPE_ID]).code, "NotClinician");
    assert.equal(errorForContractError("TrustRoleMissing", ["0x01", other]).code, "RoleMissing");
    assert.equal(errorForContractError("TrustCredentialRevoked", ["0x01"]).code, "CredentialRevoked");
    assert.equal(
      errorForContractError("TrustIssuerDeaccredited", ["0x01", other]).code,
      "CredentialIssuerNotAccredited",
    );
    assert.equal(
      errorForContractError("AccessControlUnauthorizedAccount", ["0x01", GOVERNANCE_ROLE]).code,
      "AccessDenied",
    );
    const state = (current: number, expected: number): string =>
      errorForContractError("GovernorUnexpectedProposalState", [
        1n,
        current,
        expected === -1 ? 0n : 1n << BigInt(expected),
      ]).code;
    assert.equal(state(0, 1), "ProposalNotActive"); // Pending, needs Active
    assert.equal(state(1, 4), "ProposalNotSucceeded"); // Active, needs Succeeded
    assert.equal(state(4, 5), "ProposalNotQueued"); // Succeeded, needs Queued
    assert.equal(state(0, -1), "ProposalExists");
    assert.equal(
      errorForContractError("TimelockUnexpectedOperationState", ["0x" + "11".repeat(32), 1n << 2n]).code,
      "TimelockNotReady",
    );
    assert.equal(
      errorForContractError("TimelockUnexpectedOperationState", ["0x" + "11".repeat(32), 1n << 1n]).code,
      "ContractReverted",
    );
  });
});
