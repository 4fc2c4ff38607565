/**
 * The generated docs checks that `npm test` runs (`scripts/gen-cli-docs.ts --check`,
 * `scripts/gen-bench-docs.ts --check`) pass on the committed docs/cli.md and docs/bench.md, and can
 * fail: a stale copy (one line edited, a line dropped) or a missing file exits 1 with a message naming
 * the file, the first difference and the command that regenerates it.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a generator script from the repository root with the given arguments. */
function runScript(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(path.join(tmpdir(), "medchain-docs-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CASES = [
  {
    script: "scripts/gen-cli-docs.ts",
    doc: "docs/cli.md",
    // a help line that reads differently, as after a renamed option
    edit: (s: string): string => s.replace("--data-dir <dir>", "--datadir <dir>"),
  },
  {
    script: "scripts/gen-bench-docs.ts",
    doc: "docs/bench.md",
    // a figure from an older run
    edit: (s: string): string => s.replace("| node.coldStart | ", "| node.coldStart | 1"),
  },
];

for (const { script, doc, edit } of CASES) {
  describe(`${script} --check`, () => {
    const committed = readFileSync(path.join(ROOT, doc), "utf8");

    it(`passes on the committed ${doc}`, async () => {
      const r = await runScript(script, ["--check"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${doc.replace(".", "\\.")} is current`));
    });

    it("passes on an identical copy given with --file", async () => {
      const file = path.join(tmp, `same-${path.basename(doc)}`);
      writeFileSync(file, committed);
      const r = await runScript(script, ["--check", "--file", file]);
      assert.equal(r.code, 0, r.stderr);
    });

    it("fails on a stale copy, naming the first difference and the command to regenerate", async () => {
      const stale = edit(committed);
      assert.notEqual(stale, committed, "the test's edit must change the file");
      const file = path.join(tmp, `stale-${path.basename(doc)}`);
      writeFileSync(file, stale);
      const r = await runScript(script, ["--check", "--file", file]);
      assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /is not current: it does not match .* \(line \d+: the file has /);
      assert.ok(r.stderr.includes(`Regenerate it with: node --import tsx ${script} --file ${file}`), r.stderr);
      assert.equal(readFileSync(file, "utf8"), stale, "--check writes nothing");
    });

    it("fails on a copy with a line dropped at the end, and on a missing file", async () => {
      const file = path.join(tmp, `short-${path.basename(doc)}`);
      writeFileSync(file, committed.replace(/[^\n]*\n$/, ""));
      const short = await runScript(script, ["--check", "--file", file]);
      assert.equal(short.code, 1, short.stderr);
      assert.match(short.stderr, /is not current/);

      const missing = await runScript(script, ["--check", "--file", path.join(tmp, "nothing-here.md")]);
      assert.equal(missing.code, 1, missing.stderr);
      assert.match(missing.stderr, /is not current: .*the file does not exist/);
    });
  });
}
