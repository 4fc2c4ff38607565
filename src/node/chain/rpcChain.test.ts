import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { MedchainError } from "../../kernel/errors.ts";
import { spawnAnvil } from "./anvilProcess.ts";
import { connectRpcChain } from "./embeddedChain.ts";
import { clientFor, tempDataDir } from "./testing/helpers.ts";
import { storeAbi, storeBytecode } from "./testing/storeContract.ts";
import { createTxSender } from "./txSender.ts";

// anvil's well-known first dev key (mnemonic "test test ... junk"): a plain anvil, as any external endpoint.
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function isCode(code: string) {
  return (error: unknown): boolean => error instanceof MedchainError && error.code === code;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("connectRpcChain: a plain anvil works as an external chain, and TxSender works over it", async (t) => {
  const { dir, cleanup } = await tempDataDir();
  const anvil = await spawnAnvil({
    chainDir: dir,
    args: ["--port", "0", "--host", "127.0.0.1", "--cache-path", join(dir, "cache")],
    log: () => undefined,
  });
  t.after(async () => {
    await anvil.stop();
    await cleanup();
  });
  const rpcUrl = `http://127.0.0.1:${anvil.port}`;
  const chain = await connectRpcChain({ rpcUrl, operatorKey: DEV_KEY });
  assert.equal(chain.kind, "rpc");
  assert.equal(chain.chainId, 31337);
  assert.equal(chain.rpcUrl, rpcUrl);
  assert.deepEqual(chain.operatorKeys, [DEV_KEY]);
  const client = clientFor(chain);
  const sender = createTxSender(chain, client);
  const { address } = await sender.deployContract({ abi: storeAbi, bytecode: storeBytecode, args: [3n] });
  const receipt = await sender.writeContract({ address, abi: storeAbi, functionName: "set", args: [4n] });
  assert.equal(receipt.status, "success");
  assert.equal(await client.readContract({ address, abi: storeAbi, functionName: "value" }), 4n);
  await connectRpcChain({ rpcUrl, operatorKey: DEV_KEY, chainId: 31337 });
  await assert.rejects(connectRpcChain({ rpcUrl, operatorKey: DEV_KEY, chainId: 1 }), isCode("ChainUnavailable"));
  await chain.close();
});

test("connectRpcChain: a closed port, or something that is not JSON-RPC, throws ChainUnavailable", async () => {
  const port = await freePort();
  await assert.rejects(
    connectRpcChain({ rpcUrl: `http://127.0.0.1:${port}`, operatorKey: DEV_KEY }),
    isCode("ChainUnavailable"),
  );

  const server = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<html>not here</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port: webPort } = server.address() as AddressInfo;
    await assert.rejects(
      connectRpcChain({ rpcUrl: `http://127.0.0.1:${webPort}/rpc`, operatorKey: DEV_KEY }),
      isCode("ChainUnavailable"),
    );
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("connectRpcChain: a bad URL or key is InvalidInput", async () => {
  await assert.rejects(connectRpcChain({ rpcUrl: "not a url", operatorKey: DEV_KEY }), isCode("InvalidInput"));
  await assert.rejects(
    connectRpcChain({ rpcUrl: "ws://127.0.0.1:8546", operatorKey: DEV_KEY }),
    isCode("InvalidInput"),
  );
  await assert.rejects(
    connectRpcChain({ rpcUrl: "http://127.0.0.1:8545", operatorKey: "0x1234" }),
    isCode("InvalidInput"),
  );
});
