/**
 * The records contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type).
 */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { recordRegistryAbi } from "../chain/generated/contracts.ts";
import "./sdk/errors.ts";

/** Every custom error of the records slice's contracts, with its code and message. */
export const RECORDS_CONTRACT_ERRORS = defineContractErrors("records", recordRegistryAbi, {
  RecordsBatchExists: { code: "BatchExists", message: "a batch with this id is already registered" },
  RecordsNotWriter: { code: "NotWriter", message: "the author is not allowed to write into this patient's record" },
  RecordsNotOwner: { code: "NotOwner", message: "only the patient who owns the batch can do this" },
  RecordsUnknownBatch: { code: "RecordNotFound", message: "no such record batch on chain" },
  RecordsAlreadyErased: { code: "RecordErased", message: "the batch has already been erased" },
  RecordsSameManifest: { code: "InvalidInput", message: "a rotation must point the batch at a new manifest" },
  RecordsZeroAddress: { code: "InvalidInput", message: "an address is zero" },
  RecordsZeroBatchId: { code: "InvalidInput", message: "the batch id is zero" },
  RecordsZeroCommitment: { code: "InvalidInput", message: "a commitment is zero" },
  RecordsEmptyBatch: { code: "InvalidInput", message: "a batch needs at least one resource" },
  RecordsNoCategory: { code: "InvalidInput", message: "a batch needs at least one category" },
  RecordsSelfWriter: { code: "InvalidInput", message: "the patient can always write her own record" },
});
