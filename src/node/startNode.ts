/**
 * `medchain start`: brings up a whole node with no setup. Embedded profile
 * (default): a local chain whose state survives restarts and `kill -9`
 * (anvil + a journal of signed transactions), PGlite in the data dir, a
 * filesystem blob store keyed by IPFS CIDs, the relayer, the indexer and the
 * HTTP API. Cluster profile: `--rpc URL` (any EVM JSON-RPC endpoint) and
 * `--db postgres://...`; configuration, not code, switches.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createPublicClient, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import pino, { type Logger } from "pino";
import { MedchainError } from "../kernel/errors.ts";
import { startEmbeddedChain, connectRpcChain, type ChainEndpoint } from "./chain/embeddedChain.ts";
import { createTxSender } from "./chain/txSender.ts";
import { openDb, type Db } from "./db/openDb.ts";
import { openPgliteFromTemplate } from "./db/pgliteTemplate.ts";
import { FsBlobStore } from "./blobstore/fsBlobStore.ts";
import type { BlobStore } from "./blobstore/blobStore.ts";
import { ensureDeployment } from "./deployment.ts";
import { Indexer } from "./indexer.ts";
import type { RetryPolicy } from "./indexerPolicy.ts";
import { resolveHealthPolicy, type HealthPolicy } from "./api/health.ts";
import { buildServer } from "./api/server.ts";
import { adminScope } from "./api/admin.ts";
import { writeFileAtomic } from "./fsAtomic.ts";
import type { NodeContext, PlatformContext } from "./context.ts";
import type { DeployedEnv, SliceModule } from "./module.ts";
import { MODULES } from "../modules.ts";

/** Version reported by /health. */
export const NODE_VERSION = "0.1.0";

/** Options of {@link startNode} (slices add theirs by declaration merging). */
export interface NodeOptions {
  /** Where chain journal, SQL (PGlite), blobs and deployment live. */
  dataDir: string;
  /** HTTP port; 0 = any free port. */
  port: number;
  /** HTTP host (default 127.0.0.1). */
  host?: string;
  /** `postgres://...` to use PostgreSQL instead of PGlite. */
  dbUrl?: string;
  /** JSON-RPC URL of an external chain (cluster profile) instead of the embedded one. */
  rpcUrl?: string;
  /** Funded key the relayer pays gas with (required with rpcUrl). */
  relayerKey?: `0x${string}`;
  /** Drop the SQL index and rebuild it from the chain and the blob store. */
  reindex?: boolean;
  /** Logger (default: pino to stderr, level from MEDCHAIN_LOG_LEVEL or "info"). */
  log?: Logger;
  /** Progress of long start steps (journal replay). */
  onProgress?: (step: string, done: number, total: number) => void;
  /** The slices to run (default: every slice of `src/modules.ts`). */
  modules?: readonly SliceModule[];
  /**
   * When /health says `degraded` because of the index; unset fields come from the environment
   * (`MEDCHAIN_HEALTH_MAX_LAG_BLOCKS`, `MEDCHAIN_HEALTH_MAX_FAILURE_MS`, `MEDCHAIN_HEALTH_MAX_FAILED_ATTEMPTS`) or the
   * defaults (20 blocks, 30 s, 5 attempts).
   */
  health?: Partial<HealthPolicy>;
  /** Backoff of the indexer's retries after a transient fault (default 250 ms doubling up to 10 s). */
  indexerRetry?: RetryPolicy;
  /** Wraps the node's blob store (the port) before anything uses it, e.g. a test double that injects faults. */
  wrapBlobStore?: (store: BlobStore) => BlobStore;
}

/** A running node. */
export interface RunningNode {
  /** Base URL of the HTTP API. */
  url: string;
  ctx: NodeContext;
  /** Stops API, indexer, DB and chain, in that order. */
  close(): Promise<void>;
}

/** Starts a node; resolves once the API listens. */
export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const log = opts.log ?? pino({ level: process.env.MEDCHAIN_LOG_LEVEL ?? "info" }, pino.destination(2));
  const healthPolicy = resolveHealthPolicy(opts.health);
  mkdirSync(opts.dataDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log.warn({ err }, "error while stopping"));
  };
  try {
    let chain: ChainEndpoint;
    if (opts.rpcUrl !== undefined) {
      if (opts.relayerKey === undefined)
        throw new MedchainError("InvalidInput", "--rpc needs a relayer key (MEDCHAIN_RELAYER_KEY)");
      chain = await connectRpcChain({ rpcUrl: opts.rpcUrl, operatorKey: opts.relayerKey });
    } else {
      chain = await startEmbeddedChain({
        dataDir: opts.dataDir,
        onProgress: (done, total) => opts.onProgress?.("replaying chain journal", done, total),
        log: (msg) => log.info(msg),
      });
    }
    cleanups.push(() => chain.close());
    const client = createPublicClient({
      transport: http(chain.rpcUrl, { retryCount: 0 }),
      pollingInterval: 50,
    }) as PublicClient;
    const operatorKey = chain.operatorKeys[0];
    if (operatorKey === undefined) throw new MedchainError("ChainUnavailable", "no funded key for the relayer");
    const sender = createTxSender(chain, client);
    const modules = opts.modules ?? MODULES;
    const deployment = await ensureDeployment({
      dataDir: opts.dataDir,
      client,
      sender,
      chainId: chain.chainId,
      log: (m) => log.info(m),
      modules,
      env: { options: opts },
    });

    const dbDir = join(opts.dataDir, "db");
    const openIndexDb = (): Promise<Db> => {
      if (opts.dbUrl !== undefined) return openDb({ kind: "postgres", url: opts.dbUrl });
      // A new PGlite directory starts from a migrated template snapshot (0.4 s instead of ~3 s of initdb).
      return existsSync(dbDir) ? openDb({ kind: "pglite", dataDir: dbDir }) : openPgliteFromTemplate(dbDir);
    };
    let db = await openIndexDb();
    if (opts.reindex === true) {
      log.info("dropping the SQL index; it is rebuilt from the chain");
      await db.dropAll();
      await db.close();
      db = await openIndexDb();
    }
    const dbRef = db;
    cleanups.push(() => dbRef.close());
    const fsBlobs = await FsBlobStore.open(join(opts.dataDir, "blobs"));
    await fsBlobs.sweepTempFiles(); // leftovers of writes a crash interrupted
    const blobs: BlobStore = opts.wrapBlobStore === undefined ? fsBlobs : opts.wrapBlobStore(fsBlobs);
    cleanups.push(() => blobs.close());

    const platform: PlatformContext = { version: NODE_VERSION, chain, client, sender, db, blobs, log };
    const env: DeployedEnv = { ...platform, deployment, options: opts };
    for (const m of modules) await m.afterDeploy?.(env);
    const handlers = [];
    for (const m of modules) handlers.push(...((await m.indexers?.(env)) ?? []));
    const indexer = new Indexer({
      client,
      db: db.kysely,
      fromBlock: BigInt(deployment.deployedAtBlock),
      handlers,
      log: (msg, err) => log.warn({ err }, msg),
      ...(opts.indexerRetry === undefined ? {} : { retry: opts.indexerRetry }),
    });
    await indexer.start();
    cleanups.push(() => indexer.stop());
    // Slices add their services (relayer, keepers, ...) in module order; a slice's start sees the earlier ones'.
    const base = {
      ...env,
      relayerAddress: privateKeyToAccount(operatorKey).address,
      indexer,
      modules,
      options: opts,
      healthPolicy,
    };
    const ctx = base as NodeContext; // completed below by each slice's services (declared on NodeContext by the slice)
    for (const m of modules) {
      const runtime = await m.start?.(ctx);
      if (runtime === undefined) continue;
      Object.assign(ctx, runtime.services);
      const close = runtime.close;
      if (close !== undefined) cleanups.push(() => close());
    }
    const tokenFile = join(opts.dataDir, "admin-token");
    if (!existsSync(tokenFile)) writeFileAtomic(tokenFile, `${randomBytes(32).toString("hex")}\n`, 0o600);
    const app = await buildServer(ctx);
    await app.register(adminScope(ctx, readFileSync(tokenFile, "utf8").trim()));
    cleanups.push(() => app.close());
    const address = await app.listen({ port: opts.port, host: opts.host ?? "127.0.0.1" });
    const url = address.replace("[::1]", "localhost");
    const nodeFile = join(opts.dataDir, "node.json");
    writeFileAtomic(nodeFile, `${JSON.stringify({ url, pid: process.pid })}\n`);
    cleanups.splice(1, 0, async () => rmSync(nodeFile, { force: true }));
    return { url, ctx, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
