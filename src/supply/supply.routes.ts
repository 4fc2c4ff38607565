/** HTTP routes of the supply slice (thin: declared in `sdk/endpoints.ts`, logic in supply.service). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import {
  getAnchorDetailEndpoint,
  getSupplyBatchEndpoint,
  getTwinEndpoint,
  listAnchorsEndpoint,
  listPartnersEndpoint,
  listRecallsEndpoint,
  prepareSupplyDocumentEndpoint,
  twinOfScanEndpoint,
  verifyScanEndpoint,
} from "./sdk/endpoints.ts";
import { prepareCapture, verifyScan } from "./supply.service.ts";
import { getTwin, twinOfScan } from "./twin.service.ts";
import { anchorDetail, listAnchors, listRecalls } from "./supplyQueries.ts";
import { listPartners } from "./partnerList.ts";

/**
 * `POST /supply/documents`, `GET /supply/batches/:anchorId`, `GET /supply/verify`, `GET /supply/twin`, `GET
 * /supply/twins/:unitKey`,
 * `GET /supply/partners`, and the read-only views of the portal's partner pages `GET /supply/anchors`, `GET
 * /supply/anchors/:anchorId`, `GET /supply/recalls`.
 */
export function supplyRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, prepareSupplyDocumentEndpoint, async (req) => prepareCapture(ctx, req.body.document, req.body.partner));

    route(app, getSupplyBatchEndpoint, async (req) => {
      const row = await ctx.db.kysely
        .selectFrom("supply_batches")
        .selectAll()
        .where("anchor_id", "=", BigInt(req.params.anchorId))
        .executeTakeFirst();
      if (row === undefined)
        throw new MedchainError("NotFound", "no such anchored batch (yet)", {
          details: { anchorId: req.params.anchorId },
        });
      return {
        anchorId: row.anchor_id.toString(),
        partner: row.partner as `0x${string}`,
        root: row.root as `0x${string}`,
        count: row.count,
        status: row.status,
        reason: row.reason,
      };
    });

    route(app, verifyScanEndpoint, async (req) => verifyScan(ctx, req.query.scan));
    route(app, twinOfScanEndpoint, async (req) => twinOfScan(ctx, req.query.scan));
    route(app, getTwinEndpoint, async (req) => getTwin(ctx, req.params.unitKey));
    route(app, listPartnersEndpoint, async () => ({ partners: await listPartners(ctx) }));
    route(app, listAnchorsEndpoint, async (req) => ({ anchors: await listAnchors(ctx, req.query.partner) }));
    route(app, getAnchorDetailEndpoint, async (req) => anchorDetail(ctx, BigInt(req.params.anchorId)));
    route(app, listRecallsEndpoint, async () => ({ recalls: await listRecalls(ctx) }));
  };
}
