/**
 * The `medchain` command tree, built without parsing anything: `main.ts` parses
 * argv with it, and `scripts/gen-cli-docs.ts` walks it to write docs/cli.md.
 * `medchain start` belongs to the node; every other command comes from a
 * slice's module (`src/modules.ts`).
 */
import { Command } from "commander";
import { nodeCommands } from "../node/node.cli.ts";
import { MODULES } from "../modules.ts";

/** A fresh `medchain` program with every command registered (nothing parsed, no output configured). */
export function buildProgram(): Command {
  const program = new Command("medchain")
    .description("medchain: patient-owned encrypted health records on an EVM ledger")
    .version("0.1.0")
    .option(
      "--node <url>",
      "node API URL (default: $MEDCHAIN_NODE, else the local node " +
        "started with `medchain start`, else http://127.0.0.1:8420)",
    )
    .option("--json", "print results (and errors) as JSON")
    .showHelpAfterError()
    .exitOverride();

  nodeCommands(program, MODULES);
  for (const m of MODULES) m.cli?.(program);
  return program;
}
