/** The relay slice: the ERC-2771 forwarder and the gasless relayer (users sign, the node pays). */
import { medchainForwarderAbi, medchainForwarderBytecode } from "../chain/generated/contracts.ts";
import type { SliceModule } from "../node/module.ts";
import { RELAY_ENDPOINTS } from "../kernel/relay/endpoints.ts";
import { RELAY_CONTRACT_ERRORS } from "./relay.contractErrors.ts";
import type { Relayer } from "./relayer.ts";
import "./sdk/network.ts";

declare module "../node/context.ts" {
  interface NodeContext {
    /** Gasless submission of users' signed calls. */
    relayer: Relayer;
  }
}

/** The relay slice's module. */
export const relayModule: SliceModule = {
  name: "relay",
  contracts: [{ key: "forwarder", abi: medchainForwarderAbi, bytecode: medchainForwarderBytecode, args: () => [] }],
  contractErrors: RELAY_CONTRACT_ERRORS,
  httpPrefixes: ["/relay"],
  endpoints: RELAY_ENDPOINTS,
  async start(ctx) {
    const { Relayer } = await import("./relayer.ts");
    const targets = ctx.modules.flatMap((m) =>
      (m.contracts ?? [])
        .filter((c) => c.relayTarget === true)
        .map((c) => ({ address: ctx.deployment[c.key], abi: c.abi })),
    );
    const waitIndexed = (b: bigint): Promise<void> => ctx.indexer.waitFor(b);
    return {
      services: {
        relayer: new Relayer({
          client: ctx.client,
          sender: ctx.sender,
          deployment: ctx.deployment,
          targets,
          waitIndexed,
        }),
      },
    };
  },
  async routes(ctx) {
    return (await import("./relay.routes.ts")).relayRoutes(ctx);
  },
};
