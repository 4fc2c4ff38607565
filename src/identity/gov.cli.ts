/**
 * `medchain gov propose (govPropose.cli.ts)|vote|queue|execute|status` and `medchain trust list|roles`: the
 * consortium's governance of the trust registry.
 */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import type { ProposalInfo } from "./sdk/schemas.ts";
import { castVote, VOTE_SUPPORT, type VoteChoice } from "./sdk/govClient.ts";
import { proposeCommands } from "./govPropose.cli.ts";

const when = (unix: number): string => new Date(unix * 1000).toISOString();

function proposalLine(p: ProposalInfo): string {
  const eta = p.eta === null ? "" : `, executable from ${when(p.eta)}`;
  return (
    `#${p.id} ${p.state.padEnd(9)} ${p.actions.map((a) => a.summary).join("; ")}\n      votes for ${p.votes.for} / ` +
    `against ${p.votes.against} / abstain ${p.votes.abstain}; voting ${when(p.voteStart)} .. ${when(p.voteEnd)}${eta}`
  );
}

function proposalId(v: string): string {
  if (!/^[0-9]{1,30}$/.test(v))
    throw new MedchainError("InvalidInput", "a proposal id is a whole number (see medchain gov status)");
  return v;
}

/** Registers `gov` and `trust`. */
export function govCommands(program: Command): void {
  const gov = program
    .command("gov")
    .description("the consortium's governance: proposals, votes and the timelock (members act without gas)");
  proposeCommands(gov);

  gov
    .command("vote")
    .argument("<id>", "the proposal")
    .argument("<choice>", "for | against | abstain")
    .requiredOption("--as <member>", "the voting member's key")
    .description("vote on a proposal while it is open")
    .action(
      run<{ as: string }>(async ({ g, args: [id = "", choice = ""], opts }) => {
        if (!Object.hasOwn(VOTE_SUPPORT, choice))
          throw new MedchainError("InvalidInput", "vote for, against or abstain");
        const member = await unlock(opts.as);
        const r = await castVote(nodeClient(g), member.account, proposalId(id), choice as VoteChoice);
        emit(
          g,
          { proposalId: id, choice, weight: r.weight, txHash: r.tx.txHash },
          () => `voted ${choice} on proposal #${id}`,
        );
      }),
    );

  gov
    .command("queue")
    .argument("<id>", "the proposal")
    .description("queue a passed proposal in the timelock (anyone may; the node pays)")
    .action(
      run(async ({ g, args: [id = ""] }) => {
        const p = await nodeClient(g).queueProposal(proposalId(id));
        emit(g, p, () => `proposal #${p.id} queued; executable from ${p.eta === null ? "?" : when(p.eta)}`);
      }),
    );

  gov
    .command("execute")
    .argument("<id>", "the proposal")
    .description("execute a queued proposal once its timelock has passed (anyone may; the node pays)")
    .action(
      run(async ({ g, args: [id = ""] }) => {
        const p = await nodeClient(g).executeProposal(proposalId(id));
        emit(g, p, () => `proposal #${p.id} executed: ${p.actions.map((a) => a.summary).join("; ")}`);
      }),
    );

  gov
    .command("status")
    .argument("[id]", "one proposal (default: the consortium and every proposal)")
    .description("members, settings and proposals, with their state now")
    .action(
      run(async ({ g, args: [id] }) => {
        const client = nodeClient(g);
        if (id !== undefined) {
          const p = await client.govProposal(proposalId(id));
          emit(g, p, () => `${proposalLine(p)}\n      ${p.description}`);
          return;
        }
        const s = await client.govStatus();
        emit(g, s, () =>
          [
            `members (${s.members.length}): ` +
              `${s.members.join(", ") || "none (genesis: medchain admin genesis MEMBER...)"}`,
            `voting delay ${s.votingDelaySeconds} s, period ${s.votingPeriodSeconds} ` +
              `s, quorum ${s.quorumPercent}%, timelock ${s.timelockDelaySeconds} s`,
            ...(s.proposals.length === 0 ? ["no proposals"] : s.proposals.map(proposalLine)),
          ].join("\n"),
        );
      }),
    );

  const trust = program.command("trust").description("the trust registry: accredited issuers and roles");
  trust
    .command("list")
    .description("issuers the consortium accredited, per credential type")
    .action(
      run(async ({ g }) => {
        const issuers = await nodeClient(g).trustIssuers();
        emit(g, { issuers }, () =>
          issuers.length === 0
            ? "no accredited issuers"
            : issuers.map((i) => `${i.issuer}  ${i.type ?? i.typeId}  since ${when(i.since)}`).join("\n"),
        );
      }),
    );
  trust
    .command("roles")
    .argument("<account>", "key name or address")
    .description("the roles an account claimed with credentials, checked on chain now")
    .action(
      run(async ({ g, args: [who = ""] }) => {
        const r = await nodeClient(g).trustRoles(resolveAccount(who, "account"));
        emit(g, r, () =>
          r.roles.length === 0
            ? `${r.account} holds no role`
            : r.roles
                .map((x) => `${x.type ?? x.typeId}: ${x.valid ? "valid" : x.status} (credential ${x.credentialId})`)
                .join("\n"),
        );
      }),
    );
}
