/** Test support: a real node (embedded chain, PGlite, fs blobs, API) on a temp dir, and fresh identities. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startNode, type NodeOptions, type RunningNode } from "../../src/node/startNode.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { generateEncryptionKeyPair } from "../../src/kernel/crypto/hpke.ts";
import { publishEncryptionKey } from "../../src/accounts/sdk/publishEncryptionKey.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import type { GovernanceConfig } from "../../src/identity/identity.deploy.ts";

/**
 * Governance periods of test nodes: a vote opens 1 s after the proposal and lasts 6 s; the timelock waits 2 s
 * (tests wait for states, never for fixed times; the embedded defaults are minutes).
 */
export const TEST_GOVERNANCE: GovernanceConfig = {
  votingDelaySeconds: 1,
  votingPeriodSeconds: 6,
  timelockDelaySeconds: 2,
  quorumPercent: 50,
};

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
export async function startTestNode(
  options: {
    dataDir?: string;
    reindex?: boolean;
    keep?: boolean;
    /** Governance periods (default {@link TEST_GOVERNANCE}). */
    governance?: GovernanceConfig;
    /** Founding members of the consortium (genesis). */
    govMembers?: readonly `0x${string}`[];
    /** More node options (health policy, indexer retry, a blob store test double). */
    node?: Pick<NodeOptions, "health" | "indexerRetry" | "wrapBlobStore">;
  } = {},
): Promise<TestNode> {
  const dataDir = options.dataDir ?? tempDir();
  const node = await startNode({
    dataDir,
    port: 0,
    reindex: options.reindex === true,
    log: pino({ level: process.env.MEDCHAIN_LOG_LEVEL ?? "warn" }),
    governance: options.governance ?? TEST_GOVERNANCE,
    ...(options.govMembers === undefined ? {} : { govMembers: options.govMembers }),
    ...options.node,
  });
  return {
    node,
    dataDir,
    client: new NodeClient(node.url),
    async close() {
      await node.close();
      if (options.keep !== true && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fresh in-memory keys (signing + encryption), without publishing. */
export async function newKeys(): Promise<RecordKeys> {
  const enc = await generateEncryptionKeyPair();
  return {
    account: privateKeyToAccount(generatePrivateKey()),
    encryptionPrivateKey: enc.privateKey,
    encryptionPublicKey: enc.publicKey,
  };
}

/** Fresh keys whose encryption key is published on chain (gasless, through the node). */
export async function newIdentity(client: NodeClient): Promise<RecordKeys> {
  const keys = await newKeys();
  await publishEncryptionKey(client, keys);
  return keys;
}
