/**
 * Node cold start (fresh data dir: chain, deploy, PGlite, API) and warm restart (journal replay), as a user sees them:
 * process spawn to URL printed.
 */
import { rmSync } from "node:fs";
import { spawnNode } from "../test/support/nodeProcess.ts";
import { tempDir } from "../test/support/testNode.ts";
import type { BenchResult } from "./result.ts";

/** Spawns `medchain start` and times it until it listens. */
export async function benchNodeStart(): Promise<BenchResult[]> {
  const dir = tempDir();
  try {
    const t0 = performance.now();
    const cold = await spawnNode(dir);
    const coldMs = performance.now() - t0;
    cold.child.kill("SIGTERM");
    await cold.exited;
    const t1 = performance.now();
    const warm = await spawnNode(dir);
    const warmMs = performance.now() - t1;
    warm.child.kill("SIGTERM");
    await warm.exited;
    return [
      { name: "node.coldStart", value: Math.round(coldMs), unit: "ms" },
      { name: "node.restart", value: Math.round(warmMs), unit: "ms" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
