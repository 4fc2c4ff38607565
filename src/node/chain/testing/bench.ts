/**
 * Benchmark of the embedded chain (run: `node --import tsx src/node/chain/testing/bench.ts [txs]`):
 * cold start, transactions per second through TxSender (each one simulated,
 * signed, sent, mined and fsynced to the journal before the next), and the
 * start of a data dir holding those transactions (journal replay). Prints JSON.
 */
import { rm } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import type { PublicClient } from "viem";
import { startEmbeddedChain } from "../embeddedChain.ts";
import type { EmbeddedChainEndpoint } from "../embeddedChain.ts";
import { createTxSender } from "../txSender.ts";
import { storeAbi, storeBytecode } from "./storeContract.ts";

const txs = Number(process.argv[2] ?? "2000");
const clientFor = (c: EmbeddedChainEndpoint): PublicClient =>
  createPublicClient({ transport: http(c.rpcUrl, { retryCount: 0 }), pollingInterval: 50 }) as PublicClient;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const dirs: string[] = [];
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const dir = await mkdtemp(join(tmpdir(), "medchain-chain-bench-"));
  dirs.push(dir);
  const t0 = performance.now();
  const chain = await startEmbeddedChain({ dataDir: dir });
  cold.push(performance.now() - t0);
  await chain.close();
}

const dir = dirs[0] ?? "";
let chain = await startEmbeddedChain({ dataDir: dir });
const sender = createTxSender(chain, clientFor(chain));
const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [1n] });
const t1 = performance.now();
for (let i = 0; i < txs; i++) {
  if (i % 2 === 0)
    await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [BigInt(i % 1000)] });
  else await sender.sendTransaction({ to: "0x0000000000000000000000000000000000000b0b", value: 1n });
}
const sendMs = performance.now() - t1;
await chain.close();

const t2 = performance.now();
chain = await startEmbeddedChain({ dataDir: dir });
const restartMs = performance.now() - t2;
const { replayedTxs, replayMs } = chain.stats;
await chain.close();
for (const d of dirs) await rm(d, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      coldStartMs: { median: Math.round(median(cold)), runs: cold.map(Math.round) },
      txSender: { txs, ms: Math.round(sendMs), txPerSec: Math.round(txs / (sendMs / 1000)) },
      restartWithReplay: {
        txs: replayedTxs,
        startMs: Math.round(restartMs),
        replayMs: Math.round(replayMs),
        replayTxPerSec: Math.round(replayedTxs / (replayMs / 1000)),
      },
    },
    null,
    2,
  ),
);
