/**
 * Shared plumbing of the docs generators (scripts/gen-cli-docs.ts, scripts/gen-bench-docs.ts): their
 * command line (`[--check] [--file PATH]`) and writing, or checking, one generated Markdown file.
 *
 * In `--check` mode nothing is written: the file on disk must equal what the generator produces now,
 * else the run prints which file is stale, the first line that differs and the command that
 * regenerates it, and exits 1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The repository root (this file lives in scripts/). */
export const ROOT = path.resolve(import.meta.dirname, "..");

/** What a generator was asked to do. */
export interface GeneratorArgs {
  /** Compare instead of writing. */
  check: boolean;
  /** The Markdown file to write or check (absolute). */
  file: string;
  /** The file as the user named it (for messages and the regenerate command). */
  fileArg: string | undefined;
}

/**
 * Parses `[--check] [--file PATH]`; `defaultFile` is relative to the repository root.
 * Exits 2 with a usage line on anything else.
 */
export function parseGeneratorArgs(argv: readonly string[], script: string, defaultFile: string): GeneratorArgs {
  let check = false;
  let fileArg: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--check") check = true;
    else if (arg === "--file" && argv[i + 1] !== undefined) fileArg = argv[(i += 1)];
    else {
      console.error(`unknown argument ${arg ?? ""}; usage: ${script} [--check] [--file PATH]`);
      process.exit(2);
    }
  }
  const file = fileArg === undefined ? path.join(ROOT, defaultFile) : path.resolve(fileArg);
  return { check, file, fileArg };
}

/** The first line where `actual` and `expected` differ, as a short message (or null when equal). */
export function firstDifference(actual: string, expected: string): string | null {
  if (actual === expected) return null;
  const a = actual.split("\n");
  const e = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, e.length); i += 1) {
    if (a[i] !== e[i]) {
      const show = (s: string | undefined): string => (s === undefined ? "(end of file)" : JSON.stringify(s));
      return `line ${i + 1}: the file has ${show(a[i])}, the generator gives ${show(e[i])}`;
    }
  }
  return "the files differ";
}

/**
 * Writes `content` to `args.file`, or with `--check` compares them and exits 1 when they differ
 * (or the file is missing). `script` is the generator's path from the root, for the regenerate command.
 */
export function writeOrCheck(args: GeneratorArgs, script: string, content: string, what: string): void {
  const relative = path.relative(process.cwd(), args.file);
  const shown = relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? args.file : relative;
  const regenerate = `node --import tsx ${script}${args.fileArg === undefined ? "" : ` --file ${args.fileArg}`}`;
  if (args.check) {
    const current = existsSync(args.file) ? readFileSync(args.file, "utf8") : undefined;
    const diff = current === undefined ? "the file does not exist" : firstDifference(current, content);
    if (diff !== null) {
      console.error(`${shown} is not current: it does not match ${what} (${diff}).`);
      console.error(`Regenerate it with: ${regenerate}`);
      process.exit(1);
    }
    console.log(`${shown} is current`);
    return;
  }
  mkdirSync(path.dirname(args.file), { recursive: true });
  writeFileSync(args.file, content);
  console.log(`wrote ${shown}`);
}
