/** The accounts slice: published encryption keys (KeyRegistry), `medchain key`. */
import { keyRegistryAbi, keyRegistryBytecode } from "../chain/generated/contracts.ts";
import type { SliceModule } from "../node/module.ts";
import { ACCOUNTS_ENDPOINTS } from "./sdk/endpoints.ts";
import { ACCOUNTS_CONTRACT_ERRORS } from "./accounts.contractErrors.ts";
import { ACCOUNTS_ERRORS } from "./sdk/errors.ts";
import { keyCommands } from "./accounts.cli.ts";
import "./sdk/network.ts";

/** The accounts slice's module. */
export const accountsModule: SliceModule = {
  name: "accounts",
  contracts: [
    {
      key: "keyRegistry",
      abi: keyRegistryAbi,
      bytecode: keyRegistryBytecode,
      relayTarget: true,
      args: (d) => [d.forwarder],
    },
  ],
  contractErrors: ACCOUNTS_CONTRACT_ERRORS,
  errors: ACCOUNTS_ERRORS,
  httpPrefixes: ["/accounts"],
  endpoints: ACCOUNTS_ENDPOINTS,
  async indexers(env) {
    const { accountsIndexer } = await import("./accounts.indexer.ts");
    return [accountsIndexer(env.deployment.keyRegistry)];
  },
  async routes(ctx) {
    return (await import("./accounts.routes.ts")).accountsRoutes(ctx);
  },
  cli: keyCommands,
};
