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
  AnchorRootExists: { code: "InvalidInput", message: "this Merkle root (audit batch or batch of supply events) is already anchored" },
  AnchorUnknownId: { code: "NotFound", message: "no such anchor (audit anchor or supply batch)" },
  SupplyNotPartner: { code: "AccessDenied", message: "only a registered, active trading partner can do this" },
  SupplyNotManufacturer: { code: "AccessDenied", message: "only a registered manufacturer can do this" },
  SupplyNotPrefixOwner: { code: "NotOwner", message: "the GS1 company prefix belongs to another manufacturer" },
  SupplyPrefixMismatch: { code: "InvalidInput", message: "the GTIN is not under that company prefix" },
  SupplyNotRecaller: { code: "NotOwner", message: "only the manufacturer that recalled the lot can clear it" },
  SupplyAlreadyRecalled: { code: "InvalidInput", message: "the lot is already recalled" },
  SupplyNotRecalled: { code: "InvalidInput", message: "the lot is not recalled" },
  SupplyInvalidGtin: { code: "InvalidGs1", message: "not a valid GTIN-14" },
  SupplyInvalidLot: { code: "InvalidGs1", message: "not a valid lot (1-20 GS1 characters)" },
  SupplyInvalidGln: { code: "InvalidGs1", message: "not a valid 13-digit GLN" },
  SupplyInvalidPrefix: { code: "InvalidGs1", message: "not a valid GS1 company prefix" },
  SupplyInvalidKind: { code: "InvalidInput", message: "unknown trading-partner kind" },
  SupplyPartnerExists: { code: "InvalidInput", message: "this account is already a registered partner" },
  SupplyGlnTaken: { code: "InvalidInput", message: "this GLN is registered to another partner" },
  SupplyPrefixTaken: { code: "InvalidInput", message: "this company prefix (or one overlapping it) is registered already" },
  SupplyUnknownPartner: { code: "NotFound", message: "no such trading partner" },
  SupplyClaimsMismatch: { code: "PartnerClaimsMismatch", message: "the kind, GLN or company prefix claimed differ from what the credential's issuer attested" },
  SupplyNotCredentialSubject: { code: "NotCredentialSubject", message: "only the credential's subject can register with it" },
  SupplyRenewalClaimsChanged: { code: "PartnerClaimsChanged", message: "a renewal keeps the partner's kind, GLN and company prefix; these differ" },
  SupplyNotCredentialPartner: { code: "NotCredentialPartner", message: "this partner was registered by the operator, not by credential: it has no credential to renew" },
  SupplyCredentialAlreadyBound: { code: "CredentialAlreadyBound", message: "this credential is already the partner's current one: renew with a new credential" },
  SupplyWrongCredentialType: { code: "InvalidCredential", message: "this is not an authorized-trading-partner credential" },
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
  AnchorEmptyRoot: { code: "InvalidInput", message: "an anchor needs a root and at least one leaf (audit event or supply event)" },
  TrustZeroAddress: { code: "InvalidInput", message: "an address is zero" },
  TrustInvalidType: { code: "InvalidInput", message: "the credential type is zero" },
  TrustInvalidCredentialId: { code: "InvalidInput", message: "the credential id is zero" },
  TrustIssuerNotAccredited: { code: "CredentialIssuerNotAccredited", message: "the issuer is not accredited by the consortium for this credential type" },
  TrustAlreadyAccredited: { code: "IssuerAlreadyAccredited", message: "the issuer is already accredited for this credential type" },
  TrustCredentialExists: { code: "CredentialExists", message: "this credential is already registered" },
  TrustUnknownCredential: { code: "CredentialNotRegistered", message: "this credential is not registered in the trust registry" },
  TrustInvalidValidity: { code: "InvalidInput", message: "the credential's validity period is empty or already over" },
  TrustNotIssuer: { code: "NotCredentialIssuer", message: "only the credential's issuer (or governance) can revoke it" },
  TrustNotSubject: { code: "NotCredentialSubject", message: "only the credential's subject can claim a role with it" },
  TrustAlreadyRevoked: { code: "CredentialRevoked", message: "the credential is already revoked" },
  TrustRoleMissing: { code: "RoleMissing", message: "this account has not claimed the role with a credential" },
  TrustCredentialRevoked: { code: "CredentialRevoked", message: "the credential behind this role is revoked" },
  TrustCredentialNotYetValid: { code: "CredentialNotYetValid", message: "the credential is not valid yet" },
  TrustCredentialExpired: { code: "CredentialExpired", message: "the credential behind this role has expired" },
  TrustIssuerDeaccredited: { code: "CredentialIssuerNotAccredited", message: "the credential's issuer is no longer accredited by the consortium" },
  GovNotMember: { code: "NotMember", message: "only a member of the consortium can do this" },
  GovernorNonexistentProposal: { code: "ProposalNotFound", message: "no such proposal" },
  GovernorAlreadyCastVote: { code: "AlreadyVoted", message: "this member has already voted on the proposal" },
  GovernorInvalidVoteType: { code: "InvalidInput", message: "a vote is for, against or abstain" },
  GovernorOnlyExecutor: { code: "AccessDenied", message: "only a passed proposal, through the timelock, can do this" },
  GovernorInvalidProposalLength: { code: "InvalidInput", message: "a proposal needs as many targets, values and calldatas, at least one" },
  GovernorRestrictedProposer: { code: "AccessDenied", message: "the proposal's description reserves it for another proposer" },
  GovernorInsufficientProposerVotes: { code: "NotMember", message: "only a member of the consortium can propose" },
  GovernorProposalQueueingNotRequired: { code: "InvalidInput", message: "this proposal needs no queueing" },
  GovernorProposalQueueingFailed: { code: "ContractReverted", message: "the timelock did not schedule the proposal" },
  GovernorAlreadyQueuedProposal: { code: "InvalidInput", message: "the proposal is already queued" },
  GovernorInvalidSignature: { code: "InvalidSignature", message: "the vote's signature does not match the voter" },
  GovernorUnableToCancel: { code: "AccessDenied", message: "only the proposer can cancel, and only before voting opens" },
  GovernorInvalidVoteParams: { code: "InvalidInput", message: "this Governor takes no vote parameters" },
  GovernorDisabledDeposit: { code: "InvalidInput", message: "the Governor takes no deposits (its timelock holds the assets)" },
  GovernorInvalidVotingPeriod: { code: "InvalidInput", message: "a voting period must be at least 1 second" },
  GovernorInvalidQuorumFraction: { code: "InvalidInput", message: "a quorum is a percentage between 0 and 100" },
  GovernorAlreadyInitializedLatestProposalId: { code: "InvalidInput", message: "proposal numbering is already initialized" },
  TimelockInsufficientDelay: { code: "InvalidInput", message: "the operation's delay is shorter than the timelock's minimum" },
  TimelockInvalidOperationLength: { code: "InvalidInput", message: "an operation needs as many targets, payloads and values" },
  TimelockUnexecutedPredecessor: { code: "TimelockNotReady", message: "the operation's predecessor has not been executed" },
  TimelockUnauthorizedCaller: { code: "AccessDenied", message: "only the timelock itself can do this (through a passed proposal)" },
  ERC20InsufficientBalance: { code: "NotMember", message: "this account holds no membership unit" },
  ERC20InsufficientAllowance: { code: "InvalidInput", message: "membership cannot be transferred" },
  ERC20InvalidSender: { code: "InvalidInput", message: "membership cannot be transferred" },
  ERC20InvalidReceiver: { code: "InvalidInput", message: "membership cannot be given to the zero address" },
  ERC20InvalidApprover: { code: "InvalidInput", message: "an approval needs a non-zero owner" },
  ERC20InvalidSpender: { code: "InvalidInput", message: "an approval needs a non-zero spender" },
  ERC20ExceededSafeSupply: { code: "InvalidInput", message: "too many membership units" },
  ERC5805FutureLookup: { code: "InvalidInput", message: "votes can only be read for a past time" },
  ERC6372InconsistentClock: { code: "Internal", message: "the membership token's clock is inconsistent" },
  VotesExpiredSignature: { code: "RequestExpired", message: "the signed request has expired" },
  InvalidAccountNonce: { code: "InvalidSignature", message: "the signed request was already used (wrong nonce)" },
  AccessControlBadConfirmation: { code: "InvalidInput", message: "an account can only renounce its own roles" },
  CheckpointUnorderedInsertion: { code: "Internal", message: "vote checkpoints out of order" },
  SafeCastOverflowedUintDowncast: { code: "InvalidInput", message: "a number is too large" },
  FailedCall: { code: "ContractReverted", message: "a call made by the contract failed" },
  InvalidShortString: { code: "Internal", message: "invalid contract metadata" },
  StringTooLong: { code: "Internal", message: "invalid contract metadata" },
  MembershipNonTransferable: { code: "InvalidInput", message: "membership cannot be transferred" },
  MembershipDelegationDisabled: { code: "InvalidInput", message: "membership votes cannot be delegated" },
  MembershipAlreadyMember: { code: "InvalidInput", message: "this account is already a member" },
  MembershipNotMember: { code: "NotMember", message: "this account is not a member" },
  MembershipNotGovernance: { code: "AccessDenied", message: "only governance, through the timelock, changes the membership" },
  MembershipGenesisClosed: { code: "GenesisClosed", message: "the founding members are already set; only governance changes the membership now" },
  MembershipInvalidMembers: { code: "InvalidInput", message: "the founding members must be a non-empty list of non-zero addresses" },
  ERC2771ForwarderInvalidSigner: { code: "InvalidSignature", message: "the request signature does not match its sender" },
  ERC2771ForwarderExpiredRequest: { code: "InvalidSignature", message: "the signed request has expired" },
  ERC2771UntrustfulTarget: { code: "InvalidInput", message: "the target contract does not trust the forwarder" },
};

/** keccak256("ClinicianLicenceCredential"): the credential type whose role break-glass requires. */
export const CLINICIAN_TYPE_ID = keccak256(toBytes("ClinicianLicenceCredential"));
/** keccak256("GOVERNANCE_ROLE"), as in TrustRegistry. */
export const GOVERNANCE_ROLE = keccak256(toBytes("GOVERNANCE_ROLE"));

/** OpenZeppelin Governor's ProposalState, by value. */
export const PROPOSAL_STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const;

/** Governor.GovernorUnexpectedProposalState: the code depends on the state the call needed. */
function unexpectedProposalState(args: readonly unknown[]): { code: ErrorCode; message: string } {
  const current = PROPOSAL_STATES[Number(args[1])] ?? "unknown";
  const expected = BigInt(String(args[2]));
  const needs = (state: number): boolean => expected === 1n << BigInt(state);
  if (expected === 0n) return { code: "ProposalExists", message: "an identical proposal exists already (change its description)" };
  if (needs(1)) return { code: "ProposalNotActive", message: `the proposal is not open for voting (it is ${current})` };
  if (needs(4)) return { code: "ProposalNotSucceeded", message: `the proposal has not passed (it is ${current})` };
  if (needs(5)) return { code: "ProposalNotQueued", message: `the proposal is not queued in the timelock (it is ${current})` };
  return { code: "ContractReverted", message: `the proposal is ${current}` };
}

function stringify(v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** A MedchainError for a decoded contract error. */
export function errorForContractError(errorName: string, args: readonly unknown[] = []): MedchainError {
  const details = { details: { contractError: errorName, args: args.map(stringify) } };
  if (errorName === "AccessControlUnauthorizedAccount") {
    const governance = String(args[1]).toLowerCase() === GOVERNANCE_ROLE;
    return new MedchainError("AccessDenied", governance ? "only the consortium's governance, through the timelock, can do this" : "this account does not hold the role this action requires", details);
  }
  if (errorName === "TrustRoleMissing" && String(args[1]).toLowerCase() === CLINICIAN_TYPE_ID) {
    return new MedchainError("NotClinician", "this account holds no clinician role (present a licence credential first)", details);
  }
  if (errorName === "GovernorUnexpectedProposalState") {
    const m = unexpectedProposalState(args);
    return new MedchainError(m.code, m.message, details);
  }
  if (errorName === "TimelockUnexpectedOperationState") {
    return BigInt(String(args[1])) === 1n << 2n
      ? new MedchainError("TimelockNotReady", "the timelock's delay has not passed yet", details)
      : new MedchainError("ContractReverted", "the timelock operation is not in the state this needs (unknown, waiting or done)", details);
  }
  const m = MAP[errorName] ?? { code: "ContractReverted" as const, message: `the contract refused the call (${errorName})` };
  return new MedchainError(m.code, m.message, details);
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
