/**
 * The slice module: what one domain (records, consent, supply, ...) brings to
 * a node, declared once in `src/<slice>/<slice>.module.ts` and listed once in
 * `src/modules.ts`. The node (deployment, start-up, indexer, relayer
 * allow-list, routes, `/network`), the CLI root and the docs iterate that list
 * and name no domain. See docs/architecture/adding-a-slice.md.
 */
import type { Abi, Hex } from "viem";
import type { Command } from "commander";
import type { FastifyPluginAsync } from "fastify";
import type { Migration } from "kysely/migration";
import type { DeployedContracts } from "../kernel/network.ts";
import type { ContractErrorTable } from "../kernel/chain/contractErrors.ts";
import type { AnyEndpoint } from "../kernel/endpoint.ts";
import type { NodeContext, PlatformContext } from "./context.ts";
import type { IndexerHandler } from "./indexer.ts";
import type { NodeOptions } from "./startNode.ts";
import type { Deployment } from "./deployment.ts";

/** A contract a slice deploys (in module order, then in the order listed). */
export interface ContractSpec {
  /** Its key in `deployment.json`, `/network` and `Deployment` (declared by the slice in `DeployedContracts`). */
  key: keyof DeployedContracts;
  /** Its ABI (generated from the Solidity). */
  abi: Abi;
  /** Its creation bytecode. */
  bytecode: Hex;
  /** Constructor arguments; contracts deployed earlier (by any slice) are in `deployed`. */
  args(deployed: Partial<DeployedContracts>, env: DeployEnv): unknown[];
  /** The relayer forwards users' signed calls to it (gasless). */
  relayTarget?: boolean;
}

/** What constructor arguments may depend on. */
export interface DeployEnv {
  /** The node operator's address (temporary admin where a contract needs one at deployment). */
  operator: `0x${string}`;
  /** The node's start options (genesis configuration lives there). */
  options: NodeOptions;
}

/** What a slice's start-up hooks get before the node serves. */
export interface DeployedEnv extends PlatformContext {
  /** The node's start options. */
  options: NodeOptions;
  /** Every contract, deployed. */
  deployment: Deployment;
}

/** A service a slice runs while the node runs (keepers, anchoring timers...). */
export interface SliceRuntime {
  /** Fields the slice adds to the node context (declared by the slice on `NodeContext`). */
  services?: Partial<NodeContext>;
  /** Stops it (called in reverse start order). */
  close?(): Promise<void>;
}

/** Options a slice adds to `medchain start`. */
export interface StartOptions {
  /** Declares the options on the command. */
  register(cmd: Command): void;
  /** Turns the parsed options into node options (throws InvalidInput on a bad value). */
  read(parsed: Record<string, unknown>): Partial<NodeOptions>;
}

/** A part of `GET /network` a slice contributes (its schema is declared with `defineNetworkPart` in its SDK). */
export interface NetworkPart {
  /** Its values now. */
  read(ctx: NodeContext): Promise<Record<string, unknown>>;
}

/** One domain, plugged into the node and the CLI. */
export interface SliceModule {
  /** The slice's folder name under `src/`. */
  name: string;
  /** Its contracts, in deployment order. */
  contracts?: readonly ContractSpec[];
  /** Its contracts' custom errors mapped to error codes. */
  contractErrors?: ContractErrorTable;
  /** SQL tables it owns (its migrations create them; `--reindex` drops them). */
  tables?: readonly string[];
  /** Its migrations, named `<yyyymmdd>_<slice>_<what>` (never edit one that may have run; add a new one). */
  migrations?: Readonly<Record<string, Migration>>;
  /** Its error codes with their HTTP status (from `sdk/errors.ts`). */
  errors?: Readonly<Record<string, number>>;
  /** Idempotent chain set-up after deployment (roles, wiring), run at every start. */
  afterDeploy?(env: DeployedEnv): Promise<void>;
  /** Its indexer handlers (events of its contracts into its tables). */
  indexers?(env: DeployedEnv): Promise<readonly IndexerHandler[]>;
  /** Services it runs (after the indexer started, before the API listens). */
  start?(ctx: NodeContext): Promise<SliceRuntime>;
  /** Its HTTP routes (loaded on demand: CLI commands never load the server's code). */
  routes?(ctx: NodeContext): Promise<FastifyPluginAsync>;
  /** Operator-only routes (under `/admin`, behind the operator token hook). */
  adminRoutes?(ctx: NodeContext): Promise<FastifyPluginAsync>;
  /**
   * Every endpoint its routes and admin routes serve, as the node serves them (declared once in
   * `sdk/endpoints.ts`; the routes are registered from these declarations and the SDK's client calls them).
   */
  endpoints?: readonly AnyEndpoint[];
  /** First path segments of its routes (the web dev proxy and the architecture check use them). */
  httpPrefixes?: readonly string[];
  /** Its part of `GET /network`. */
  network?: NetworkPart;
  /** Registers its CLI commands. */
  cli?(program: Command): void;
  /** Its options of `medchain start`. */
  startOptions?: StartOptions;
}
