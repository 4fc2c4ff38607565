/** HTTP routes of the records slice (thin: validation by schema, logic in records.service). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { zBatchInfo, zBatchList, zBatchParams, zListBatchesQuery } from "./records.schemas.ts";
import { getBatch, listBatches } from "./records.service.ts";

/** `GET /records?owner=`, `GET /records/:batchId`. */
export function recordsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/records", {
      schema: { tags: ["records"], summary: "List a patient's record batches (from the index)", querystring: zListBatchesQuery, response: { 200: zBatchList } },
    }, async (req) => ({ batches: await listBatches(ctx, req.query.owner) }));
    app.get("/records/:batchId", {
      schema: { tags: ["records"], summary: "One record batch, read from the chain", params: zBatchParams, response: { 200: zBatchInfo } },
    }, async (req) => getBatch(ctx, req.params.batchId));
  };
}
