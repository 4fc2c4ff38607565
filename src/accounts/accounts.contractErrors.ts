/**
 * The accounts contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type).
 */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { keyRegistryAbi } from "../chain/generated/contracts.ts";

/** Every custom error of the accounts slice's contracts, with its code and message. */
export const ACCOUNTS_CONTRACT_ERRORS = defineContractErrors("accounts", keyRegistryAbi, {
  KeyRegistryZeroKey: { code: "InvalidInput", message: "the encryption key is zero" },
});
