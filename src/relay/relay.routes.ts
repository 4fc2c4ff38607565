/** HTTP routes of the relayer (declared in the kernel, `src/kernel/relay/endpoints.ts`: every client calls them). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { prepareRelayEndpoint, relayEndpoint } from "../kernel/relay/endpoints.ts";

/** `POST /relay/prepare`, `POST /relay`. */
export function relayRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, prepareRelayEndpoint, async (req) => ctx.relayer.prepare(req.body));
    route(app, relayEndpoint, async (req) => ctx.relayer.relay(req.body.request, req.body.signature));
  };
}
