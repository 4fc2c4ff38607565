/** Everything a running node's routes and services share. */
import type { PublicClient } from "viem";
import type { Logger } from "pino";
import type { ChainEndpoint } from "./chain/embeddedChain.ts";
import type { Db } from "./db/openDb.ts";
import type { BlobStore } from "./blobstore/blobStore.ts";
import type { Deployment } from "./deployment.ts";
import type { Indexer } from "./indexer.ts";
import type { Relayer } from "../relay/relayer.ts";
import type { Keeper } from "../keeper/keeper.ts";
import type { KeeperInfo } from "../keeper/keyRelease.schemas.ts";
import type { TxSender } from "./chain/txSender.ts";
import type { HealthPolicy } from "./api/health.ts";

/** The node's wiring, built by `startNode`. */
export interface NodeContext {
  version: string;
  chain: ChainEndpoint;
  client: PublicClient;
  deployment: Deployment;
  /** The node's own transaction sender (permissionless upkeep such as queueing and executing passed proposals). */
  sender: TxSender;
  relayerAddress: `0x${string}`;
  db: Db;
  blobs: BlobStore;
  indexer: Indexer;
  relayer: Relayer;
  /** Keepers hosted by this node (embedded profile; empty when keepers run elsewhere). */
  keepers: readonly Keeper[];
  /** Every keeper of the network as clients see them (hosted or remote). */
  keeperDirectory: () => Promise<KeeperInfo[]>;
  /** How many keepers open a key. */
  threshold: number;
  log: Logger;
  /** When /health says `degraded` because of the index (default `DEFAULT_HEALTH_POLICY`). */
  healthPolicy?: HealthPolicy;
}
