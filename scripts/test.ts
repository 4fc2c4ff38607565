/**
 * `npm test`: every check and every test of medchain, in one run.
 * Steps run in order; each reports pass/fail counts; the run ends with the
 * plain line `N passed, N failed` so a run that executed nothing cannot pass
 * unnoticed (zero tests counts as a failure).
 */
import { spawn } from "node:child_process";
import { globSync } from "node:fs";

interface StepResult {
  passed: number;
  failed: number;
  skipped: number;
}
interface Step {
  name: string;
  cmd: string[];
  parse?: (out: string) => StepResult | null;
  env?: Record<string, string>;
}

const only = process.argv.slice(2);

/**
 * Node's test runner (spec reporter) ends with "ℹ pass N", "ℹ fail N", "ℹ skipped N".
 * A suite whose body throws while being built is listed under "✖ failing tests:"
 * but not counted in "fail": count those too, so a file that cannot even load fails the run.
 */
function parseNodeTest(out: string): StepResult | null {
  const num = (label: string): number | null => {
    const m = out.match(new RegExp(`^[^\\n]*ℹ ${label} (\\d+)`, "m"));
    return m ? Number(m[1]) : null;
  };
  const passed = num("pass");
  const failed = num("fail");
  if (passed === null || failed === null) return null;
  const listed =
    out
      .split("\n✖ failing tests:")[1]
      ?.split("\n")
      .filter((l) => /^✖ /.test(l)).length ?? 0;
  return { passed, failed: Math.max(failed, listed), skipped: (num("skipped") ?? 0) + (num("todo") ?? 0) };
}

/** Hardhat 3's solidity runner prints "N passing" and, on failures, "N failing". */
function parseHardhat(out: string): StepResult | null {
  const clean = out.replace(/\x1b\[[0-9;]*m/g, "");
  const pass = clean.match(/(\d+) passing/);
  if (!pass) return null;
  const fail = clean.match(/(\d+) failing/);
  const skip = clean.match(/(\d+) (?:pending|skipped)/);
  return { passed: Number(pass[1]), failed: fail ? Number(fail[1]) : 0, skipped: skip ? Number(skip[1]) : 0 };
}

const tsTests = [...globSync("src/**/*.test.ts"), ...globSync("test/**/*.test.ts")].sort();

const steps: Step[] = [
  { name: "lint", cmd: ["npx", "eslint", "."] },
  { name: "typecheck", cmd: ["npx", "tsc", "--noEmit", "-p", "."] },
  { name: "architecture check", cmd: ["node", "--import", "tsx", "scripts/check-architecture.ts"] },
  { name: "format check (Prettier, 120 columns)", cmd: ["node", "--import", "tsx", "scripts/check-format.ts"] },
  { name: "contracts build", cmd: ["npx", "hardhat", "build", "--quiet"] },
  { name: "generated ABIs match the contracts", cmd: ["node", "--import", "tsx", "scripts/gen-abi.ts", "--check"] },
  { name: "docs/cli.md is current", cmd: ["node", "--import", "tsx", "scripts/gen-cli-docs.ts", "--check"] },
  { name: "docs/bench.md is current", cmd: ["node", "--import", "tsx", "scripts/gen-bench-docs.ts", "--check"] },
  // `--snapshot-check`: the gas snapshots (snapshots/<group>.json from the vm.snapshotGas* cheatcodes of the
  // *.gas.t.sol tests, and .gas-snapshot, every test's gas) must match; a difference fails the step (non-zero exit).
  // Update them with `npx hardhat test solidity --snapshot` when a change is intended.
  {
    name: "solidity tests and gas snapshots",
    cmd: ["npx", "hardhat", "test", "solidity", "--snapshot-check"],
    parse: parseHardhat,
  },
  {
    name: "typescript tests",
    cmd: ["node", "--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...tsTests],
    parse: parseNodeTest,
  },
];

function run(step: Step): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd[0]!, step.cmd.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", ...step.env },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
      process.stderr.write(d);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.includes(o))) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const { code, out } = await run(step);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (step.parse) {
    const r = step.parse(out);
    if (r === null || r.passed + r.failed === 0) {
      failed += 1;
      failures.push(`${step.name}: no test summary found (exit ${code})`);
    } else {
      passed += r.passed;
      failed += r.failed;
      skipped += r.skipped;
      if (r.failed > 0 || code !== 0) failures.push(`${step.name}: ${r.failed} failed (exit ${code})`);
      if (r.failed === 0 && code !== 0) failed += 1;
    }
  } else if (code === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(`${step.name}: exit ${code}`);
  }
  console.log(`=== ${step.name}: done in ${secs}s ===`);
}
if (failures.length > 0) console.log(`\nFailures:\n  ${failures.join("\n  ")}`);
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
