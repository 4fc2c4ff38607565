/** The consent slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import { listGrantsEndpoint } from "./endpoints.ts";
import type { GrantInfo } from "./schemas.ts";

/** The consent slice's client methods. */
export interface ConsentActions {
  /** `GET /consent/grants`: grants of a patient and/or to a grantee, from the index. */
  grants(query: { patient?: `0x${string}`; grantee?: `0x${string}` }): Promise<GrantInfo[]>;
}

/** Builds the consent slice's methods for `client` (use with `client.extend(consentActions)`). */
export function consentActions(client: NodeClientBase): ConsentActions {
  return {
    grants: async (query) => (await client.call(listGrantsEndpoint, { query })).grants,
  };
}
