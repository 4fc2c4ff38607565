/**
 * Gasless call: the user signs an EIP-712 ForwardRequest prepared by the
 * node; the node's relayer submits it through the ERC2771Forwarder and pays.
 */
import type { Account } from "viem";
import { MedchainError } from "../errors.ts";
import { FORWARD_REQUEST_TYPES, type ForwardRequest, type PreparedRelay, type RelayResult } from "./forwardRequest.ts";

/** Anything that prepares and submits relayed calls: a node's HTTP API (NodeClient) or an in-process relayer. */
export interface RelayPort {
  prepareRelay(body: { from: `0x${string}`; to: `0x${string}`; data: `0x${string}` }): Promise<PreparedRelay>;
  relay(request: ForwardRequest, signature: `0x${string}`): Promise<RelayResult>;
}

/** Signs and relays one contract call as `account`; resolves once mined and indexed. */
export async function relayCall(
  node: RelayPort,
  account: Account,
  to: `0x${string}`,
  data: `0x${string}`,
): Promise<RelayResult> {
  const { request, signature } = await signRelay(node, account, to, data);
  return node.relay(request, signature);
}

/** Prepares and signs one contract call as `account` without submitting it (someone else relays it later). */
export async function signRelay(
  node: Pick<RelayPort, "prepareRelay">,
  account: Account,
  to: `0x${string}`,
  data: `0x${string}`,
): Promise<{ request: ForwardRequest; signature: `0x${string}` }> {
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
  return { request, signature };
}
