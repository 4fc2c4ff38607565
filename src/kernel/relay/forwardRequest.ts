/**
 * EIP-712 shapes of OpenZeppelin's ERC2771Forwarder requests. Users sign a
 * ForwardRequest; the node's relayer submits it and pays the gas.
 */
import { z } from "zod";
import { zAddress, zHex, zUintString } from "../schemas.ts";

/** EIP-712 types of `ForwardRequest` exactly as OpenZeppelin's ERC2771Forwarder hashes them. */
export const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
} as const;

/** The EIP-712 domain of the forwarder. */
export const zForwarderDomain = z.object({
  name: z.string(),
  version: z.string(),
  chainId: z.number().int().positive(),
  verifyingContract: zAddress,
});

/** A request to sign, as prepared by the node. */
export const zForwardRequest = z.object({
  from: zAddress,
  to: zAddress,
  value: zUintString,
  gas: zUintString,
  nonce: zUintString,
  deadline: z.number().int().positive(),
  data: zHex,
});

/** Body of `POST /relay/prepare`. */
export const zPrepareRelayBody = z.object({ from: zAddress, to: zAddress, data: zHex });
/** Answer of `POST /relay/prepare`. */
export const zPreparedRelay = z.object({ domain: zForwarderDomain, request: zForwardRequest });
/** Body of `POST /relay`: the prepared request and the user's EIP-712 signature over it. */
export const zRelayBody = z.object({ request: zForwardRequest, signature: zHex });
/** Answer of `POST /relay`. */
export const zRelayResult = z.object({
  txHash: zHex,
  blockNumber: z.number().int().nonnegative(),
  gasUsed: z.number().int().nonnegative(),
  /** Events the transaction emitted (decoded; integers as decimal strings). */
  events: z.array(z.object({ name: z.string(), args: z.record(z.string(), z.unknown()) })),
});

/** A forward request to sign. */
export type ForwardRequest = z.infer<typeof zForwardRequest>;
/** A prepared relay call. */
export type PreparedRelay = z.infer<typeof zPreparedRelay>;
/** The result of a relayed call. */
export type RelayResult = z.infer<typeof zRelayResult>;
