/**
 * Proposals that change the consortium itself, gaslessly signed by a member:
 * admit or remove a member (the membership token's `addMember`/`removeMember`,
 * which only the timelock may call) and change the governance settings (the
 * Governor's own `setVotingDelay`, `setVotingPeriod`, `updateQuorumNumerator`
 * and the timelock's `updateDelay`; all run by the timelock once passed).
 * Input is checked before anything is signed: bad input is `InvalidInput`
 * naming the field in `details.path`, and no proposal is sent. Isomorphic.
 */
import { encodeFunctionData, isAddress, zeroAddress, type Account, type Hex } from "viem";
import { z } from "zod";
import { MedchainError } from "../../kernel/errors.ts";
import { medchainGovernorAbi, medchainMembershipAbi, medchainTimelockAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { submitProposal, type ProposalCreated } from "./govClient.ts";

const zMember = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "is not an address")
  .refine((v) => v.toLowerCase() !== zeroAddress, "is the zero address");

const zDescription = z.string().trim().min(1, "is empty").max(2000, "is longer than 2000 characters").optional();

/** A member change: admit (`add`) or remove `member`. */
export const zMemberChange = z
  .object({
    action: z.enum(["add", "remove"]),
    member: zMember,
    description: zDescription,
  })
  .strict();

/** Seconds as a whole number within a Solidity unsigned range. */
const seconds = (max: number, min = 0) =>
  z
    .number()
    .int("is not a whole " + "number of seconds")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** The largest value of uint32 (votingPeriod's type; also the bound for the other delays: about 136 years). */
const UINT32_MAX = 0xffffffff;

/** A settings change: every field given is changed, the others stay. At least one. */
export const zSettingsChange = z
  .object({
    /** Seconds between a proposal and the opening of its vote. */
    votingDelay: seconds(UINT32_MAX).optional(),
    /** Seconds a vote stays open (at least 1). */
    votingPeriod: seconds(UINT32_MAX, 1).optional(),
    /** The quorum as a percentage of all members (1..100). */
    quorumNumerator: z
      .number()
      .int("is not a whole percentage")
      .min(1, "must be at least 1")
      .max(100, "must be at most 100")
      .optional(),
    /** Seconds a passed proposal waits in the timelock. */
    timelockDelay: seconds(UINT32_MAX).optional(),
    description: zDescription,
  })
  .strict()
  .refine(
    (s) =>
      s.votingDelay !== undefined ||
      s.votingPeriod !== undefined ||
      s.quorumNumerator !== undefined ||
      s.timelockDelay !== undefined,
    {
      message: "name at least one setting to change (votingDelay, " + "votingPeriod, quorumNumerator, timelockDelay)",
      path: ["settings"],
    },
  );

/** A proposed member change. */
export type MemberChange = z.input<typeof zMemberChange>;
/** A proposed settings change. */
export type SettingsChange = z.input<typeof zSettingsChange>;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue === undefined ? "" : issue.path.map(String).join(".");
  throw new MedchainError(
    "InvalidInput",
    `invalid ${what}: ${path === "" ? "" : `${path} `}${issue?.message ?? "is malformed"}`,
    { details: { path } },
  );
}

const invalid = (path: string, message: string): MedchainError =>
  new MedchainError("InvalidInput", message, { details: { path } });

/**
 * Proposes to admit or remove a consortium member. Refused before signing with `InvalidInput` for a bad address,
 * admitting a current member, removing a non-member or the last member; `NotMember` if the signer is no member.
 */
export async function proposeMemberChange(
  node: NodeClient,
  signer: Account,
  input: MemberChange,
): Promise<ProposalCreated> {
  const p = parse(zMemberChange, input, "member change");
  const member = p.member.toLowerCase() as `0x${string}`;
  const [{ contracts }, { members }] = await Promise.all([node.network(), node.govStatus()]);
  const isMember = members.includes(member);
  if (p.action === "add" && isMember) throw invalid("member", `${member} is already a member`);
  if (p.action === "remove" && !isMember) throw invalid("member", `${member} is not a member`);
  if (p.action === "remove" && members.length === 1)
    throw invalid("member", "the last member cannot be removed " + "(nobody could propose again)");
  const data = encodeFunctionData({
    abi: medchainMembershipAbi,
    functionName: p.action === "add" ? "addMember" : "removeMember",
    args: [member],
  });
  // The description is part of the proposal's identity: a timestamp keeps a repeated change distinct.
  const description =
    p.description ??
    `${p.action === "add" ? "Admit" : "Remove"} member ${member} (proposed ${new Date().toISOString()})`;
  return submitProposal(node, signer, [{ target: contracts.membership, data }], description);
}

/**
 * Proposes to change governance settings (one call per changed setting, in one proposal). Refused before signing
 * with `InvalidInput` for an out-of-range value, no setting at all, or a setting that already has the value.
 */
export async function proposeSettingsChange(
  node: NodeClient,
  signer: Account,
  input: SettingsChange,
): Promise<ProposalCreated> {
  const s = parse(zSettingsChange, input, "settings change");
  const [{ contracts }, now] = await Promise.all([node.network(), node.govStatus()]);
  const calls: { target: `0x${string}`; data: Hex }[] = [];
  const words: string[] = [];
  const change = (
    field: keyof typeof s,
    current: number,
    value: number | undefined,
    target: `0x${string}`,
    data: () => Hex,
    word: string,
  ): void => {
    if (value === undefined) return;
    if (value === current) throw invalid(field, `${field} is already ${value}`);
    calls.push({ target, data: data() });
    words.push(`${word} ${current} -> ${value}`);
  };
  const gov = contracts.governor;
  change(
    "votingDelay",
    now.votingDelaySeconds,
    s.votingDelay,
    gov,
    () => encodeFunctionData({ abi: medchainGovernorAbi, functionName: "setVotingDelay", args: [s.votingDelay ?? 0] }),
    "voting delay (s)",
  );
  change(
    "votingPeriod",
    now.votingPeriodSeconds,
    s.votingPeriod,
    gov,
    () =>
      encodeFunctionData({ abi: medchainGovernorAbi, functionName: "setVotingPeriod", args: [s.votingPeriod ?? 1] }),
    "voting period (s)",
  );
  change(
    "quorumNumerator",
    now.quorumPercent,
    s.quorumNumerator,
    gov,
    () =>
      encodeFunctionData({
        abi: medchainGovernorAbi,
        functionName: "updateQuorumNumerator",
        args: [BigInt(s.quorumNumerator ?? 0)],
      }),
    "quorum (%)",
  );
  change(
    "timelockDelay",
    now.timelockDelaySeconds,
    s.timelockDelay,
    contracts.timelock,
    () =>
      encodeFunctionData({
        abi: medchainTimelockAbi,
        functionName: "updateDelay",
        args: [BigInt(s.timelockDelay ?? 0)],
      }),
    "timelock delay (s)",
  );
  const description =
    s.description ?? `Change governance settings: ${words.join(", ")} (proposed ${new Date().toISOString()})`;
  return submitProposal(node, signer, calls, description);
}
