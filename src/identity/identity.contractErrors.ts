/**
 * The identity contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type).
 */
import { keccak256, toBytes } from "viem";
import { defineContractErrors, type ContractErrorOutcome } from "../kernel/chain/contractErrors.ts";
import {
  trustRegistryAbi,
  medchainMembershipAbi,
  medchainGovernorAbi,
  medchainTimelockAbi,
} from "../chain/generated/contracts.ts";
import "../consent/sdk/errors.ts";
import "./sdk/errors.ts";

/** keccak256("ClinicianLicenceCredential"): the credential type whose role break-glass requires. */
export const CLINICIAN_TYPE_ID = keccak256(toBytes("ClinicianLicenceCredential"));

/** OpenZeppelin Governor's ProposalState, by value. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

/** Governor.GovernorUnexpectedProposalState: the code depends on the state the call needed. */
function unexpectedProposalState(args: readonly unknown[]): ContractErrorOutcome {
  const current = PROPOSAL_STATES[Number(args[1])] ?? "unknown";
  const expected = BigInt(String(args[2]));
  const needs = (state: number): boolean => expected === 1n << BigInt(state);
  if (expected === 0n)
    return { code: "ProposalExists", message: "an identical proposal exists already (change its description)" };
  if (needs(1)) return { code: "ProposalNotActive", message: `the proposal is not open for voting (it is ${current})` };
  if (needs(4)) return { code: "ProposalNotSucceeded", message: `the proposal has not passed (it is ${current})` };
  if (needs(5))
    return { code: "ProposalNotQueued", message: `the proposal is not queued in the timelock (it is ${current})` };
  return { code: "ContractReverted", message: `the proposal is ${current}` };
}

const ABI = [...trustRegistryAbi, ...medchainMembershipAbi, ...medchainGovernorAbi, ...medchainTimelockAbi] as const;

/** Every custom error of the identity slice's contracts, with its code and message. */
export const IDENTITY_CONTRACT_ERRORS = defineContractErrors("identity", ABI, {
  TrustZeroAddress: { code: "InvalidInput", message: "an address is zero" },
  TrustInvalidType: { code: "InvalidInput", message: "the credential type is zero" },
  TrustInvalidCredentialId: { code: "InvalidInput", message: "the credential id is zero" },
  TrustIssuerNotAccredited: {
    code: "CredentialIssuerNotAccredited",
    message: "the issuer is not accredited by the consortium for this credential type",
  },
  TrustAlreadyAccredited: {
    code: "IssuerAlreadyAccredited",
    message: "the issuer is already accredited for this credential type",
  },
  TrustCredentialExists: { code: "CredentialExists", message: "this credential is already registered" },
  TrustUnknownCredential: {
    code: "CredentialNotRegistered",
    message: "this credential is not registered in the trust registry",
  },
  TrustInvalidValidity: { code: "InvalidInput", message: "the credential's validity period is empty or already over" },
  TrustNotIssuer: {
    code: "NotCredentialIssuer",
    message: "only the credential's issuer (or governance) can revoke it",
  },
  TrustNotSubject: { code: "NotCredentialSubject", message: "only the credential's subject can claim a role with it" },
  TrustAlreadyRevoked: { code: "CredentialRevoked", message: "the credential is already revoked" },
  TrustCredentialRevoked: { code: "CredentialRevoked", message: "the credential behind this role is revoked" },
  TrustCredentialNotYetValid: { code: "CredentialNotYetValid", message: "the credential is not valid yet" },
  TrustCredentialExpired: { code: "CredentialExpired", message: "the credential behind this role has expired" },
  TrustIssuerDeaccredited: {
    code: "CredentialIssuerNotAccredited",
    message: "the credential's issuer is no longer accredited by the consortium",
  },
  GovNotMember: { code: "NotMember", message: "only a member of the consortium can do this" },
  GovernorNonexistentProposal: { code: "ProposalNotFound", message: "no such proposal" },
  GovernorAlreadyCastVote: { code: "AlreadyVoted", message: "this member has already voted on the proposal" },
  GovernorInvalidVoteType: { code: "InvalidInput", message: "a vote is for, against or abstain" },
  GovernorOnlyExecutor: { code: "AccessDenied", message: "only a passed proposal, through the timelock, can do this" },
  GovernorInvalidProposalLength: {
    code: "InvalidInput",
    message: "a proposal needs as many targets, values and calldatas, at least one",
  },
  GovernorRestrictedProposer: {
    code: "AccessDenied",
    message: "the proposal's description reserves it for another proposer",
  },
  GovernorInsufficientProposerVotes: { code: "NotMember", message: "only a member of the consortium can propose" },
  GovernorProposalQueueingNotRequired: { code: "InvalidInput", message: "this proposal needs no queueing" },
  GovernorProposalQueueingFailed: { code: "ContractReverted", message: "the timelock did not schedule the proposal" },
  GovernorAlreadyQueuedProposal: { code: "InvalidInput", message: "the proposal is already queued" },
  GovernorInvalidSignature: { code: "InvalidSignature", message: "the vote's signature does not match the voter" },
  GovernorUnableToCancel: {
    code: "AccessDenied",
    message: "only the proposer can cancel, and only before voting opens",
  },
  GovernorInvalidVoteParams: { code: "InvalidInput", message: "this Governor takes no vote parameters" },
  GovernorDisabledDeposit: {
    code: "InvalidInput",
    message: "the Governor takes no deposits (its timelock holds the assets)",
  },
  GovernorInvalidVotingPeriod: { code: "InvalidInput", message: "a voting period must be at least 1 second" },
  GovernorInvalidQuorumFraction: { code: "InvalidInput", message: "a quorum is a percentage between 0 and 100" },
  GovernorAlreadyInitializedLatestProposalId: {
    code: "InvalidInput",
    message: "proposal numbering is already initialized",
  },
  TimelockInsufficientDelay: {
    code: "InvalidInput",
    message: "the operation's delay is shorter than the timelock's minimum",
  },
  TimelockInvalidOperationLength: {
    code: "InvalidInput",
    message: "an operation needs as many targets, payloads and values",
  },
  TimelockUnexecutedPredecessor: {
    code: "TimelockNotReady",
    message: "the operation's predecessor has not been executed",
  },
  TimelockUnauthorizedCaller: {
    code: "AccessDenied",
    message: "only the timelock itself can do this (through a passed proposal)",
  },
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
  CheckpointUnorderedInsertion: { code: "Internal", message: "vote checkpoints out of order" },
  MembershipNonTransferable: { code: "InvalidInput", message: "membership cannot be transferred" },
  MembershipDelegationDisabled: { code: "InvalidInput", message: "membership votes cannot be delegated" },
  MembershipAlreadyMember: { code: "InvalidInput", message: "this account is already a member" },
  MembershipNotMember: { code: "NotMember", message: "this account is not a member" },
  MembershipNotGovernance: {
    code: "AccessDenied",
    message: "only governance, through the timelock, changes the membership",
  },
  MembershipGenesisClosed: {
    code: "GenesisClosed",
    message: "the founding members are already set; only governance changes the membership now",
  },
  MembershipInvalidMembers: {
    code: "InvalidInput",
    message: "the founding members must be a non-empty list of non-zero addresses",
  },
  TrustRoleMissing: (args: readonly unknown[]): ContractErrorOutcome =>
    String(args[1]).toLowerCase() === CLINICIAN_TYPE_ID
      ? { code: "NotClinician", message: "this account holds no clinician role (present a licence credential first)" }
      : { code: "RoleMissing", message: "this account has not claimed the role with a credential" },
  GovernorUnexpectedProposalState: unexpectedProposalState,
  TimelockUnexpectedOperationState: (args: readonly unknown[]): ContractErrorOutcome =>
    BigInt(String(args[1])) === 1n << 2n
      ? { code: "TimelockNotReady", message: "the timelock's delay has not passed yet" }
      : {
          code: "ContractReverted",
          message: "the timelock operation is not in the state this needs (unknown, waiting or done)",
        },
});
