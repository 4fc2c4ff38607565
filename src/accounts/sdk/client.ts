/** The accounts slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import { getAccountEndpoint } from "./endpoints.ts";
import type { AccountInfo } from "./schemas.ts";

/** The accounts slice's client methods. */
export interface AccountsActions {
  /** `GET /accounts/:address`: the published encryption key, read from the chain. */
  account(address: `0x${string}`): Promise<AccountInfo>;
}

/** Builds the accounts slice's methods for `client` (use with `client.extend(accountsActions)`). */
export function accountsActions(client: NodeClientBase): AccountsActions {
  return {
    account: (address) => client.call(getAccountEndpoint, { params: { address } }),
  };
}
