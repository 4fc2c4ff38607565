/**
 * HTTP client of a medchain node (isomorphic: `fetch` only): the kernel's {@link NodeClientBase} (transport,
 * health, network, contracts, blobs, relayer) extended with every slice's client actions, each built from the
 * slice's endpoint declarations (`src/<slice>/sdk/endpoints.ts`, the same the node's routes are registered from).
 * Every failure is a MedchainError: `NodeUnreachable` when the node cannot be reached, or the node's own typed
 * error (code and message) otherwise.
 */
import { NodeClientBase, type NodeClientOptions } from "../kernel/nodeClient.ts";
import "../keeper/sdk/network.ts";
import "../consent/sdk/network.ts";
import { accountsActions, type AccountsActions } from "../accounts/sdk/client.ts";
import { recordsActions, type RecordsActions } from "../records/sdk/client.ts";
import { consentActions, type ConsentActions } from "../consent/sdk/client.ts";
import { keeperActions, type KeeperActions } from "../keeper/sdk/client.ts";
import { auditActions, type AuditActions } from "../audit/sdk/client.ts";
import { supplyActions, type SupplyActions } from "../supply/sdk/client.ts";
import { identityActions, type IdentityActions } from "../identity/sdk/client.ts";

export type { NodeClientOptions } from "../kernel/nodeClient.ts";
export { NodeClientBase } from "../kernel/nodeClient.ts";

/** A typed client of one medchain node's HTTP API: the kernel's methods and every slice's. */
export type NodeClient = NodeClientBase &
  AccountsActions &
  RecordsActions &
  ConsentActions &
  KeeperActions &
  AuditActions &
  SupplyActions &
  IdentityActions;

/** Extends `client` in place with every slice's client actions. */
function withEverySlice(client: NodeClientBase): NodeClient {
  return client
    .extend(accountsActions)
    .extend(recordsActions)
    .extend(consentActions)
    .extend(keeperActions)
    .extend(auditActions)
    .extend(supplyActions)
    .extend(identityActions);
}

/** Builds a {@link NodeClient} of the node at `url` (the same as `new NodeClient(url, options)`). */
export function createNodeClient(url: string, options: NodeClientOptions = {}): NodeClient {
  return withEverySlice(new NodeClientBase(url, options));
}

/** `new NodeClient(url, options?)`: a {@link NodeClient} (a {@link NodeClientBase} with every slice's actions). */
export const NodeClient = class NodeClient extends NodeClientBase {
  constructor(url: string, options: NodeClientOptions = {}) {
    super(url, options);
    withEverySlice(this);
  }
} as new (url: string, options?: NodeClientOptions) => NodeClient;
