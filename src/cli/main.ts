/**
 * The `medchain` CLI: a client of a node's HTTP API (like the ipfs CLI of its
 * daemon), plus `medchain start` to run a node. `--json` on every command;
 * errors are typed (`code`, `message`) and exit non-zero.
 */
import { Command, CommanderError } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emitError } from "./output.ts";
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

const wantsJson = process.argv.includes("--json");
program.configureOutput({
  writeErr: (s) => { if (!wantsJson) process.stderr.write(s); },
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) process.exit(0); // --help, --version
    if (wantsJson) emitError({ json: true }, new MedchainError("InvalidInput", err.message.replace(/^error: /, "")));
    process.exitCode = 2;
  } else {
    emitError({ json: wantsJson }, err);
  }
}
