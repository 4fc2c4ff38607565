/** Helpers for the chain module's tests. */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import type { Address, Hex, PublicClient } from "viem";
import { isProcessAlive } from "../anvilProcess.ts";
import type { ChainEndpoint } from "../endpoint.ts";

/** A fresh temporary data directory; `cleanup` removes it. */
export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "medchain-chain-test-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A viem public client for an endpoint, polling fast. */
export function clientFor(endpoint: ChainEndpoint): PublicClient {
  return createPublicClient({
    transport: http(endpoint.rpcUrl, { retryCount: 0 }),
    pollingInterval: 20,
  }) as PublicClient;
}

/**
 * Polls `pred` every 20 ms until it is true; returns the elapsed ms, or throws after `timeoutMs` (a safety net, not a
 * timing assertion).
 */
export async function waitUntil(
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const t0 = performance.now();
  while (!(await pred())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - t0;
}

/** pids of live processes whose command line contains `text` (Linux /proc; empty elsewhere). */
export async function processesMentioning(text: string): Promise<number[]> {
  if (process.platform !== "linux") return [];
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmd = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").join(" ");
      if (cmd.includes(text) && isProcessAlive(pid)) pids.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Everything a restart must preserve, for a set of accounts and all blocks. */
export interface ChainSnapshot {
  readonly head: bigint;
  readonly blocks: { number: bigint; hash: Hex; timestamp: bigint; stateRoot: Hex; txs: readonly Hex[] }[];
  readonly accounts: { address: Address; balance: bigint; nonce: number; code: Hex | undefined }[];
}

/** Reads a {@link ChainSnapshot}. */
export async function snapshot(client: PublicClient, addresses: readonly Address[]): Promise<ChainSnapshot> {
  const head = await client.getBlockNumber();
  const blocks: ChainSnapshot["blocks"] = [];
  for (let n = 0n; n <= head; n++) {
    const b = await client.getBlock({ blockNumber: n });
    blocks.push({
      number: b.number,
      hash: b.hash,
      timestamp: b.timestamp,
      stateRoot: b.stateRoot,
      txs: b.transactions,
    });
  }
  const accounts: ChainSnapshot["accounts"] = [];
  for (const address of addresses) {
    accounts.push({
      address,
      balance: await client.getBalance({ address }),
      nonce: await client.getTransactionCount({ address }),
      code: await client.getCode({ address }),
    });
  }
  return { head, blocks, accounts };
}
