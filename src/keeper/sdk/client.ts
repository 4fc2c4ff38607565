/** The keeper slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { z } from "zod";
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import type { AuditEntry, zAuditQueryBody } from "../../audit/sdk/auditEvent.ts";
import { keeperAuditEndpoint, keeperReleaseEndpoint } from "./endpoints.ts";
import type { KeeperInfo, ReleasedShare, zReleaseBody } from "./schemas.ts";

/** The keeper slice's client methods. */
export interface KeeperActions {
  /** The absolute URL of a keeper listed by this node (keepers of the embedded profile are listed relative to it). */
  keeperUrl(k: KeeperInfo): string;
  /** `POST <keeper>/release`: one keeper's share, re-wrapped to the requester, if the chain allows it now. */
  keeperRelease(k: KeeperInfo, body: z.input<typeof zReleaseBody>): Promise<ReleasedShare>;
  /** `POST <keeper>/audit`: the patient's access events at one keeper, with inclusion proofs. */
  keeperAudit(k: KeeperInfo, body: z.input<typeof zAuditQueryBody>): Promise<AuditEntry[]>;
}

/** Builds the keeper slice's methods for `client` (use with `client.extend(keeperActions)`). */
export function keeperActions(client: NodeClientBase): KeeperActions {
  const keeperUrl = (k: KeeperInfo): string => new URL(k.url, `${client.url}/`).toString().replace(/\/+$/, "");
  return {
    keeperUrl,
    keeperRelease: (k, body) => client.callAt(keeperUrl(k), keeperReleaseEndpoint, { body }),
    keeperAudit: async (k, body) => (await client.callAt(keeperUrl(k), keeperAuditEndpoint, { body })).entries,
  };
}
