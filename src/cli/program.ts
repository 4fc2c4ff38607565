/**
 * The `medchain` command tree, built without parsing anything: `main.ts` parses
 * argv with it, and `scripts/gen-cli-docs.ts` walks it to write docs/cli.md.
 */
import { Command } from "commander";
import { keyCommands } from "../accounts/accounts.cli.ts";
import { recordsCommands } from "../records/records.cli.ts";
import { nodeCommands } from "../node/node.cli.ts";
import { consentCommands } from "../consent/consent.cli.ts";
import { auditCommands } from "../audit/audit.cli.ts";
import { adminCommands } from "../node/admin.cli.ts";
import { fhirConsentCommands } from "../consent/fhirConsent.cli.ts";
import { keeperCommands } from "../keeper/keeper.cli.ts";
import { supplyCommands } from "../supply/supply.cli.ts";
import { govCommands } from "../identity/gov.cli.ts";
import { credentialCommands } from "../identity/credential.cli.ts";

/** A fresh `medchain` program with every command registered (nothing parsed, no output configured). */
export function buildProgram(): Command {
  const program = new Command("medchain")
    .description("medchain: patient-owned encrypted health records on an EVM ledger")
    .version("0.1.0")
    .option("--node <url>", "node API URL (default: $MEDCHAIN_NODE, else the local node started with `medchain start`, else http://127.0.0.1:8420)")
    .option("--json", "print results (and errors) as JSON")
    .showHelpAfterError()
    .exitOverride();

  nodeCommands(program);
  keyCommands(program);
  recordsCommands(program);
  consentCommands(program);
  auditCommands(program);
  adminCommands(program);
  fhirConsentCommands(program);
  keeperCommands(program);
  supplyCommands(program);
  govCommands(program);
  credentialCommands(program);

  return program;
}
