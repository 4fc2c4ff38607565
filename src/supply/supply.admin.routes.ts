/** Operator route of the supply slice: `POST /admin/partners` (the operator registers partners until governance does). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { zAddress } from "../kernel/schemas.ts";
import { tradingPartnersAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { NodeContext } from "../node/context.ts";
import { PARTNER_KINDS } from "./supply.admin.ts";

/** `POST /admin/partners` (behind the operator token hook). */
export function supplyAdminRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/admin/partners", {
      schema: {
        tags: ["admin"], summary: "Register a trading partner (operator as registrar until governance; bearer token from the data dir)",
        body: z.object({
          account: zAddress, kind: z.enum(["manufacturer", "repackager", "wholesaler", "dispenser", "regulator"]),
          gln: z.string().regex(/^[0-9]{13}$/), companyPrefix: z.string().regex(/^[0-9]{4,12}$/).optional(),
        }),
        response: { 200: z.object({ account: zAddress, kind: z.string(), gln: z.string() }) },
      },
    }, async (req) => {
      const account = req.body.account.toLowerCase() as `0x${string}`;
      try {
        await ctx.sender.writeContract({
          address: ctx.deployment.tradingPartners, abi: tradingPartnersAbi, functionName: "registerPartner",
          args: [account, PARTNER_KINDS[req.body.kind], BigInt(req.body.gln), req.body.companyPrefix ?? ""],
        });
      } catch (err) {
        throw decodeRevert(err) ?? err;
      }
      return { account, kind: req.body.kind, gln: req.body.gln };
    });
  };
}
