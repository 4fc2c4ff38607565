/** HTTP routes of the records slice (thin: validation by schema, logic in records.service). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { zBatchInfo, zBatchList, zBatchParams, zListBatchesQuery, zWriterList, zWritersQuery } from "./sdk/schemas.ts";
import { getBatch, listBatches, listWriters } from "./records.service.ts";

/** `GET /records?owner=`, `GET /records/writers?owner=`, `GET /records/:batchId`. */
export function recordsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/records", {
      schema: { tags: ["records"], summary: "List a patient's record batches (from the index)", querystring: zListBatchesQuery, response: { 200: zBatchList } },
    }, async (req) => ({ batches: await listBatches(ctx, req.query.owner) }));
    app.get("/records/writers", {
      schema: { tags: ["records"], summary: "Accounts a patient currently lets write into her record (from the index)", querystring: zWritersQuery, response: { 200: zWriterList } },
    }, async (req) => ({ writers: await listWriters(ctx, req.query.owner) }));
    app.get("/records/:batchId", {
      schema: { tags: ["records"], summary: "One record batch, read from the chain", params: zBatchParams, response: { 200: zBatchInfo } },
    }, async (req) => getBatch(ctx, req.params.batchId));
  };
}
