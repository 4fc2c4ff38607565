/** `npm run bench`: runs every benchmark and writes bench/results.json (an array of {name, value, unit, baseline?, ratio?}). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "./result.ts";
import { benchRecords } from "./records.bench.ts";
import { benchNodeStart } from "./node.bench.ts";
import { benchCrypto } from "./crypto.bench.ts";
import { benchConsent } from "./consent.bench.ts";
import { benchSupply } from "./supply.bench.ts";
import { benchIdentity } from "./identity.bench.ts";

const results: BenchResult[] = [];
for (const [name, fn] of [["node start", benchNodeStart], ["records", benchRecords], ["consent", benchConsent], ["supply", benchSupply], ["identity", benchIdentity], ["crypto", benchCrypto]] as const) {
  process.stderr.write(`bench: ${name}...\n`);
  const r = await fn();
  for (const x of r) process.stderr.write(`  ${x.name} = ${x.value} ${x.unit}${x.baseline ? ` (baseline ${x.baseline.name}: ${x.baseline.value}; ratio ${x.ratio})` : ""}\n`);
  results.push(...r);
}
const file = join(import.meta.dirname, "results.json");
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.stderr.write(`bench: wrote ${file}\n`);
