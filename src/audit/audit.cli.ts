/** `medchain audit`: who accessed what, when and why; with `--verify`, each entry checked against the chain. */
import type { Command } from "commander";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { nodeClient, unlock } from "../cli/context.ts";
import { resolveAccount } from "../cli/keystore.ts";
import { readAudit } from "./sdk/readAudit.ts";

/** Registers `audit`. */
export function auditCommands(program: Command): void {
  program
    .command("audit")
    .requiredOption("--patient <name|address>", "whose access log")
    .requiredOption("--as <name>", "the patient or her delegate")
    .option("--verify", "check every entry's Merkle proof against the root its keeper anchored on chain")
    .description("list every access to a patient's record (releases and refusals), newest first")
    .action(
      run<{ patient: string; as: string; verify?: boolean }>(async ({ g, opts }) => {
        const patient = resolveAccount(opts.patient);
        const r = await readAudit(nodeClient(g), await unlock(opts.as), patient, { verify: opts.verify === true });
        const mark = { verified: "✓ verified", pending: "… pending", failed: "✗ FAILED", unchecked: "" } as const;
        emit(g, { patient, keepersAnswered: r.keepersAnswered, entries: r.lines }, () =>
          r.lines.length === 0
            ? "no accesses recorded"
            : r.lines
                .map((l) => {
                  const e = l.event;
                  return (
                    `${new Date(e.at * 1000).toISOString()}  ` +
                    `${e.outcome === "released" ? "released" : `REFUSED (${e.outcome})`}${e.breakGlass ? "  EMERGENCY" : ""} ` +
                    ` ${e.requester}  ${e.category}  ${e.purpose}  grant ${e.grantId} ` +
                    ` keeper ${e.keeper.slice(0, 10)}  ${mark[l.status]}`
                  );
                })
                .join("\n"),
        );
      }),
    );
}
