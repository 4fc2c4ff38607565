/** Test support: a real node (embedded chain, PGlite, fs blobs, API) on a temp dir, and fresh identities. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startNode, type RunningNode } from "../../src/node/startNode.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { generateEncryptionKeyPair } from "../../src/records/crypto/hpke.ts";
import { publishEncryptionKey } from "../../src/accounts/sdk/publishEncryptionKey.ts";
import type { RecordKeys } from "../../src/records/sdk/recordKeys.ts";

/** A running test node and a client of it. */
export interface TestNode {
  node: RunningNode;
  client: NodeClient;
  dataDir: string;
  /** Stops the node and removes its data dir. */
  close(): Promise<void>;
}

/** A fresh temp dir. */
export function tempDir(prefix = "medchain-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts a node on a temp data dir (or `dataDir`) and port 0. */
export async function startTestNode(options: { dataDir?: string; reindex?: boolean; keep?: boolean } = {}): Promise<TestNode> {
  const dataDir = options.dataDir ?? tempDir();
  const node = await startNode({ dataDir, port: 0, reindex: options.reindex === true, log: pino({ level: process.env.MEDCHAIN_LOG_LEVEL ?? "warn" }) });
  return {
    node, dataDir, client: new NodeClient(node.url),
    async close() {
      await node.close();
      if (options.keep !== true && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fresh in-memory keys (signing + encryption), without publishing. */
export async function newKeys(): Promise<RecordKeys> {
  const enc = await generateEncryptionKeyPair();
  return { account: privateKeyToAccount(generatePrivateKey()), encryptionPrivateKey: enc.privateKey, encryptionPublicKey: enc.publicKey };
}

/** Fresh keys whose encryption key is published on chain (gasless, through the node). */
export async function newIdentity(client: NodeClient): Promise<RecordKeys> {
  const keys = await newKeys();
  await publishEncryptionKey(client, keys);
  return keys;
}
