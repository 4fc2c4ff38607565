/** Operator route of the keeper slice: `POST /admin/roles` grants or revokes the keeper role on the audit anchor. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { auditAnchorAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { grantKeeperRoleEndpoint } from "./sdk/endpoints.ts";
import { KEEPER_ROLE } from "./embeddedKeepers.ts";

/** `POST /admin/roles` (behind the operator token hook). */
export function keeperAdminRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, grantKeeperRoleEndpoint, async (req) => {
      const account = req.body.account.toLowerCase() as `0x${string}`;
      const fn = req.body.grant ? "grantRole" : "revokeRole";
      try {
        await ctx.sender.writeContract({
          address: ctx.deployment.auditAnchor,
          abi: auditAnchorAbi,
          functionName: fn,
          args: [KEEPER_ROLE, account],
        });
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      return { role: req.body.role, account, granted: req.body.grant };
    });
  };
}
