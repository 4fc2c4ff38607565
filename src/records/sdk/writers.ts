/** The patient lets a provider write into her record, or stops it (gasless, signed by the patient). */
import { encodeFunctionData } from "viem";
import { recordRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";

/** Allows `writer` to append batches to `patient`'s record. */
export async function authorizeWriter(
  node: NodeClient,
  patient: RecordKeys,
  writer: `0x${string}`,
): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({ abi: recordRegistryAbi, functionName: "authorizeWriter", args: [writer] });
  return relayCall(node, patient.account, net.contracts.recordRegistry, data);
}

/** Withdraws `writer`'s permission to append to `patient`'s record. */
export async function revokeWriter(node: NodeClient, patient: RecordKeys, writer: `0x${string}`): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({ abi: recordRegistryAbi, functionName: "revokeWriter", args: [writer] });
  return relayCall(node, patient.account, net.contracts.recordRegistry, data);
}
