/**
 * The architecture check passes on this repository and fails, with the rule's
 * name, on a tree where each rule is broken once (a planted violation per rule).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkArchitecture } from "../../scripts/check-architecture.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** Writes a small tree of files under a temp root. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "medchain-arch-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A clean tree: kernel, node, CLI, module list and two slices that talk through their SDKs. */
const CLEAN: Record<string, string> = {
  "src/kernel/errors.ts": "export const E = 1;\n",
  "src/node/startNode.ts": 'import { MODULES } from "../modules.ts";\nexport const n = MODULES;\n',
  "src/modules.ts":
    'import { a } from "./alpha/alpha.module.ts";\nimport { b } from "./beta/beta.module.ts";\nexport const ' +
    "MODULES = [a, b];\n",
  "src/alpha/alpha.module.ts": 'import { E } from "../kernel/errors.ts";\nexport const a = E;\n',
  "src/alpha/sdk/client.ts": 'import { E } from "../../kernel/errors.ts";\nexport const c = E;\n',
  "src/beta/beta.module.ts": 'import { c } from "../alpha/sdk/client.ts";\nexport const b = c;\n',
};

describe("architecture check", () => {
  it("passes on this repository", () => {
    assert.deepEqual(checkArchitecture(ROOT), []);
  });

  it("passes on a clean tree", () => {
    const root = tree(CLEAN);
    try {
      assert.deepEqual(checkArchitecture(root), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const planted: Array<[string, Record<string, string>]> = [
    ["kernel", { "src/kernel/bad.ts": 'import { a } from "../alpha/alpha.module.ts";\nexport const x = a;\n' }],
    ["names-a-domain", { "src/node/bad.ts": 'import { a } from "../alpha/alpha.module.ts";\nexport const x = a;\n' }],
    ["names-a-domain", { "src/cli/bad.ts": 'import { c } from "../alpha/sdk/client.ts";\nexport const x = c;\n' }],
    [
      "slice-internals",
      {
        "src/alpha/alpha.service.ts": "export const s = 1;\n",
        "src/beta/bad.ts": 'import { s } from "../alpha/alpha.service.ts";\nexport const x = s;\n',
      },
    ],
    [
      "browser-safe",
      { "src/alpha/sdk/bad.ts": 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n' },
    ],
    ["browser-safe", { "src/kernel/bad.ts": 'import { n } from "../node/startNode.ts";\nexport const x = n;\n' }],
    [
      "file-cycle",
      {
        "src/alpha/one.ts": 'import { two } from "./two.ts";\nexport const one = () => two;\n',
        "src/alpha/two.ts": 'import { one } from "./one.ts";\nexport const two = () => one;\n',
      },
    ],
    [
      "error-registration",
      {
        "src/alpha/sdk/errors.ts":
          'import { E } from "../../kernel/errors.ts";\nexport const ALPHA_ERRORS = {\n  AlphaBroken: ' +
          "409,\n};\nexport const x = E;\n",
        "src/beta/bad.ts": 'export function f() {\n  throw new MedchainError("AlphaBroken", "planted");\n}\n',
      },
    ],
    [
      "slice-cycle",
      { "src/alpha/sdk/back.ts": 'import type { b } from "../../beta/beta.module.ts";\nexport type X = typeof b;\n' },
    ],
  ];
  for (const [rule, files] of planted) {
    it(`fails on a planted ${rule} violation (${Object.keys(files).join(", ")})`, () => {
      const root = tree({ ...CLEAN, ...files });
      try {
        const found = checkArchitecture(root);
        assert.ok(
          found.some((v) => v.rule === rule),
          `expected ${rule}, got ${JSON.stringify(found)}`,
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});

describe("slice migrations", () => {
  it(
    "a slice's migrations join the baseline, named " +
      "<yyyymmdd>_<slice>_<what>; bad names and duplicates are refused",
    async () => {
      const { migrationsOf, tablesOf, MIGRATIONS } = await import("../../src/node/db/migrations.ts");
      const up = async (): Promise<void> => undefined;
      const study = {
        name: "research",
        tables: ["research_studies"],
        migrations: { "20261208_research_studies": { up } },
      };
      const all = migrationsOf([study]);
      assert.deepEqual(Object.keys(all).sort(), [...Object.keys(MIGRATIONS), "20261208_research_studies"].sort());
      assert.ok(
        Object.keys(all).sort().at(-1) === "20261208_research_studies",
        "a slice migration sorts after the baseline",
      );
      assert.equal(tablesOf([study])[0], "research_studies");
      assert.throws(() => migrationsOf([{ name: "research", migrations: { "0008_studies": { up } } }]), /not named/);
      assert.throws(
        () => migrationsOf([{ name: "research", migrations: { "20261208_trials_x": { up } } }]),
        /not named/,
      );
      assert.throws(() => migrationsOf([study, { ...study }]), /defined twice/);
    },
  );
});
