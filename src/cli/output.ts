/**
 * CLI output and errors. With `--json` every command prints exactly one JSON
 * document on stdout: its result, or `{code, message}` on failure. Without
 * it, humans get short lines; errors go to stderr as `error [Code]: message`.
 */
import { MedchainError } from "../kernel/errors.ts";

/** Global CLI options. */
export interface GlobalOptions {
  json?: boolean;
  node?: string;
}

/** Prints a command's result. */
export function emit(opts: GlobalOptions, value: unknown, human: () => string): void {
  if (opts.json === true)
    process.stdout.write(
      `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
    );
  else process.stdout.write(`${human()}\n`);
}

/** Turns any error into a MedchainError safe to print (unexpected ones keep their text out of the output). */
export function toMedchainError(err: unknown): MedchainError {
  if (err instanceof MedchainError) return err;
  if (process.env.MEDCHAIN_DEBUG === "1") console.error(err);
  return new MedchainError("Internal", "unexpected error (set MEDCHAIN_DEBUG=1 for details)", { cause: err });
}

/** Prints an error and sets a non-zero exit code. */
export function emitError(opts: GlobalOptions, err: unknown): void {
  const e = toMedchainError(err);
  if (opts.json === true) process.stdout.write(`${JSON.stringify(e.toJSON())}\n`);
  else process.stderr.write(`error [${e.code}]: ${e.shortMessage}\n`);
  process.exitCode = 1;
}
