/**
 * The consortium's governance as the node serves it: proposals from the index
 * with their state read from the chain now, and the permissionless upkeep
 * (queue a passed proposal, execute it once its timelock has passed) that the
 * node submits and pays for. Members propose and vote themselves, gaslessly
 * (govClient.ts).
 */
import { decodeFunctionData, keccak256, stringToBytes, type Hex } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import {
  medchainGovernorAbi,
  medchainMembershipAbi,
  medchainTimelockAbi,
  trustRegistryAbi,
} from "../chain/generated/contracts.ts";
import type { NodeContext } from "../node/context.ts";
import type { Selectable } from "kysely";
import type { GovProposalsTable } from "../node/db/schema.ts";
import { PROPOSAL_STATE_NAMES, type GovAction, type GovStatus, type ProposalInfo } from "./sdk/schemas.ts";
import { typeNameOfId } from "./sdk/trustTypes.ts";
import "./sdk/errors.ts";

type ProposalRow = Selectable<GovProposalsTable>;

type SettingName = NonNullable<GovAction["setting"]>;

/** The Governor's own setters (GovernorSettings, GovernorVotesQuorumFraction) and what they set. */
const GOVERNOR_SETTERS: Partial<Record<string, SettingName>> = {
  setVotingDelay: "votingDelaySeconds",
  setVotingPeriod: "votingPeriodSeconds",
  setProposalThreshold: "proposalThreshold",
  updateQuorumNumerator: "quorumPercent",
};

const SETTING_WORDS: Record<SettingName, [string, string]> = {
  votingDelaySeconds: ["voting delay", " s"],
  votingPeriodSeconds: ["voting period", " s"],
  proposalThreshold: ["proposal threshold", " votes"],
  quorumPercent: ["quorum", "%"],
  timelockDelaySeconds: ["timelock delay", " s"],
};

function settingAction(target: `0x${string}`, setting: SettingName, raw: unknown): GovAction {
  const value = Number(raw as bigint | number);
  const [word, unit] = SETTING_WORDS[setting];
  return { target, kind: "setting", setting, value, summary: `set the ${word} to ${value}${unit}` };
}

/** Decodes one call of a proposal for display (unknown targets and functions stay a plain call). */
export function describeAction(ctx: Pick<NodeContext, "deployment">, target: string, data: Hex): GovAction {
  const d = ctx.deployment;
  const to = target.toLowerCase() as `0x${string}`;
  try {
    if (to === d.trustRegistry) {
      const call = decodeFunctionData({ abi: trustRegistryAbi, data });
      if (call.functionName === "accredit" || call.functionName === "deaccredit") {
        const [issuer, typeId] = call.args;
        const type = typeNameOfId(typeId);
        return {
          target: to,
          kind: call.functionName,
          issuer: issuer.toLowerCase() as `0x${string}`,
          typeId,
          type,
          summary: `${call.functionName} ${issuer.toLowerCase()} as issuer of ${type ?? typeId}`,
        };
      }
    }
    if (to === d.membership) {
      const call = decodeFunctionData({ abi: medchainMembershipAbi, data });
      if (call.functionName === "addMember" || call.functionName === "removeMember") {
        const account = call.args[0].toLowerCase() as `0x${string}`;
        return {
          target: to,
          kind: call.functionName,
          account,
          summary: `${call.functionName === "addMember" ? "admit" : "remove"} member ${account}`,
        };
      }
    }
    if (to === d.governor) {
      const call = decodeFunctionData({ abi: medchainGovernorAbi, data });
      const setting = GOVERNOR_SETTERS[call.functionName];
      if (setting !== undefined && call.args !== undefined) return settingAction(to, setting, call.args[0]);
    }
    if (to === d.timelock) {
      const call = decodeFunctionData({ abi: medchainTimelockAbi, data });
      if (call.functionName === "updateDelay") return settingAction(to, "timelockDelaySeconds", call.args[0]);
    }
  } catch {
    // not a function of that ABI: shown as a plain call
  }
  return { target: to, kind: "call", summary: `call ${to} (${data.slice(0, 10)})` };
}

async function stateOf(ctx: NodeContext, id: bigint): Promise<ProposalInfo["state"]> {
  // "pending": the state as of the next block, whose timestamp is now (the latest block may be minutes old)
  const s = await ctx.client.readContract({
    address: ctx.deployment.governor,
    abi: medchainGovernorAbi,
    functionName: "state",
    args: [id],
    blockTag: "pending",
  });
  return PROPOSAL_STATE_NAMES[s] ?? "Pending";
}

async function toInfo(ctx: NodeContext, r: ProposalRow): Promise<ProposalInfo> {
  const targets = JSON.parse(r.targets) as string[];
  const calldatas = JSON.parse(r.calldatas) as Hex[];
  return {
    id: r.proposal_id.toString(),
    proposer: r.proposer as `0x${string}`,
    description: r.description,
    state: await stateOf(ctx, r.proposal_id),
    actions: targets.map((t, i) => describeAction(ctx, t, calldatas[i] ?? "0x")),
    voteStart: Number(r.vote_start),
    voteEnd: Number(r.vote_end),
    eta: r.eta === null ? null : Number(r.eta),
    votes: { for: r.for_votes, against: r.against_votes, abstain: r.abstain_votes },
    createdAt: Number(r.created_at),
  };
}

function parseId(id: string): bigint {
  if (!/^[0-9]{1,30}$/.test(id) || BigInt(id) === 0n)
    throw new MedchainError("InvalidInput", "a proposal id is a positive whole number");
  return BigInt(id);
}

async function row(ctx: NodeContext, id: bigint): Promise<ProposalRow> {
  const r = await ctx.db.kysely
    .selectFrom("gov_proposals")
    .selectAll()
    .where("proposal_id", "=", id)
    .executeTakeFirst();
  if (r === undefined)
    throw new MedchainError("ProposalNotFound", "no such proposal", { details: { proposalId: id.toString() } });
  return r;
}

/** One proposal with its state now. */
export async function getProposal(ctx: NodeContext, id: string): Promise<ProposalInfo> {
  return toInfo(ctx, await row(ctx, parseId(id)));
}

/** Settings, members and every proposal (newest first). */
export async function govStatus(ctx: NodeContext): Promise<GovStatus> {
  const { governor, timelock } = ctx.deployment;
  const [delay, period, quorum, minDelay] = await Promise.all([
    ctx.client.readContract({ address: governor, abi: medchainGovernorAbi, functionName: "votingDelay" }),
    ctx.client.readContract({ address: governor, abi: medchainGovernorAbi, functionName: "votingPeriod" }),
    ctx.client.readContract({ address: governor, abi: medchainGovernorAbi, functionName: "quorumNumerator" }),
    ctx.client.readContract({ address: timelock, abi: medchainTimelockAbi, functionName: "getMinDelay" }),
  ]);
  const members = await ctx.db.kysely
    .selectFrom("gov_members")
    .select("address")
    .where("member", "=", true)
    .orderBy("address")
    .execute();
  const rows = await ctx.db.kysely.selectFrom("gov_proposals").selectAll().orderBy("proposal_id", "desc").execute();
  return {
    members: members.map((m) => m.address as `0x${string}`),
    votingDelaySeconds: Number(delay),
    votingPeriodSeconds: Number(period),
    timelockDelaySeconds: Number(minDelay),
    quorumPercent: Number(quorum),
    proposals: await Promise.all(rows.map((r) => toInfo(ctx, r))),
  };
}

/** The arguments of queue/execute: the proposal's calls and the hash of its description. */
function callArgs(r: ProposalRow): readonly [`0x${string}`[], bigint[], Hex[], Hex] {
  return [
    JSON.parse(r.targets) as `0x${string}`[],
    (JSON.parse(r.values) as string[]).map((v) => BigInt(v)),
    JSON.parse(r.calldatas) as Hex[],
    keccak256(stringToBytes(r.description)),
  ];
}

/**
 * Queues a passed proposal in the timelock (anyone may; the node pays). Refused with `ProposalNotSucceeded` while
 * the vote runs or when it failed.
 */
export async function queueProposal(ctx: NodeContext, id: string): Promise<ProposalInfo> {
  const r = await row(ctx, parseId(id));
  await submit(ctx, () =>
    ctx.sender.writeContract({
      address: ctx.deployment.governor,
      abi: medchainGovernorAbi,
      functionName: "queue",
      args: callArgs(r),
    }),
  );
  return getProposal(ctx, id);
}

/**
 * Executes a queued proposal (anyone may; the node pays). Refused with `TimelockNotReady` before the timelock's
 * delay has passed, `ProposalNotQueued` before it was queued.
 */
export async function executeProposal(ctx: NodeContext, id: string): Promise<ProposalInfo> {
  const r = await row(ctx, parseId(id));
  await submit(ctx, () =>
    ctx.sender.writeContract({
      address: ctx.deployment.governor,
      abi: medchainGovernorAbi,
      functionName: "execute",
      args: callArgs(r),
    }),
  );
  return getProposal(ctx, id);
}

/** Sends a node transaction, decodes a refusal to its typed error, and waits until the index has its events. */
async function submit(
  ctx: NodeContext,
  send: () => Promise<{ status: string; blockNumber: bigint; transactionHash: Hex }>,
): Promise<void> {
  let receipt;
  try {
    receipt = await send();
  } catch (err) {
    throw decodeRevert(err) ?? err;
  }
  if (receipt.status !== "success") {
    throw new MedchainError("ContractReverted", "the transaction reverted", {
      details: { txHash: receipt.transactionHash },
    });
  }
  await ctx.indexer.waitFor(receipt.blockNumber);
}
