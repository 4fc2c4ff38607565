/** HTTP routes of the consent slice: grants as indexed from the chain (declared in `sdk/endpoints.ts`). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { listGrantsEndpoint } from "./sdk/endpoints.ts";
import { listGrants } from "./consent.service.ts";

/** `GET /consent/grants?patient=&grantee=`. */
export function consentRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, listGrantsEndpoint, async (req) => {
      const { patient, grantee } = req.query;
      if (patient === undefined && grantee === undefined)
        throw new MedchainError("InvalidInput", "give patient, grantee or both");
      return {
        grants: await listGrants(ctx, {
          ...(patient === undefined ? {} : { patient }),
          ...(grantee === undefined ? {} : { grantee }),
        }),
      };
    });
  };
}
