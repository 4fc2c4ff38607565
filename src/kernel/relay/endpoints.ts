/**
 * The relayer's endpoints (browser-safe declarations, see `../endpoint.ts`): `POST /relay/prepare` and `POST /relay`.
 * Served by the relay slice; called by every client through the kernel's `NodeClientBase`.
 */
import { defineEndpoint } from "../endpoint.ts";
import { zPreparedRelay, zPrepareRelayBody, zRelayBody, zRelayResult } from "./forwardRequest.ts";

/** `POST /relay/prepare`. */
export const prepareRelayEndpoint = defineEndpoint({
  method: "POST",
  path: "/relay/prepare",
  body: zPrepareRelayBody,
  response: zPreparedRelay,
  tags: ["relay"],
  errors: ["ContractReverted"],
  summary: "Prepare a gasless call: nonce, gas, deadline and EIP-712 domain; refuses a call that would revert",
});

/** `POST /relay`. */
export const relayEndpoint = defineEndpoint({
  method: "POST",
  path: "/relay",
  body: zRelayBody,
  response: zRelayResult,
  tags: ["relay"],
  errors: ["InvalidSignature", "RequestExpired", "RequestReplayed", "ContractReverted", "RelayFailed", "IndexBehind"],
  summary: "Submit a signed ForwardRequest; answers once mined and indexed",
});

/** The relayer's endpoints. */
export const RELAY_ENDPOINTS = [prepareRelayEndpoint, relayEndpoint] as const;
