/**
 * The supply slice: GS1 units, EPCIS events anchored as Merkle roots, trading partners, digital twins; `medchain
 * supply`.
 */
import {
  digitalTwinAbi,
  digitalTwinBytecode,
  supplyAnchorAbi,
  supplyAnchorBytecode,
  tradingPartnersAbi,
  tradingPartnersBytecode,
} from "../chain/generated/contracts.ts";
import type { SliceModule } from "../node/module.ts";
import { registerPartnerEndpoint, SUPPLY_ENDPOINTS } from "./sdk/endpoints.ts";
import { SUPPLY_CONTRACT_ERRORS } from "./supply.contractErrors.ts";
import { SUPPLY_ERRORS } from "./sdk/errors.ts";
import { supplyCommands } from "./supply.cli.ts";
import "./sdk/network.ts";

/** The supply slice's module. */
export const supplyModule: SliceModule = {
  name: "supply",
  contracts: [
    {
      key: "tradingPartners",
      abi: tradingPartnersAbi,
      bytecode: tradingPartnersBytecode,
      relayTarget: true,
      args: (d, env) => [d.forwarder, env.operator, d.trustRegistry],
    },
    {
      key: "supplyAnchor",
      abi: supplyAnchorAbi,
      bytecode: supplyAnchorBytecode,
      relayTarget: true,
      args: (d) => [d.forwarder, d.tradingPartners],
    },
    {
      key: "digitalTwin",
      abi: digitalTwinAbi,
      bytecode: digitalTwinBytecode,
      relayTarget: true,
      args: (d) => [d.forwarder, d.supplyAnchor, d.tradingPartners],
    },
  ],
  contractErrors: SUPPLY_CONTRACT_ERRORS,
  errors: SUPPLY_ERRORS,
  httpPrefixes: ["/supply"],
  endpoints: [...SUPPLY_ENDPOINTS, registerPartnerEndpoint],
  async afterDeploy({ client, sender, deployment }) {
    const { ensureRegistrar } = await import("./supply.admin.ts");
    await ensureRegistrar(client, sender, deployment.tradingPartners);
  },
  async indexers(env) {
    const { supplyIndexer } = await import("./supply.indexer.ts");
    const handler = supplyIndexer(env.deployment, env.blobs, env.client);
    await handler.load(env.db.kysely);
    return [handler];
  },
  async routes(ctx) {
    return (await import("./supply.routes.ts")).supplyRoutes(ctx);
  },
  async adminRoutes(ctx) {
    return (await import("./supply.admin.routes.ts")).supplyAdminRoutes(ctx);
  },
  cli: supplyCommands,
};
