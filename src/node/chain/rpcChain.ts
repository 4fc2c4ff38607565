/**
 * The cluster profile's chain: any EVM JSON-RPC endpoint (Besu QBFT, an L2,
 * a plain anvil). Only standard methods are used. The chain itself is the
 * durable store, so confirmed transactions need no journal.
 */
import { isHex } from "viem";
import type { Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import type { ChainEndpoint, ConfirmedTx } from "./endpoint.ts";
import { JsonRpc, JsonRpcError, quantity } from "./rpc.ts";

/** Options of {@link connectRpcChain}. */
export interface RpcChainOptions {
  /** `http://` or `https://` JSON-RPC URL. */
  rpcUrl: string;
  /** Funded key the node sends its transactions with. */
  operatorKey: Hex;
  /** If set, the endpoint must report this chain id. */
  chainId?: number;
  /** Timeout of the reachability check, ms (default 10 s). */
  timeoutMs?: number;
}

/**
 * Connects to an EVM JSON-RPC endpoint: checks that it answers `eth_chainId`
 * (and, if given, with the expected id). Throws `ChainUnavailable` when it is
 * unreachable or not an EVM node, `InvalidInput` for a bad URL or key.
 */
export async function connectRpcChain(opts: RpcChainOptions): Promise<ChainEndpoint> {
  let url: URL;
  try {
    url = new URL(opts.rpcUrl);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "the chain RPC URL is not a URL", { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MedchainError("InvalidInput", "the chain RPC URL must " + "be http:// or https://", {
      details: { protocol: url.protocol },
    });
  }
  if (!isHex(opts.operatorKey, { strict: true }) || opts.operatorKey.length !== 66) {
    throw new MedchainError("InvalidInput", "the operator key must be 32 bytes of hex (0x...)");
  }
  const rpc = new JsonRpc(opts.rpcUrl, { timeoutMs: opts.timeoutMs ?? 10_000 });
  let chainId: number;
  try {
    chainId = Number(quantity(await rpc.call("eth_chainId"), "chain id"));
  } catch (error) {
    if (error instanceof JsonRpcError) {
      throw new MedchainError(
        "ChainUnavailable",
        "the chain endpoint does not answer " + "eth_chainId: is it an EVM JSON-RPC node?",
        {
          details: { rpcUrl: url.origin },
          cause: error,
        },
      );
    }
    throw error;
  }
  if (opts.chainId !== undefined && chainId !== opts.chainId) {
    throw new MedchainError("ChainUnavailable", "the chain endpoint runs " + "another chain than configured", {
      details: { rpcUrl: url.origin, chainId, expected: opts.chainId },
    });
  }
  const operatorKeys: readonly Hex[] = [opts.operatorKey];
  return {
    kind: "rpc",
    rpcUrl: opts.rpcUrl,
    chainId,
    operatorKeys,
    recordConfirmed: async (_tx: ConfirmedTx): Promise<void> => undefined,
    close: async (): Promise<void> => undefined,
  };
}
