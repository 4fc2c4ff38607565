import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type PublicClient } from "viem";
import { startEmbeddedChain } from "../embeddedChain.ts";
import { storeAbi, storeBytecode } from "../testing/storeContract.ts";
import { privateKeyToAccount } from "viem/accounts";
import { encodeFunctionData, encodeDeployData } from "viem";

const dir = mkdtempSync(join(tmpdir(), "mc-prof-"));
const chain = await startEmbeddedChain({ dataDir: dir });
const client = createPublicClient({ transport: http(chain.rpcUrl), pollingInterval: 50 }) as PublicClient;
const account = privateKeyToAccount(chain.operatorKeys[0]!);
const times: Record<string, number> = {};
const tm = async <T>(k: string, f: () => Promise<T>): Promise<T> => { const t = performance.now(); try { return await f(); } finally { times[k] = (times[k] ?? 0) + performance.now() - t; } };
let nonce = await client.getTransactionCount({ address: account.address });
const deployRaw = await account.signTransaction({ chainId: 31337, nonce: nonce++, data: encodeDeployData({ abi: storeAbi, bytecode: storeBytecode, args: [1n] }), gas: 500000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
const dh = await client.sendRawTransaction({ serializedTransaction: deployRaw });
const address = (await client.waitForTransactionReceipt({ hash: dh })).contractAddress!;
let notFound = 0;
const N = 100;
for (let i = 0; i < N; i++) {
  await tm("estimate", () => client.estimateContractGas({ abi: storeAbi, address, functionName: "set", args: [BigInt(i)], account }));
  const fees = await tm("fees", () => client.estimateFeesPerGas({ type: "eip1559", chain: null }));
  const raw = await tm("sign", () => account.signTransaction({ chainId: 31337, nonce: nonce++, to: address, data: encodeFunctionData({ abi: storeAbi, functionName: "set", args: [BigInt(i)] }), gas: 100000n, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }));
  const hash = await tm("send", () => client.sendRawTransaction({ serializedTransaction: raw }));
  const rc = await tm("receipt", async () => { try { return await client.getTransactionReceipt({ hash }); } catch { notFound++; return client.waitForTransactionReceipt({ hash, pollingInterval: 50 }); } });
  const b = await tm("getBlock", () => client.getBlock({ blockNumber: rc.blockNumber }));
  await tm("record", () => chain.recordConfirmed({ raw, hash, blockNumber: rc.blockNumber, timestamp: b.timestamp }));
}
for (const [k, v] of Object.entries(times)) console.log(k, (v / N).toFixed(2), "ms");
console.log("receipt not found immediately:", notFound);
await chain.close();
