/**
 * Every custom error of the identity and governance contracts decodes to a
 * specific code and message (none falls back to the generic "the contract
 * refused the call"), and the errors whose code depends on their arguments
 * (role, expected proposal or operation state) get the right one.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak256, stringToBytes, type Abi } from "viem";
import { medchainGovernorAbi, medchainMembershipAbi, medchainTimelockAbi, trustRegistryAbi } from "./generated/contracts.ts";
import { CLINICIAN_TYPE_ID, errorForContractError, GOVERNANCE_ROLE } from "./contractErrors.ts";

const errorNames = (abi: Abi): string[] => abi.flatMap((x) => (x.type === "error" ? [x.name] : []));

describe("contract errors of the identity slice", () => {
  it("every error of TrustRegistry, the Governor, the timelock and the membership token has its own code and message", () => {
    const names = new Set([trustRegistryAbi, medchainGovernorAbi, medchainMembershipAbi, medchainTimelockAbi].flatMap((a) => errorNames(a as Abi)));
    assert.ok(names.size > 50);
    for (const name of names) {
      const e = errorForContractError(name, ["0x0000000000000000000000000000000000000001", "0x" + "00".repeat(32), 0n]);
      assert.doesNotMatch(e.shortMessage, /refused the call \(/, `${name} has no mapping`);
      assert.deepEqual(e.details?.contractError, name);
    }
  });

  it("codes that depend on the error's arguments", () => {
    const other = keccak256(stringToBytes("AuthorizedTradingPartnerCredential"));
    assert.equal(errorForContractError("TrustRoleMissing", ["0x01", CLINICIAN_TYPE_ID]).code, "NotClinician");
    assert.equal(errorForContractError("TrustRoleMissing", ["0x01", other]).code, "RoleMissing");
    assert.equal(errorForContractError("TrustCredentialRevoked", ["0x01"]).code, "CredentialRevoked");
    assert.equal(errorForContractError("TrustIssuerDeaccredited", ["0x01", other]).code, "CredentialIssuerNotAccredited");
    assert.equal(errorForContractError("AccessControlUnauthorizedAccount", ["0x01", GOVERNANCE_ROLE]).code, "AccessDenied");
    const state = (current: number, expected: number): string => errorForContractError("GovernorUnexpectedProposalState", [1n, current, expected === -1 ? 0n : 1n << BigInt(expected)]).code;
    assert.equal(state(0, 1), "ProposalNotActive"); // Pending, needs Active
    assert.equal(state(1, 4), "ProposalNotSucceeded"); // Active, needs Succeeded
    assert.equal(state(4, 5), "ProposalNotQueued"); // Succeeded, needs Queued
    assert.equal(state(0, -1), "ProposalExists");
    assert.equal(errorForContractError("TimelockUnexpectedOperationState", ["0x" + "11".repeat(32), 1n << 2n]).code, "TimelockNotReady");
    assert.equal(errorForContractError("TimelockUnexpectedOperationState", ["0x" + "11".repeat(32), 1n << 1n]).code, "ContractReverted");
  });
});
