/**
 * Access-audit events (isomorphic). Every key release and every refusal by a
 * keeper is one event; events hold pseudonymous addresses, ids and codes,
 * never record content. An event's leaf is keccak256 of its canonical JSON;
 * keepers batch leaves into OpenZeppelin-compatible Merkle trees and anchor
 * the roots on chain, so the patient can check every event she is shown.
 */
import { keccak256 } from "viem";
import { z } from "zod";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";
import { canonicalJson } from "../../kernel/crypto/canonical.ts";

/** One audited access decision. */
export const zAuditEvent = z.object({
  keeper: zAddress,
  seq: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
  requester: zAddress,
  patient: zAddress,
  batchId: zBytes32,
  category: z.string(),
  purpose: z.string(),
  grantId: z.string(),
  breakGlass: z.boolean(),
  /** `released`, or the error code of the refusal. */
  outcome: z.string(),
});

/** One audited access decision. */
export type AuditEvent = z.infer<typeof zAuditEvent>;

/** The Merkle leaf of an event. */
export function auditLeaf(event: AuditEvent): `0x${string}` {
  return keccak256(canonicalJson(event));
}

/** An event with what is needed to verify it against the chain. */
export const zAuditEntry = z.object({
  event: zAuditEvent,
  /** Null while the event waits for its batch to be anchored. */
  anchor: z.object({ root: zBytes32, proof: z.array(zBytes32) }).nullable(),
});

/** An event with its inclusion proof. */
export type AuditEntry = z.infer<typeof zAuditEntry>;

/** EIP-712 types of an audit query (only the patient or her delegate may read her access log). */
export const AUDIT_QUERY_TYPES = {
  AuditQuery: [
    { name: "requester", type: "address" },
    { name: "patient", type: "address" },
    { name: "nonce", type: "bytes32" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;

/** A signed audit query. */
export const zAuditQueryBody = z.object({
  query: z.object({ requester: zAddress, patient: zAddress, nonce: zBytes32, expiresAt: z.number().int().positive() }),
  signature: z.string().regex(/^0x[0-9a-fA-F]*$/),
});
