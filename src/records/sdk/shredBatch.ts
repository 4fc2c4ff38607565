/**
 * Crypto-shredding: the owner marks a batch erased on chain; the node, which
 * follows the chain, then deletes the manifest (the only copy of the wrapped
 * keys) and unpins every ciphertext. What stays on chain is a digest and a
 * Merkle root of salted commitments that nobody can open any more.
 */
import { encodeFunctionData } from "viem";
import { recordRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";

/** Erases batch `batchId` of `owner` (must be the owner's keys). */
export async function shredBatch(node: NodeClient, owner: RecordKeys, batchId: `0x${string}`): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({ abi: recordRegistryAbi, functionName: "shredBatch", args: [batchId] });
  return relayCall(node, owner.account, net.contracts.recordRegistry, data);
}
