import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseError, ContractFunctionRevertedError, decodeEventLog } from "viem";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startEmbeddedChain } from "./embeddedChain.ts";
import type { EmbeddedChainEndpoint } from "./embeddedChain.ts";
import { JsonRpc } from "./rpc.ts";
import { clientFor, tempDataDir } from "./testing/helpers.ts";
import { storeAbi, storeBytecode } from "./testing/storeContract.ts";
import { createTxSender } from "./txSender.ts";

async function withChain(t: { after: (fn: () => Promise<void>) => void }): Promise<EmbeddedChainEndpoint> {
  const { dir, cleanup } = await tempDataDir();
  const chain = await startEmbeddedChain({ dataDir: dir });
  t.after(async () => {
    await chain.close();
    await cleanup();
  });
  return chain;
}

function revertOf(error: unknown): ContractFunctionRevertedError {
  assert.ok(error instanceof BaseError, "a viem error");
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  assert.ok(revert instanceof ContractFunctionRevertedError, "with a ContractFunctionRevertedError inside");
  return revert;
}

test("txSender: writes and deploys are typed, mined, and their events decode", async (t) => {
  const chain = await withChain(t);
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  assert.equal(sender.address, privateKeyToAccount(chain.operatorKeys[0] ?? "0x").address);
  const { address, receipt: deployReceipt } = await sender.deployContract({
    abi: storeAbi,
    bytecode: storeBytecode,
    args: [5n],
  });
  assert.equal(deployReceipt.status, "success");
  assert.equal(await client.readContract({ address, abi: storeAbi, functionName: "value" }), 5n);
  const receipt = await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [77n] });
  assert.equal(receipt.status, "success");
  const log = receipt.logs[0];
  assert.ok(log !== undefined);
  const event = decodeEventLog({ abi: storeAbi, data: log.data, topics: log.topics });
  assert.equal(event.eventName, "Stored");
  assert.deepEqual(event.args, { by: sender.address, value: 77n });
});

test("txSender: a revert found by the simulation throws viem's decoded custom error and sends nothing", async (t) => {
  const chain = await withChain(t);
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [1n] });
  const nonce = await client.getTransactionCount({ address: sender.address });
  const head = await client.getBlockNumber();

  const error = await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [5000n] }).then(
    () => assert.fail("should revert"),
    (e: unknown) => e,
  );
  const revert = revertOf(error);
  assert.equal(revert.data?.errorName, "TooBig");
  assert.deepEqual(revert.data?.args, [5000n, 1000n]);

  const ctorError = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [2000n] }).then(
    () => assert.fail("should revert"),
    (e: unknown) => e,
  );
  const ctorRevert = revertOf(ctorError);
  assert.equal(ctorRevert.data?.errorName, "TooBig");
  assert.deepEqual(ctorRevert.data?.args, [2000n, 1000n]);

  assert.equal(await client.getTransactionCount({ address: sender.address }), nonce, "no nonce used");
  assert.equal(await client.getBlockNumber(), head, "nothing mined");
  // and the sender carries on
  assert.equal(
    (await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [9n] })).status,
    "success",
  );
});

test("txSender: concurrent calls are serialized, in call order, with consecutive nonces", async (t) => {
  const chain = await withChain(t);
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [1n] });
  const first = await client.getTransactionCount({ address: sender.address });
  const values = Array.from({ length: 12 }, (_, i) => BigInt(100 + i));
  const receipts = await Promise.all([
    ...values.map((v) => sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [v] })),
    sender.sendTransaction({ to: "0x0000000000000000000000000000000000000b0b", value: 1n }),
  ]);
  const nonces: number[] = [];
  for (const r of receipts) {
    assert.equal(r.status, "success");
    nonces.push((await client.getTransaction({ hash: r.transactionHash })).nonce);
  }
  assert.deepEqual(
    nonces,
    Array.from({ length: receipts.length }, (_, i) => first + i),
  );
  assert.equal(await client.readContract({ address, abi: storeAbi, functionName: "value" }), values.at(-1));
});

test("txSender: the nonce is re-synced when the key was used elsewhere", async (t) => {
  const chain = await withChain(t);
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  await sender.sendTransaction({ to: "0x0000000000000000000000000000000000000b0b", value: 1n });
  // Someone else sends with the same key: the sender's cached nonce is now too low.
  const account = privateKeyToAccount(chain.operatorKeys[0] ?? "0x");
  const nonce = await client.getTransactionCount({ address: account.address });
  const raw = await account.signTransaction({
    chainId: chain.chainId,
    nonce,
    to: "0x0000000000000000000000000000000000000b0b",
    value: 2n,
    gas: 21_000n,
    maxFeePerGas: 10n ** 11n,
    maxPriorityFeePerGas: 1n,
  });
  await new JsonRpc(chain.rpcUrl).call<Hex>("eth_sendRawTransaction", [raw]);
  const receipt = await sender.sendTransaction({ to: "0x0000000000000000000000000000000000000b0b", value: 3n });
  assert.equal(receipt.status, "success");
  assert.equal((await client.getTransaction({ hash: receipt.transactionHash })).nonce, nonce + 1);
});

test("txSender: the second operator key has its own sender", async (t) => {
  const chain = await withChain(t);
  const client = clientFor(chain);
  const a = createTxSender(chain, client);
  const b = createTxSender(chain, client, { keyIndex: 1 });
  assert.notEqual(a.address, b.address);
  const to: Address = "0x0000000000000000000000000000000000000b0b";
  const [ra, rb] = await Promise.all([a.sendTransaction({ to, value: 1n }), b.sendTransaction({ to, value: 2n })]);
  assert.equal(ra.from.toLowerCase(), a.address.toLowerCase());
  assert.equal(rb.from.toLowerCase(), b.address.toLowerCase());
  assert.throws(() => createTxSender(chain, client, { keyIndex: 2 }), /no operator key/);
});

test("txSender: calls are type-checked against the const ABI", () => {
  // Compile-time only (tsc checks this file); never run.
  const typeChecks = (sender: ReturnType<typeof createTxSender>, address: Address): void => {
    void sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [1n] });
    // @ts-expect-error unknown function
    void sender.writeContract({ address, abi: storeAbi, functionName: "nope", args: [1n] });
    // @ts-expect-error view functions are not transactions
    void sender.writeContract({ address, abi: storeAbi, functionName: "value", args: [] });
    // @ts-expect-error wrong argument type
    void sender.writeContract({ address, abi: storeAbi, functionName: "set", args: ["1"] });
    // @ts-expect-error missing constructor argument
    void sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [] });
  };
  assert.equal(typeof typeChecks, "function");
});
