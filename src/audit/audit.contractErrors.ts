/** The audit contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type). */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { auditAnchorAbi } from "../chain/generated/contracts.ts";

/** Every custom error of the audit slice's contracts, with its code and message. */
export const AUDIT_CONTRACT_ERRORS = defineContractErrors("audit", auditAnchorAbi, {
  AuditZeroAdmin: { code: "InvalidInput", message: "the audit anchor's admin must be a non-zero address" },
});
