/** HTTP routes of the consent slice: grants as indexed from the chain. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { zGrantList, zGrantsQuery } from "./sdk/schemas.ts";
import { listGrants } from "./consent.service.ts";

/** `GET /consent/grants?patient=&grantee=`. */
export function consentRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/consent/grants", {
      schema: { tags: ["consent"], summary: "Grants of a patient and/or to a grantee (from the index; keepers re-check the chain at release)", querystring: zGrantsQuery, response: { 200: zGrantList } },
    }, async (req) => {
      const { patient, grantee } = req.query;
      if (patient === undefined && grantee === undefined) throw new MedchainError("InvalidInput", "give patient, grantee or both");
      return { grants: await listGrants(ctx, { ...(patient === undefined ? {} : { patient }), ...(grantee === undefined ? {} : { grantee }) }) };
    });
  };
}
