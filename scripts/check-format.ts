/**
 * The formatter check (run by `npm test`): every TypeScript file is as
 * Prettier formats it (`.prettierrc.json`: 120 columns) and no line of a
 * source file is longer than 120 characters (Prettier does not break strings
 * or comments; generated files are exempt, and the few lines Prettier cannot break that are not split yet are
 * counted per file in `scripts/long-lines.baseline.json`: a file may not exceed its count, and no other file may
 * have any).
 *
 *   node --import tsx scripts/check-format.ts [--root DIR]     check
 *   npm run format                                             format
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as prettier from "prettier";

/** Longest line allowed outside generated files. */
export const MAX_LINE = 120;
/** Folders checked, under the root. */
const FOLDERS = ["src", "test", "scripts", "bench", "web/src"];
/** Paths (relative, `/`-separated) never checked: generated code. */
const GENERATED = [/^src\/chain\/generated\//];

/** One file that is not formatted. */
export interface FormatIssue {
  file: string;
  problem: string;
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** Per file, how many lines over {@link MAX_LINE} are tolerated (`scripts/long-lines.baseline.json`, if any). */
function baseline(root: string): Record<string, number> {
  try {
    const parsed = JSON.parse(readFileSync(join(root, "scripts", "long-lines.baseline.json"), "utf8")) as {
      files?: unknown;
    };
    return typeof parsed.files === "object" && parsed.files !== null ? (parsed.files as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Checks every source file under `root`; returns the files that are not formatted. */
export async function checkFormat(root: string): Promise<FormatIssue[]> {
  const issues: FormatIssue[] = [];
  const tolerated = baseline(root);
  const files = FOLDERS.flatMap((f) => walk(join(root, f)))
    .map((f) => ({ abs: f, rel: relative(root, f).split("\\").join("/") }))
    .filter((f) => !GENERATED.some((g) => g.test(f.rel)));
  for (const { abs, rel } of files) {
    const text = readFileSync(abs, "utf8");
    const options = { ...(await prettier.resolveConfig(abs)), filepath: abs };
    if (!(await prettier.check(text, options))) issues.push({ file: rel, problem: "not formatted by Prettier" });
    const long = text
      .split("\n")
      .map((line, i) => ({ line, at: i + 1 }))
      .filter((l) => l.line.length > MAX_LINE);
    if (long.length > (tolerated[rel] ?? 0)) {
      for (const l of long) {
        issues.push({ file: `${rel}:${l.at}`, problem: `line of ${l.line.length} characters (max ${MAX_LINE})` });
      }
    }
  }
  return issues;
}

if (import.meta.main) {
  const i = process.argv.indexOf("--root");
  const root = resolve(i > 0 ? (process.argv[i + 1] ?? ".") : join(import.meta.dirname, ".."));
  const issues = await checkFormat(root);
  for (const x of issues) console.error(`${x.file}: ${x.problem}`);
  console.log(
    issues.length === 0 ? "format check: ok" : `format check: ${issues.length} issue(s); run \`npm run format\``,
  );
  process.exit(issues.length === 0 ? 0 : 1);
}
