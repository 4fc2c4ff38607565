/**
 * The consent contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type).
 */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { consentRegistryAbi } from "../chain/generated/contracts.ts";
import "./sdk/errors.ts";

/** Every custom error of the consent slice's contracts, with its code and message. */
export const CONSENT_CONTRACT_ERRORS = defineContractErrors("consent", consentRegistryAbi, {
  ConsentInvalidBreakGlassConfig: {
    code: "InvalidInput",
    message: "the break-glass categories or duration are empty or beyond the registry's limits",
  },
  ConsentZeroTrustRegistry: {
    code: "InvalidInput",
    message: "the consent registry needs the trust registry's address",
  },
  ConsentNotPatientOrDelegate: {
    code: "NotPatientOrDelegate",
    message: "only the patient or her guardian/caregiver can change her grants",
  },
  ConsentUnknownGrant: { code: "GrantNotFound", message: "no such grant" },
  ConsentAlreadyRevoked: { code: "GrantRevoked", message: "the grant is already revoked" },
  ConsentInvalidGrantee: { code: "InvalidInput", message: "the grantee must be another, non-zero address" },
  ConsentInvalidScope: { code: "InvalidInput", message: "the grant's categories are empty or unknown" },
  ConsentInvalidPurpose: { code: "InvalidInput", message: "the grant's purposes are empty or unknown" },
  ConsentInvalidPeriod: { code: "InvalidInput", message: "the grant's period is empty or already over" },
  ConsentInvalidDelegate: { code: "InvalidInput", message: "a delegate must be another, non-zero address" },
  ConsentBreakGlassExceedsCap: {
    code: "BreakGlassExceedsCap",
    message: "break-glass may only open the network's emergency categories",
  },
  ConsentMissingReason: { code: "InvalidInput", message: "break-glass needs a stated reason" },
  ConsentInvalidPatient: { code: "InvalidInput", message: "the patient must be a non-zero address" },
});
