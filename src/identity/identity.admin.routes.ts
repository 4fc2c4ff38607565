/** Operator route of the identity slice: `POST /admin/gov/genesis` mints the consortium's founding members, once. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MedchainError } from "../kernel/errors.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { govGenesisEndpoint } from "./sdk/endpoints.ts";
import { governanceGenesis } from "./identity.deploy.ts";
import "./sdk/errors.ts";

/** `POST /admin/gov/genesis` (behind the operator token hook). */
export function identityAdminRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, govGenesisEndpoint, async (req) => {
      const members = req.body.members.map((m) => m.toLowerCase() as `0x${string}`);
      let done: boolean;
      try {
        done = await governanceGenesis(ctx.client, ctx.sender, ctx.deployment, members);
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      if (!done)
        throw new MedchainError(
          "GenesisClosed",
          "the founding members are already set; only governance changes the membership now",
        );
      await ctx.indexer.poll();
      return { members };
    });
  };
}
