/**
 * The formatter check fails on a file Prettier would change and on a line
 * over 120 characters (planted in a temporary tree), passes on a formatted
 * tree, and exempts generated code.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkFormat } from "../../scripts/check-format.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** A temp tree with the repository's Prettier config and the given files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "medchain-fmt-"));
  copyFileSync(join(ROOT, ".prettierrc.json"), join(root, ".prettierrc.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const LONG = `// ${"x".repeat(130)}\nexport const s = 1;\n`;

describe("format check", () => {
  it("passes on a formatted tree and exempts generated code", async () => {
    const root = tree({ "src/a.ts": "export const a = { b: 1 };\n", "src/chain/generated/g.ts": LONG });
    try {
      assert.deepEqual(await checkFormat(root), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails on a file Prettier would change (planted)", async () => {
    const root = tree({ "src/a.ts": "export const a = {b:1}\n" });
    try {
      assert.deepEqual(await checkFormat(root), [{ file: "src/a.ts", problem: "not formatted by Prettier" }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails on a line over 120 characters (planted)", async () => {
    const root = tree({ "test/long.ts": LONG });
    try {
      const issues = await checkFormat(root);
      assert.deepEqual(issues, [{ file: "test/long.ts:1", problem: "line of 133 characters (max 120)" }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("tolerates a baseline's count of long lines in a listed file, and fails on one more (planted)", async () => {
    const baselineFile = JSON.stringify({ files: { "test/long.ts": 1 } });
    const ok = tree({ "test/long.ts": LONG, "scripts/long-lines.baseline.json": baselineFile });
    const over = tree({ "test/long.ts": `${LONG}${LONG}`, "scripts/long-lines.baseline.json": baselineFile });
    try {
      assert.deepEqual(await checkFormat(ok), []);
      assert.equal((await checkFormat(over)).length, 2);
    } finally {
      rmSync(ok, { recursive: true, force: true });
      rmSync(over, { recursive: true, force: true });
    }
  });
});
