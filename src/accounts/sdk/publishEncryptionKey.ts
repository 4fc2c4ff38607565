/** Publish an account's X25519 encryption public key on chain (gasless: signed by the account, relayed by the node). */
import { encodeFunctionData, toHex } from "viem";
import { keyRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";

/** Registers `keys.encryptionPublicKey` for `keys.account`. */
export async function publishEncryptionKey(node: NodeClient, keys: RecordKeys): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({
    abi: keyRegistryAbi,
    functionName: "publishEncryptionKey",
    args: [toHex(keys.encryptionPublicKey)],
  });
  return relayCall(node, keys.account, net.contracts.keyRegistry, data);
}
