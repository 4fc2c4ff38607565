/**
 * Test helper process (run with `node --import tsx`): starts the embedded
 * chain of the data directory given as argument, then sends transactions
 * through a TxSender in an endless loop, alternating value transfers and
 * contract calls, and prints one line per confirmed transaction:
 *
 *   ready <anvilPid> <watchdogPid> <contractAddress>
 *   confirmed <txHash>
 *
 * A "confirmed" line is printed only after TxSender returned, i.e. after the
 * transaction was journaled durably. The test kills this process with
 * SIGKILL mid-stream and checks that every printed hash survived.
 */
import { createPublicClient, http } from "viem";
import type { PublicClient } from "viem";
import { readPidFile } from "../anvilProcess.ts";
import { startEmbeddedChain } from "../embeddedChain.ts";
import { createTxSender } from "../txSender.ts";
import { storeAbi, storeBytecode } from "./storeContract.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) {
  process.stderr.write("usage: sendLoop.ts <dataDir>\n");
  process.exit(2);
}

const chain = await startEmbeddedChain({ dataDir, log: (msg) => process.stderr.write(`${msg}\n`) });
const client = createPublicClient({
  transport: http(chain.rpcUrl, { retryCount: 0 }),
  pollingInterval: 50,
}) as PublicClient;
const sender = createTxSender(chain, client);
const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [1n] });
const pids = await readPidFile(chain.chainDir);
process.stdout.write(`ready ${chain.anvilPid} ${pids?.watchdogPid ?? 0} ${address}\n`);

for (let i = 0; ; i++) {
  const receipt =
    i % 2 === 0
      ? await sender.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: BigInt(i + 1) })
      : await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [BigInt(i % 1000)] });
  process.stdout.write(`confirmed ${receipt.transactionHash}\n`);
}
