/** The audit slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import { getAuditAnchorEndpoint } from "./endpoints.ts";
import type { AnchorInfo } from "./schemas.ts";

/** The audit slice's client methods. */
export interface AuditActions {
  /** `GET /audit/anchors/:root`: the on-chain anchor of an audit root (read from the chain). */
  anchor(root: `0x${string}`): Promise<AnchorInfo>;
}

/** Builds the audit slice's methods for `client` (use with `client.extend(auditActions)`). */
export function auditActions(client: NodeClientBase): AuditActions {
  return {
    anchor: (root) => client.call(getAuditAnchorEndpoint, { params: { root } }),
  };
}
