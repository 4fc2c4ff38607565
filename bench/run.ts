/**
 * `npm run bench`: runs every benchmark and writes bench/results.json (an array of {name, value, unit, baseline?,
 * ratio?}).
 * `npm run bench -- --only supply` runs one module and replaces only its figures in results.json.
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
import { benchIdentity } from "./identity.bench.ts";

const MODULES = [
  ["node start", benchNodeStart],
  ["records", benchRecords],
  ["consent", benchConsent],
  ["supply", benchSupply],
  ["identity", benchIdentity],
  ["crypto", benchCrypto],
  ["web", benchWeb],
] as const;
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (only !== undefined && !MODULES.some(([name]) => name === only))
  throw new Error(`--only takes one of: ${MODULES.map(([name]) => name).join(", ")}`);
const results: BenchResult[] = [];
for (const [name, fn] of MODULES.filter(([n]) => only === undefined || n === only)) {
  process.stderr.write(`bench: ${name}...\n`);
  const r = await fn();
  for (const x of r)
    process.stderr.write(
      `  ${x.name} = ${x.value} ` +
        `${x.unit}${x.baseline ? ` (baseline ${x.baseline.name}: ${x.baseline.value}; ratio ${x.ratio})` : ""}\n`,
    );
  results.push(...r);
}
const file = join(import.meta.dirname, "results.json");
if (only !== undefined && existsSync(file)) {
  // keep the other modules' figures; this module's replace its old ones (renamed figures included: same name prefix)
  const prefixes = new Set(results.map((r) => r.name.split(".")[0]));
  const kept = (JSON.parse(readFileSync(file, "utf8")) as BenchResult[]).filter(
    (r) => !prefixes.has(r.name.split(".")[0]),
  );
  results.unshift(...kept);
}
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.stderr.write(`bench: wrote ${file}\n`);
