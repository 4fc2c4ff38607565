import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createWalletClient, http, parseEther } from "viem";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { MedchainError } from "../../kernel/errors.ts";
import { anvilBinary, anvilDiesWithWatchdog, isProcessAlive, readPidFile } from "./anvilProcess.ts";
import { startEmbeddedChain } from "./embeddedChain.ts";
import type { EmbeddedChainEndpoint } from "./embeddedChain.ts";
import { JsonRpc } from "./rpc.ts";
import { clientFor, processesMentioning, snapshot, tempDataDir, waitUntil } from "./testing/helpers.ts";
import { storeAbi, storeBytecode } from "./testing/storeContract.ts";
import { createTxSender } from "./txSender.ts";

const ALICE: Address = "0x00000000000000000000000000000000000a11ce";
const BOB: Address = "0x0000000000000000000000000000000000000b0b";

function addressOf(key: Hex): Address {
  return privateKeyToAccount(key).address;
}

function key(chain: EmbeddedChainEndpoint, i: number): Hex {
  const k = chain.operatorKeys[i];
  assert.ok(k !== undefined);
  return k;
}

/** Sends a few transfers, a deployment and a call through a TxSender; returns the contract address. */
async function someTraffic(chain: EmbeddedChainEndpoint): Promise<Address> {
  const sender = createTxSender(chain, clientFor(chain));
  await sender.sendTransaction({ to: ALICE, value: parseEther("1.5") });
  await sender.sendTransaction({ to: BOB, value: 12345n });
  const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [7n] });
  await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [42n] });
  await sender.sendTransaction({ to: ALICE, value: 1n });
  return address;
}

test("embedded chain: balances, code, nonces, blocks and timestamps survive close and restart", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  let chain = await startEmbeddedChain({ dataDir: dir });
  assert.equal(chain.kind, "embedded");
  assert.equal(chain.chainId, 31337);
  assert.equal(chain.operatorKeys.length, 2);
  t.diagnostic(`cold start: ${chain.stats.startMs.toFixed(0)} ms`);
  const contract = await someTraffic(chain);
  // A transaction sent by another client straight to the RPC URL is journaled too (here: at close).
  const other = createWalletClient({ account: privateKeyToAccount(key(chain, 1)), transport: http(chain.rpcUrl) });
  await clientFor(chain).waitForTransactionReceipt({
    hash: await other.sendTransaction({ to: BOB, value: 5n, chain: null }),
  });
  const addresses = [addressOf(key(chain, 0)), addressOf(key(chain, 1)), ALICE, BOB, contract];
  const before = await snapshot(clientFor(chain), addresses);
  const value = await clientFor(chain).readContract({ address: contract, abi: storeAbi, functionName: "value" });
  const keys = chain.operatorKeys;
  await chain.close();
  await chain.close(); // idempotent

  const progress: [number, number][] = [];
  const wallBeforeRestart = BigInt(Math.floor(Date.now() / 1000));
  chain = await startEmbeddedChain({ dataDir: dir, onProgress: (done, total) => progress.push([done, total]) });
  t.after(() => chain.close());
  assert.deepEqual(chain.operatorKeys, keys, "same mnemonic, same keys");
  assert.equal(chain.stats.replayedTxs, 6);
  assert.deepEqual(progress.at(-1), [6, 6]);
  t.diagnostic(`restart with replay of ${chain.stats.replayedTxs} txs: ${chain.stats.startMs.toFixed(0)} ms`);
  const after = await snapshot(clientFor(chain), addresses);
  assert.deepEqual(after, before);
  assert.equal(await clientFor(chain).readContract({ address: contract, abi: storeAbi, functionName: "value" }), value);
  assert.ok(before.accounts[4]?.code !== undefined && before.accounts[4].code.length > 2, "contract code is there");

  // New transactions continue the history: next nonce, next block, wall-clock time again.
  const receipt = await createTxSender(chain, clientFor(chain)).sendTransaction({ to: ALICE, value: 2n });
  assert.equal(receipt.blockNumber, before.head + 1n);
  const tx = await clientFor(chain).getTransaction({ hash: receipt.transactionHash });
  assert.equal(tx.nonce, before.accounts[0]?.nonce);
  const block = await clientFor(chain).getBlock({ blockNumber: receipt.blockNumber });
  assert.ok(block.timestamp >= wallBeforeRestart, "after a replay, block time follows the wall clock again");
});

test("embedded chain: blocks from other clients (several txs, empty blocks) replay exactly", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  let chain = await startEmbeddedChain({ dataDir: dir, journalPollMs: 20 });
  const client = clientFor(chain);
  const rpc = new JsonRpc(chain.rpcUrl);
  const a = privateKeyToAccount(key(chain, 0));
  const b = privateKeyToAccount(key(chain, 1));
  const sign = async (account: typeof a, nonce: number, to: Address, value: bigint): Promise<Hex> =>
    account.signTransaction({
      chainId: 31337,
      nonce,
      to,
      value,
      gas: 21_000n,
      maxFeePerGas: 10n ** 11n,
      maxPriorityFeePerGas: 1n,
    });
  // anvil-only methods, in a test: build a block with three transactions, then two empty blocks.
  await rpc.call("evm_setAutomine", [false]);
  await rpc.call("eth_sendRawTransaction", [await sign(a, 0, ALICE, 1n)]);
  await rpc.call("eth_sendRawTransaction", [await sign(b, 0, BOB, 2n)]);
  await rpc.call("eth_sendRawTransaction", [await sign(a, 1, BOB, 3n)]);
  await rpc.call("evm_mine");
  await rpc.call("evm_mine");
  await rpc.call("evm_mine");
  await rpc.call("evm_setAutomine", [true]);
  const full = await client.getBlock({ blockNumber: 1n });
  assert.equal(full.transactions.length, 3);
  // the poller journals blocks nobody confirmed through recordConfirmed
  await waitUntil(
    async () => (await readFile(join(dir, "chain", "journal.ndjson"), "utf8").catch(() => "")).split("\n").length > 3,
    10_000,
    "poller",
  );
  await createTxSender(chain, client).sendTransaction({ to: ALICE, value: 4n });
  const before = await snapshot(client, [a.address, b.address, ALICE, BOB]);
  assert.equal(before.head, 4n);
  await chain.close();

  chain = await startEmbeddedChain({ dataDir: dir });
  t.after(() => chain.close());
  assert.equal(chain.stats.replayedBlocks, 4);
  assert.equal(chain.stats.replayedTxs, 4);
  assert.deepEqual(await snapshot(clientFor(chain), [a.address, b.address, ALICE, BOB]), before);
});

test("embedded chain: kill -9 of the node loses no confirmed transaction and leaves no anvil behind", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const script = fileURLToPath(new URL("./testing/sendLoop.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  const confirmed: Hex[] = [];
  let killedAt = 0;
  let anvilPid = 0;
  let watchdogPid = 0;
  let contract: Address | undefined;
  const lines = createInterface({ input: child.stdout });
  const linesClosed = new Promise<void>((resolve) => lines.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      const [kind, a, b, c] = line.split(" ");
      if (kind === "ready") {
        anvilPid = Number(a);
        watchdogPid = Number(b);
        contract = c as Address;
      } else if (kind === "confirmed") {
        confirmed.push(a as Hex);
        if (confirmed.length === 25) {
          // mid-stream, at a random point of the next transaction(s)
          setTimeout(() => {
            killedAt = performance.now();
            child.kill("SIGKILL");
            resolve();
          }, Math.random() * 20);
        }
      }
    });
    child.once("exit", (code) => {
      if (killedAt === 0) reject(new Error(`sendLoop exited early (${String(code)})`));
    });
  });
  assert.equal(await exited, "SIGKILL");
  await linesClosed; // lines printed before the kill may still have been in the pipe
  assert.ok(anvilPid > 0 && watchdogPid > 0);
  await waitUntil(() => !isProcessAlive(anvilPid), 15_000, "orphaned anvil to die");
  t.diagnostic(
    `anvil gone ${(performance.now() - killedAt).toFixed(0)} ms ` +
      `after the SIGKILL (or sooner); ${confirmed.length} txs confirmed`,
  );
  await waitUntil(() => !isProcessAlive(watchdogPid), 15_000, "watchdog to exit");
  assert.deepEqual(await processesMentioning(join(dir, "chain")), []);

  const chain = await startEmbeddedChain({ dataDir: dir });
  t.after(() => chain.close());
  t.diagnostic(`restart replayed ${chain.stats.replayedTxs} txs in ${chain.stats.replayMs.toFixed(0)} ms`);
  const client = clientFor(chain);
  for (const hash of confirmed) {
    const receipt = await client.getTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
  }
  assert.ok(contract !== undefined);
  assert.notEqual(await client.getCode({ address: contract }), undefined);
  const operator = addressOf(key(chain, 0));
  const nonce = await client.getTransactionCount({ address: operator });
  assert.ok(nonce >= confirmed.length + 1, "deployment + every confirmed tx used a nonce");
  const receipt = await createTxSender(chain, client).writeContract({
    address: contract,
    abi: storeAbi,
    functionName: "set",
    args: [999n],
  });
  assert.equal(receipt.status, "success");
  assert.equal(
    (await client.getTransaction({ hash: receipt.transactionHash })).nonce,
    nonce,
    "the nonce sequence continues",
  );
});

test("embedded chain: a torn last journal line is dropped and the chain starts", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  let chain = await startEmbeddedChain({ dataDir: dir });
  await someTraffic(chain);
  const head = await clientFor(chain).getBlock();
  await chain.close();
  const path = join(dir, "chain", "journal.ndjson");
  const journal = await readFile(path, "utf8");
  await writeFile(path, journal + '{"blockNumber":6,"timestamp":17955');
  const logs: string[] = [];
  chain = await startEmbeddedChain({ dataDir: dir, log: (m) => logs.push(m) });
  t.after(() => chain.close());
  assert.ok(chain.stats.tornBytes > 0);
  assert.ok(logs.some((m) => m.includes("torn")));
  assert.equal(await readFile(path, "utf8"), journal);
  assert.equal((await clientFor(chain).getBlock()).hash, head.hash);
});

test("embedded chain: a damaged journal line in the middle is a hard error, and nothing is left running", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const chain = await startEmbeddedChain({ dataDir: dir });
  await someTraffic(chain);
  await chain.close();
  const path = join(dir, "chain", "journal.ndjson");
  const journal = await readFile(path, "utf8");
  const lines = journal.split("\n");

  const expectFailure = async (content: string, message: RegExp): Promise<void> => {
    await writeFile(path, content);
    await assert.rejects(startEmbeddedChain({ dataDir: dir }), (error: unknown) => {
      assert.ok(error instanceof MedchainError);
      assert.equal(error.code, "ChainUnavailable");
      assert.match(error.message, message);
      return true;
    });
    assert.equal(await readPidFile(join(dir, "chain")), undefined, "pid file removed");
    assert.deepEqual(await processesMentioning(join(dir, "chain")), [], "no anvil left running");
    assert.equal(await readFile(path, "utf8"), content, "the journal is not modified");
  };
  // not JSON
  await expectFailure([lines[0], "{garbage", ...lines.slice(2)].join("\n"), /journal is corrupt at line 2/);
  // valid JSON, but the recorded history does not replay: another timestamp changes the block hash
  const line2 = JSON.parse(lines[1] ?? "") as { timestamp: number };
  await expectFailure(
    [lines[0], JSON.stringify({ ...line2, timestamp: line2.timestamp + 1 }), ...lines.slice(2)].join("\n"),
    /does not replay at block 2/,
  );
  // a transaction dropped from the middle
  await expectFailure([lines[0], ...lines.slice(2)].join("\n"), /line 2 \(block 3 where block 2 was expected\)/);

  await writeFile(path, journal);
  const again = await startEmbeddedChain({ dataDir: dir });
  await again.close();
});

test("embedded chain: a second node on the same data dir is refused; an anvil left behind is killed", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const chainDir = join(dir, "chain");
  const chain = await startEmbeddedChain({ dataDir: dir });
  await assert.rejects(
    startEmbeddedChain({ dataDir: dir }),
    (error: unknown) => error instanceof MedchainError && /in use/.test(error.message),
  );
  assert.ok(isProcessAlive(chain.anvilPid), "the refused start did not touch the running chain");
  await chain.close();
  assert.equal(isProcessAlive(chain.anvilPid), false);

  // An anvil whose watchdog is gone (as after kill -9 of the whole process tree).
  const stray = spawn(anvilBinary(), ["--port", "0", "--cache-path", join(chainDir, "anvil-cache")], {
    stdio: "ignore",
    detached: true,
  });
  const strayPid = stray.pid;
  assert.ok(strayPid !== undefined);
  const strayGone = new Promise<void>((resolve) => stray.once("exit", () => resolve()));
  const deadPid = await new Promise<number>((resolve) => {
    const p = spawn("true");
    p.once("exit", () => resolve(p.pid ?? 0));
  });
  await writeFile(
    join(chainDir, "anvil.pid"),
    JSON.stringify({ nodePid: deadPid, watchdogPid: deadPid, anvilPid: strayPid }),
  );
  const logs: string[] = [];
  const next = await startEmbeddedChain({ dataDir: dir, log: (m) => logs.push(m) });
  await strayGone;
  assert.ok(logs.some((m) => m.includes(`pid ${strayPid}`)));
  await next.close();
});

test("embedded chain: anvil dies with its watchdog even when the watchdog is SIGKILLed (Linux)", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  if (!anvilDiesWithWatchdog()) {
    t.skip("setpriv --pdeathsig is not available here");
    return;
  }
  const chain = await startEmbeddedChain({ dataDir: dir });
  const pids = await readPidFile(chain.chainDir);
  assert.ok(pids !== undefined);
  process.kill(pids.watchdogPid, "SIGKILL");
  const ms = await waitUntil(() => !isProcessAlive(chain.anvilPid), 15_000, "anvil to die with its watchdog");
  t.diagnostic(`anvil gone ${ms.toFixed(0)} ms after its watchdog was killed`);
  await assert.rejects(chain.recordConfirmed({ raw: "0x00", hash: "0x00", blockNumber: 1n }), MedchainError);
  await chain.close();
});

test("embedded chain: rewinding the chain under the journal is detected", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  t.after(cleanup);
  const chain = await startEmbeddedChain({ dataDir: dir, journalPollMs: 0 });
  t.after(() => chain.close());
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  const rpc = new JsonRpc(chain.rpcUrl);
  const snap = await rpc.call<Hex>("evm_snapshot");
  await sender.sendTransaction({ to: ALICE, value: 1n });
  await rpc.call("evm_revert", [snap]);
  // A new block 1 replaces the journaled one: the confirmation is refused.
  const fresh = createTxSender(chain, client);
  const isRewound = (error: unknown): boolean => error instanceof MedchainError && /rewound/.test(error.message);
  await assert.rejects(fresh.sendTransaction({ to: BOB, value: 1n }), isRewound);
  await assert.rejects(fresh.sendTransaction({ to: BOB, value: 2n }), isRewound);
});

test(
  "embedded chain: a transaction of an impersonated account " +
    "is refused, and a restart returns to the journaled history",
  async (t) => {
    const { dir, cleanup } = await tempDataDir();
    t.after(cleanup);
    let chain = await startEmbeddedChain({ dataDir: dir, journalPollMs: 0 });
    let client = clientFor(chain);
    const sender = createTxSender(chain, client);
    await sender.sendTransaction({ to: ALICE, value: parseEther("1") });
    const journaledHead = await client.getBlock();
    // anvil-only methods, in a test: ALICE's key is unknown, anvil sends for her without a signature.
    const rpc = new JsonRpc(chain.rpcUrl);
    await rpc.call("anvil_impersonateAccount", [ALICE]);
    await client.waitForTransactionReceipt({
      hash: await rpc.call<Hex>("eth_sendTransaction", [{ from: ALICE, to: BOB, value: "0x1" }]),
    });
    await assert.rejects(
      sender.sendTransaction({ to: BOB, value: 1n }),
      (error: unknown) => error instanceof MedchainError && /impersonated/.test(error.message),
    );
    await chain.close();

    chain = await startEmbeddedChain({ dataDir: dir });
    t.after(() => chain.close());
    client = clientFor(chain);
    assert.equal((await client.getBlock()).hash, journaledHead.hash);
    assert.equal(await client.getBalance({ address: BOB }), 0n);
  },
);

test(
  "embedded chain: new blocks follow the wall clock even " + "when the genesis is old and nothing was replayed",
  async (t) => {
    const { dir, cleanup } = await tempDataDir();
    t.after(cleanup);
    let chain = await startEmbeddedChain({ dataDir: dir });
    await chain.close();
    const path = join(dir, "chain", "genesis.json");
    const genesis = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    const dayAgo = Math.floor(Date.now() / 1000) - 86_400;
    delete genesis["genesisBlockHash"];
    await writeFile(path, JSON.stringify({ ...genesis, timestamp: dayAgo }));
    const wall = BigInt(Math.floor(Date.now() / 1000));
    chain = await startEmbeddedChain({ dataDir: dir });
    t.after(() => chain.close());
    const client = clientFor(chain);
    assert.equal((await client.getBlock({ blockNumber: 0n })).timestamp, BigInt(dayAgo));
    const receipt = await createTxSender(chain, client).sendTransaction({ to: ALICE, value: 1n });
    assert.ok((await client.getBlock({ blockNumber: receipt.blockNumber })).timestamp >= wall);
  },
);

test(
  "embedded chain: blocks, receipts and logs older than anvil's " +
    "in-memory state window stay available, also after a restart",
  async (t) => {
    const { dir, cleanup } = await tempDataDir();
    t.after(cleanup);
    let chain = await startEmbeddedChain({ dataDir: dir });
    const sender = createTxSender(chain, clientFor(chain));
    const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [1n] });
    const first = await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [1n] });
    for (let i = 2; i <= 80; i++)
      await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [BigInt(i)] });
    const check = async (c: EmbeddedChainEndpoint): Promise<void> => {
      const client = clientFor(c);
      const receipt = await client.getTransactionReceipt({ hash: first.transactionHash });
      assert.equal(receipt.blockNumber, first.blockNumber);
      assert.equal(receipt.logs.length, 1);
      const logs = await client.getContractEvents({ address, abi: storeAbi, eventName: "Stored", fromBlock: 0n });
      assert.equal(logs.length, 80);
      assert.equal(logs[0]?.args.value, 1n);
      assert.equal((await client.getBlock({ blockNumber: first.blockNumber })).hash, first.blockHash);
    };
    await check(chain);
    await chain.close();
    chain = await startEmbeddedChain({ dataDir: dir });
    t.after(() => chain.close());
    await check(chain);
  },
);
