/**
 * Gasless call: the user signs an EIP-712 ForwardRequest prepared by the
 * node; the node's relayer submits it through the ERC2771Forwarder and pays.
 */
import type { Account } from "viem";
import { MedchainError } from "../../core/errors.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { FORWARD_REQUEST_TYPES, type RelayResult } from "../forwardRequest.ts";

/** Signs and relays one contract call as `account`; resolves once mined and indexed. */
export async function relayCall(node: NodeClient, account: Account, to: `0x${string}`, data: `0x${string}`): Promise<RelayResult> {
  if (account.signTypedData === undefined) {
    throw new MedchainError("InvalidInput", "this account cannot sign EIP-712 messages");
  }
  const { domain, request } = await node.prepareRelay({ from: account.address, to, data });
  const signature = await account.signTypedData({
    domain,
    types: FORWARD_REQUEST_TYPES,
    primaryType: "ForwardRequest",
    message: {
      from: request.from,
      to: request.to,
      value: BigInt(request.value),
      gas: BigInt(request.gas),
      nonce: BigInt(request.nonce),
      deadline: request.deadline,
      data: request.data,
    },
  });
  return node.relay(request, signature);
}
