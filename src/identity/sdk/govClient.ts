/**
 * What consortium members do from a client, gaslessly: propose a change to
 * the trust registry and vote. Each is an EIP-712 ForwardRequest the member
 * signs and the node relays to the Governor (ERC-2771). Isomorphic.
 */
import { encodeFunctionData, type Account, type Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { medchainGovernorAbi, trustRegistryAbi } from "../../chain/generated/contracts.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { typeIdOf, type TrustTypeName } from "./trustTypes.ts";

/** Vote choices and their Governor values (GovernorCountingSimple). */
export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

/** A vote choice. */
export type VoteChoice = keyof typeof VOTE_SUPPORT;

/** A proposal just created. */
export interface ProposalCreated {
  proposalId: string;
  /** Voting opens after this unix second. */
  voteStart: number;
  /** Voting closes after this unix second. */
  voteEnd: number;
  description: string;
  tx: RelayResult;
}

/**
 * Relays `member`'s signed `propose` of `calls` (executed by the timelock once passed) and returns the new
 * proposal; `NotMember` if the signer is no member, `ProposalExists` for the same calls and description again.
 */
export async function submitProposal(
  node: NodeClient,
  member: Account,
  calls: readonly { target: `0x${string}`; data: Hex }[],
  description: string,
): Promise<ProposalCreated> {
  const { contracts } = await node.network();
  const data = encodeFunctionData({
    abi: medchainGovernorAbi,
    functionName: "propose",
    args: [calls.map((c) => c.target), calls.map(() => 0n), calls.map((c) => c.data), description],
  });
  const tx = await relayCall(node, member, contracts.governor, data);
  const created = tx.events.find((e) => e.name === "ProposalCreated");
  if (created === undefined) throw new MedchainError("Internal", "the Governor did not report the new proposal");
  return {
    proposalId: String(created.args.proposalId),
    voteStart: Number(created.args.voteStart),
    voteEnd: Number(created.args.voteEnd),
    description,
    tx,
  };
}

/** Proposes to accredit or de-accredit `issuer` for credential type `type`; `NotMember` if the signer is no member. */
export async function proposeTrustChange(
  node: NodeClient,
  member: Account,
  p: { action: "accredit" | "deaccredit"; issuer: `0x${string}`; type: TrustTypeName; description?: string },
): Promise<ProposalCreated> {
  const { contracts } = await node.network();
  const call = encodeFunctionData({
    abi: trustRegistryAbi,
    functionName: p.action,
    args: [p.issuer, typeIdOf(p.type)],
  });
  // The description is part of the proposal's identity: a timestamp keeps a repeated change (accredit again later)
  // distinct.
  const description =
    p.description ??
    `${p.action === "accredit" ? "Accredit" : "De-accredit"} ${p.issuer.toLowerCase()} ` +
      `as issuer of ${p.type} (proposed ${new Date().toISOString()})`;
  return submitProposal(node, member, [{ target: contracts.trustRegistry, data: call }], description);
}

/** Casts `member`'s vote on a proposal; `ProposalNotActive` outside the voting period, `AlreadyVoted`, `NotMember`. */
export async function castVote(
  node: NodeClient,
  member: Account,
  proposalId: string,
  choice: VoteChoice,
): Promise<{ weight: number; tx: RelayResult }> {
  if (!/^[0-9]{1,30}$/.test(proposalId)) throw new MedchainError("InvalidInput", "a proposal id is a whole number");
  const { contracts } = await node.network();
  const data = encodeFunctionData({
    abi: medchainGovernorAbi,
    functionName: "castVote",
    args: [BigInt(proposalId), VOTE_SUPPORT[choice]],
  });
  const tx = await relayCall(node, member, contracts.governor, data);
  const cast = tx.events.find((e) => e.name === "VoteCast");
  return { weight: Number(cast?.args.weight ?? 0), tx };
}
