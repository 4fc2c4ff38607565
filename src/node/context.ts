/**
 * Everything a running node's routes and services share. The platform part
 * is built by `startNode`; slices add their services (the relayer, the
 * keepers, ...) by declaration merging on {@link NodeContext} and return them
 * from their module's `start` hook.
 */
import type { PublicClient } from "viem";
import type { Logger } from "pino";
import type { ChainEndpoint } from "./chain/embeddedChain.ts";
import type { Db } from "./db/openDb.ts";
import type { BlobStore } from "./blobstore/blobStore.ts";
import type { Deployment } from "./deployment.ts";
import type { Indexer } from "./indexer.ts";
import type { TxSender } from "./chain/txSender.ts";
import type { SliceModule } from "./module.ts";
import type { NodeOptions } from "./startNode.ts";
import type { HealthPolicy } from "./api/health.ts";

/** The platform: chain, operator's sender, logger (what exists before the contracts are deployed). */
export interface PlatformContext {
  version: string;
  chain: ChainEndpoint;
  client: PublicClient;
  /** The node's own transaction sender (operator tasks, permissionless upkeep such as queueing passed proposals). */
  sender: TxSender;
  /** The index database. */
  db: Db;
  /** Ciphertexts and documents by CID. */
  blobs: BlobStore;
  log: Logger;
}

/** The node's wiring: the platform, the deployment, the indexer, and every slice's services. */
export interface NodeContext extends PlatformContext {
  deployment: Deployment;
  /** The address the relayer pays gas from. */
  relayerAddress: `0x${string}`;
  indexer: Indexer;
  /** The slices this node runs. */
  modules: readonly SliceModule[];
  /** The options the node was started with. */
  options: NodeOptions;
  /** When /health says `degraded` because of the index (default `DEFAULT_HEALTH_POLICY`). */
  healthPolicy?: HealthPolicy;
}
