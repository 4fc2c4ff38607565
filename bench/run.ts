/**
 * `npm run bench`: runs every benchmark and writes bench/results.json (an array of {name, value, unit, baseline?, ratio?}).
 * `npm run bench -- web` runs only the named benchmarks and updates their figures in results.json, keeping the others.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "./result.ts";
import { benchRecords } from "./records.bench.ts";
import { benchNodeStart } from "./node.bench.ts";
import { benchCrypto } from "./crypto.bench.ts";
import { benchConsent } from "./consent.bench.ts";
import { benchSupply } from "./supply.bench.ts";
import { benchWeb } from "./web.bench.ts";

const only = process.argv.slice(2);
const benches = ([["node start", benchNodeStart], ["records", benchRecords], ["consent", benchConsent], ["supply", benchSupply], ["crypto", benchCrypto], ["web", benchWeb]] as const)
  .filter(([name]) => only.length === 0 || only.some((o) => name.includes(o)));
if (benches.length === 0) throw new Error(`no benchmark matches ${only.join(", ")}`);
const results: BenchResult[] = [];
for (const [name, fn] of benches) {
  process.stderr.write(`bench: ${name}...\n`);
  const r = await fn();
  for (const x of r) process.stderr.write(`  ${x.name} = ${x.value} ${x.unit}${x.baseline ? ` (baseline ${x.baseline.name}: ${x.baseline.value}; ratio ${x.ratio})` : ""}\n`);
  results.push(...r);
}
const file = join(import.meta.dirname, "results.json");
const kept = only.length > 0 && existsSync(file)
  ? (JSON.parse(readFileSync(file, "utf8")) as BenchResult[]).filter((old) => !results.some((r) => r.name === old.name))
  : [];
writeFileSync(file, `${JSON.stringify([...kept, ...results], null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.stderr.write(`bench: wrote ${file}\n`);
