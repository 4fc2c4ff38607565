/** The chain port of a medchain node: which EVM JSON-RPC endpoint to use, with which keys. */
import type { Hex } from "viem";

/** A transaction sent by this node that has been mined (see {@link ChainEndpoint.recordConfirmed}). */
export interface ConfirmedTx {
  /** Signed raw transaction. */
  readonly raw: Hex;
  /** Transaction hash. */
  readonly hash: Hex;
  /** Block it was mined in. */
  readonly blockNumber: bigint;
  /**
   * Timestamp of that block (unix seconds), if the caller has it. Optional:
   * the embedded journal reads the whole block from the chain anyway, so the
   * sender does not spend an RPC call on it.
   */
  readonly timestamp?: bigint;
}

/** A chain the node can send transactions to. */
export interface ChainEndpoint {
  /** `embedded`: the node's own anvil with a durable journal; `rpc`: any EVM JSON-RPC endpoint. */
  readonly kind: "embedded" | "rpc";
  /** HTTP JSON-RPC URL. */
  readonly rpcUrl: string;
  /** EIP-155 chain id. */
  readonly chainId: number;
  /**
   * Private keys of funded accounts the node may use (embedded: derived from the data dir's mnemonic; rpc: from
   * config).
   */
  readonly operatorKeys: readonly Hex[];
  /**
   * Called after a transaction sent by this node is mined and before anyone is
   * told; embedded: journals it (and every block up to its block) durably.
   * Rejects if that cannot be done: the caller must then not report success.
   */
  recordConfirmed(tx: ConfirmedTx): Promise<void>;
  /** Releases the endpoint (embedded: journals the rest of the chain, stops anvil). Idempotent. */
  close(): Promise<void>;
}
