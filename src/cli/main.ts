/**
 * The `medchain` CLI: a client of a node's HTTP API (like the ipfs CLI of its
 * daemon), plus `medchain start` to run a node. `--json` on every command;
 * errors are typed (`code`, `message`) and exit non-zero.
 */
import { CommanderError } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emitError } from "./output.ts";
import { buildProgram } from "./program.ts";

const program = buildProgram();

const wantsJson = process.argv.includes("--json");
program.configureOutput({
  writeErr: (s) => {
    if (!wantsJson) process.stderr.write(s);
  },
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
