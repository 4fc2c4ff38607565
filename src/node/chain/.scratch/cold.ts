import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedChain } from "../embeddedChain.ts";
import { operatorKeysOf, loadOrCreateGenesis } from "../genesis.ts";
const t0 = performance.now();
const d0 = mkdtempSync(join(tmpdir(), "mc-cold-"));
const { genesis } = await loadOrCreateGenesis(d0, { mayCreate: true, anvilVersion: "x" });
console.log("genesis create", performance.now() - t0);
let t = performance.now(); operatorKeysOf(genesis); console.log("keys", performance.now() - t);
t = performance.now(); operatorKeysOf(genesis); console.log("keys again", performance.now() - t);
for (let i = 0; i < 3; i++) {
  const dir = mkdtempSync(join(tmpdir(), "mc-cold-"));
  t = performance.now();
  const c = await startEmbeddedChain({ dataDir: dir, log: (m) => console.log(((performance.now() - t)).toFixed(1), m) });
  console.log("cold start", performance.now() - t, c.stats.startMs);
  t = performance.now();
  await c.close();
  console.log("close", performance.now() - t);
}
