/**
 * `medchain gov propose accredit|deaccredit|member|settings`: a member proposes a change, gaslessly. Trust changes
 * (accredit an issuer for a credential type), member changes (admit or remove a member) and settings changes
 * (voting delay and period, quorum, timelock delay) all pass the same vote and timelock.
 */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit, type GlobalOptions } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { proposeTrustChange, type ProposalCreated } from "./sdk/govClient.ts";
import { proposeMemberChange, proposeSettingsChange } from "./sdk/govChanges.ts";
import { TRUST_TYPE_ALIASES, trustTypeName } from "./sdk/trustTypes.ts";

const when = (unix: number): string => new Date(unix * 1000).toISOString();

/** Prints a new proposal: its id, what it does, when voting opens and closes. */
function emitProposal(g: GlobalOptions, r: ProposalCreated, fields: Record<string, unknown>, what: string): void {
  emit(
    g,
    {
      proposalId: r.proposalId,
      ...fields,
      description: r.description,
      voteStart: r.voteStart,
      voteEnd: r.voteEnd,
      txHash: r.tx.txHash,
    },
    () =>
      `proposal #${r.proposalId}: ${what}\n  voting from ${when(r.voteStart + 1)} ` +
      `until ${when(r.voteEnd)}: medchain gov vote ${r.proposalId} for --as MEMBER`,
  );
}

const described = (d: string | undefined): { description?: string } => (d === undefined ? {} : { description: d });

/** A whole number from a CLI option (`60%` allowed for a percentage), or `InvalidInput` naming the option. */
function whole(option: string, field: string, v: string | undefined, percent = false): number | undefined {
  if (v === undefined) return undefined;
  const m = (percent ? /^([0-9]{1,12})%?$/ : /^([0-9]{1,12})$/).exec(v.trim());
  if (m?.[1] === undefined)
    throw new MedchainError("InvalidInput", `${option} takes a whole number${percent ? " (percent)" : " of seconds"}`, {
      details: { path: field },
    });
  return Number(m[1]);
}

/** The member's address from a key name or an address; a malformed address is `InvalidInput` naming `member`. */
function memberAddress(who: string): `0x${string}` {
  try {
    return resolveAccount(who, "member");
  } catch (err) {
    if (err instanceof MedchainError && err.code === "InvalidInput")
      throw new MedchainError("InvalidInput", err.shortMessage, { details: { path: "member" } });
    throw err;
  }
}

/** Registers `gov propose` and its kinds of change. */
export function proposeCommands(gov: Command): void {
  const propose = gov
    .command("propose")
    .description(
      "propose a change for the members to vote on (trust registry, members, settings); signed by a member, no gas",
    );
  for (const action of ["accredit", "deaccredit"] as const) {
    propose
      .command(action)
      .argument("<issuer>", "the issuer (key name or address)")
      .requiredOption("--type <type>", `credential type: ${Object.keys(TRUST_TYPE_ALIASES).join(" | ")}`)
      .requiredOption("--as <member>", "the proposing member's key")
      .option("--description <text>", "what the members read (default: the change and the time)")
      .description(`propose to ${action === "accredit" ? "accredit" : "de-accredit"} an issuer for a credential type`)
      .action(
        run<{ type: string; as: string; description?: string }>(async ({ g, args: [who = ""], opts }) => {
          const type = trustTypeName(opts.type);
          const issuer = resolveAccount(who, "issuer");
          const member = await unlock(opts.as);
          const r = await proposeTrustChange(nodeClient(g), member.account, {
            action,
            issuer,
            type,
            ...described(opts.description),
          });
          emitProposal(g, r, { action, issuer, type }, `${action} ${issuer} for ${type}`);
        }),
      );
  }

  propose
    .command("member")
    .argument("<action>", "add | remove")
    .argument("<account>", "the member to admit or remove (key name or address)")
    .requiredOption("--as <member>", "the proposing member's key")
    .option("--description <text>", "what the members read (default: the change and the time)")
    .description(
      "propose to admit a new consortium member or remove one (the membership " +
        "changes only when the proposal passes and its timelock runs)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  medchain gov propose member add 0xAbC... --as member1\n  medchain gov propose member " +
        'remove member3 --as member1 --description "left the consortium"',
    )
    .action(
      run<{ as: string; description?: string }>(async ({ g, args: [action = "", who = ""], opts }) => {
        if (action !== "add" && action !== "remove")
          throw new MedchainError("InvalidInput", "the action is add or remove", { details: { path: "action" } });
        const account = memberAddress(who);
        const signer = await unlock(opts.as);
        const r = await proposeMemberChange(nodeClient(g), signer.account, {
          action,
          member: account,
          ...described(opts.description),
        });
        emitProposal(g, r, { action, member: account }, `${action === "add" ? "admit" : "remove"} member ${account}`);
      }),
    );

  propose
    .command("settings")
    .option("--voting-delay <seconds>", "seconds between a proposal and the opening of its vote")
    .option("--voting-period <seconds>", "seconds a vote stays open (at least 1)")
    .option("--quorum <percent>", "share of all members whose votes (for or abstain) a proposal needs, 1..100")
    .option("--timelock <seconds>", "seconds a passed proposal waits in the timelock before it can be executed")
    .requiredOption("--as <member>", "the proposing member's key")
    .option("--description <text>", "what the members read (default: the changes and the time)")
    .description(
      "propose to change the governance settings (name at least one; " +
        "the others stay); they apply to proposals made after it passes",
    )
    .addHelpText(
      "after",
      "\nThe current settings: medchain gov status\nExample:\n  medchain " +
        "gov propose settings --voting-period 604800 --quorum 60 --as member1",
    )
    .action(
      run<{
        votingDelay?: string;
        votingPeriod?: string;
        quorum?: string;
        timelock?: string;
        as: string;
        description?: string;
      }>(async ({ g, opts }) => {
        const change = {
          votingDelay: whole("--voting-delay", "votingDelay", opts.votingDelay),
          votingPeriod: whole("--voting-period", "votingPeriod", opts.votingPeriod),
          quorumNumerator: whole("--quorum", "quorumNumerator", opts.quorum, true),
          timelockDelay: whole("--timelock", "timelockDelay", opts.timelock),
        };
        const given = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<
          Record<keyof typeof change, number>
        >;
        const signer = await unlock(opts.as);
        const r = await proposeSettingsChange(nodeClient(g), signer.account, {
          ...given,
          ...described(opts.description),
        });
        emitProposal(g, r, { settings: given }, r.description);
      }),
    );
}
