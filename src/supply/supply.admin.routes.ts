/**
 * Operator route of the supply slice: `POST /admin/partners` (the operator registers partners until governance does).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { registerPartnerEndpoint } from "./sdk/endpoints.ts";
import { PARTNER_KINDS } from "./supply.admin.ts";

/** `POST /admin/partners` (behind the operator token hook). */
export function supplyAdminRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, registerPartnerEndpoint, async (req) => {
      const account = req.body.account.toLowerCase() as `0x${string}`;
      try {
        await ctx.sender.writeContract({
          address: ctx.deployment.tradingPartners,
          abi: tradingPartnersAbi,
          functionName: "registerPartner",
          args: [account, PARTNER_KINDS[req.body.kind], BigInt(req.body.gln), req.body.companyPrefix ?? ""],
        });
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      return { account, kind: req.body.kind, gln: req.body.gln };
    });
  };
}
