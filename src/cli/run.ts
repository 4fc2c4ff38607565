/** Glue between commander and command bodies: global options, positional args, typed errors, exit codes. */
import type { Command } from "commander";
import { emitError, type GlobalOptions } from "./output.ts";

/** What a command body receives. */
export interface CommandInput<O> {
  /** Global options (`--json`, `--node`). */
  g: GlobalOptions;
  /** Positional arguments, in order. */
  args: string[];
  /** The command's own options. */
  opts: O;
}

/** Wraps a command body so every error is printed once, typed, with a non-zero exit code. */
export function run<O = Record<string, unknown>>(
  fn: (input: CommandInput<O>) => Promise<void>,
): (...a: unknown[]) => Promise<void> {
  return async (...a: unknown[]) => {
    const cmd = a[a.length - 1] as Command;
    const g = cmd.optsWithGlobals<GlobalOptions>();
    try {
      await fn({ g, args: cmd.args, opts: cmd.opts<O & Record<string, unknown>>() });
    } catch (err) {
      emitError(g, err);
    }
  };
}
