/**
 * Contract custom errors mapped onto medchain's one error model: a decoded
 * Solidity error (`RecordsNotWriter(owner, author)`) becomes a MedchainError
 * with a stable code, a one-line message and the error name and arguments in
 * `details`.
 */
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, keccak256, RawContractError, toBytes, type Abi, type Hex } from "viem";
import { MedchainError, type ErrorCode } from "../core/errors.ts";
import { medchainErrorsAbi } from "./generated/contracts.ts";

/** Every medchain contract error, for decoding reverts from any of them. */
export const ALL_ERRORS_ABI: Abi = medchainErrorsAbi;

const MAP: Record<string, { code: ErrorCode; message: string }> = {
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
  KeyRegistryZeroKey: { code: "InvalidInput", message: "the encryption key is zero" },
  ConsentNotPatientOrDelegate: { code: "NotPatientOrDelegate", message: "only the patient or her guardian/caregiver can change her grants" },
  ConsentUnknownGrant: { code: "GrantNotFound", message: "no such grant" },
  ConsentAlreadyRevoked: { code: "GrantRevoked", message: "the grant is already revoked" },
  ConsentInvalidGrantee: { code: "InvalidInput", message: "the grantee must be another, non-zero address" },
  ConsentInvalidScope: { code: "InvalidInput", message: "the grant's categories are empty or unknown" },
  ConsentInvalidPurpose: { code: "InvalidInput", message: "the grant's purposes are empty or unknown" },
  ConsentInvalidPeriod: { code: "InvalidInput", message: "the grant's period is empty or already over" },
  ConsentInvalidDelegate: { code: "InvalidInput", message: "a delegate must be another, non-zero address" },
  ConsentBreakGlassExceedsCap: { code: "BreakGlassExceedsCap", message: "break-glass may only open the network's emergency categories" },
  ConsentMissingReason: { code: "InvalidInput", message: "break-glass needs a stated reason" },
  AuditRootExists: { code: "InvalidInput", message: "this audit root is already anchored" },
  AuditUnknownAnchor: { code: "NotFound", message: "no such audit anchor" },
  SupplyNotPartner: { code: "AccessDenied", message: "only a registered, active trading partner can do this" },
  SupplyNotManufacturer: { code: "AccessDenied", message: "only a registered manufacturer can do this" },
  SupplyNotPrefixOwner: { code: "NotOwner", message: "the GS1 company prefix belongs to another manufacturer" },
  SupplyPrefixMismatch: { code: "InvalidInput", message: "the GTIN is not under that company prefix" },
  SupplyNotRecaller: { code: "NotOwner", message: "only the manufacturer that recalled the lot can clear it" },
  SupplyAlreadyRecalled: { code: "InvalidInput", message: "the lot is already recalled" },
  SupplyNotRecalled: { code: "InvalidInput", message: "the lot is not recalled" },
  SupplyRootExists: { code: "InvalidInput", message: "this batch of events is already anchored" },
  SupplyEmptyBatch: { code: "InvalidInput", message: "an anchor needs at least one event" },
  SupplyInvalidGtin: { code: "InvalidGs1", message: "not a valid GTIN-14" },
  SupplyInvalidLot: { code: "InvalidGs1", message: "not a valid lot (1-20 GS1 characters)" },
  SupplyInvalidGln: { code: "InvalidGs1", message: "not a valid 13-digit GLN" },
  SupplyInvalidPrefix: { code: "InvalidGs1", message: "not a valid GS1 company prefix" },
  SupplyInvalidKind: { code: "InvalidInput", message: "unknown trading-partner kind" },
  SupplyPartnerExists: { code: "InvalidInput", message: "this account is already a registered partner" },
  SupplyGlnTaken: { code: "InvalidInput", message: "this GLN is registered to another partner" },
  SupplyPrefixTaken: { code: "InvalidInput", message: "this company prefix (or one overlapping it) is registered already" },
  SupplyUnknownPartner: { code: "NotFound", message: "no such trading partner" },
  TwinNotManufacturer: { code: "AccessDenied", message: "only a registered, active manufacturer mints digital twins" },
  TwinNotPartner: { code: "AccessDenied", message: "only a registered, active trading partner can move a digital twin" },
  TwinNotDispenser: { code: "AccessDenied", message: "only a registered, active dispenser decommissions a digital twin" },
  TwinInvalidRecipient: { code: "InvalidInput", message: "the recipient is not another registered, active trading partner" },
  TwinZeroUnitKey: { code: "InvalidInput", message: "the unit key is zero" },
  TwinAlreadyMinted: { code: "TwinExists", message: "this unit's digital twin was minted already" },
  TwinUnknownUnit: { code: "TwinNotFound", message: "this unit has no digital twin" },
  TwinAlreadyDecommissioned: { code: "TwinDecommissioned", message: "this unit's digital twin was decommissioned (dispensed)" },
  TwinNotCustodian: { code: "NotCustodian", message: "only the unit's current custodian can do this" },
  TwinNotCommissioner: { code: "EventNotProven", message: "the commissioning event is not in a batch this manufacturer anchored" },
  TwinEventNotFromCustodian: { code: "EventNotProven", message: "the event is not in a batch the custodian anchored" },
  TwinInvalidProof: { code: "EventNotProven", message: "the Merkle proof does not show the event under the batch's anchored root" },
  TwinTransferDisabled: { code: "AccessDenied", message: "digital twins move only with a proven custody event" },
  ConsentInvalidPatient: { code: "InvalidInput", message: "the patient must be a non-zero address" },
  AuditEmptyAnchor: { code: "InvalidInput", message: "an audit anchor needs a root and a count" },
  ERC2771ForwarderInvalidSigner: { code: "InvalidSignature", message: "the request signature does not match its sender" },
  ERC2771ForwarderExpiredRequest: { code: "InvalidSignature", message: "the signed request has expired" },
  ERC2771UntrustfulTarget: { code: "InvalidInput", message: "the target contract does not trust the forwarder" },
};

/** keccak256("CLINICIAN_ROLE"), as in ConsentRegistry. */
export const CLINICIAN_ROLE = keccak256(toBytes("CLINICIAN_ROLE"));

function stringify(v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** A MedchainError for a decoded contract error. */
export function errorForContractError(errorName: string, args: readonly unknown[] = []): MedchainError {
  if (errorName === "AccessControlUnauthorizedAccount") {
    const clinician = String(args[1]).toLowerCase() === CLINICIAN_ROLE;
    return new MedchainError(clinician ? "NotClinician" : "AccessDenied", clinician ? "this account does not hold the clinician role" : "this account does not hold the role this action requires", {
      details: { contractError: errorName, args: args.map(stringify) },
    });
  }
  const m = MAP[errorName] ?? { code: "ContractReverted" as const, message: `the contract refused the call (${errorName})` };
  return new MedchainError(m.code, m.message, { details: { contractError: errorName, args: args.map(stringify) } });
}

/** Finds revert data in a viem error chain and decodes it; null when the error is not a revert. */
export function decodeRevert(err: unknown): MedchainError | null {
  if (!(err instanceof BaseError)) return null;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName !== undefined) {
    return errorForContractError(reverted.data.errorName, reverted.data.args ?? []);
  }
  const raw = err.walk((e) => e instanceof RawContractError || (typeof (e as { data?: unknown }).data === "string"));
  const data = (raw as { data?: unknown } | null)?.data;
  if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
    try {
      const d = decodeErrorResult({ abi: ALL_ERRORS_ABI, data: data as Hex });
      return errorForContractError(d.errorName, d.args ?? []);
    } catch {
      return new MedchainError("ContractReverted", "the contract refused the call", { details: { selector: data.slice(0, 10) } });
    }
  }
  if (reverted !== null || /revert/i.test(err.shortMessage)) {
    return new MedchainError("ContractReverted", "the contract refused the call", { cause: err });
  }
  return null;
}
