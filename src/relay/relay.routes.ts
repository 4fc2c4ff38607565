/** HTTP routes of the relayer. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { zPreparedRelay, zPrepareRelayBody, zRelayBody, zRelayResult } from "../kernel/relay/forwardRequest.ts";

/** `POST /relay/prepare`, `POST /relay`. */
export function relayRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/relay/prepare", {
      schema: { tags: ["relay"], summary: "Prepare a gasless call: nonce, gas, deadline and EIP-712 domain; refuses a call that would revert", body: zPrepareRelayBody, response: { 200: zPreparedRelay } },
    }, async (req) => ctx.relayer.prepare(req.body));
    app.post("/relay", {
      schema: { tags: ["relay"], summary: "Submit a signed ForwardRequest; answers once mined and indexed", body: zRelayBody, response: { 200: zRelayResult } },
    }, async (req) => ctx.relayer.relay(req.body.request, req.body.signature));
  };
}
