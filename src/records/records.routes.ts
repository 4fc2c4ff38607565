/** HTTP routes of the records slice (thin: declared in `sdk/endpoints.ts`, logic in records.service). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { getBatchEndpoint, listBatchesEndpoint, listWritersEndpoint } from "./sdk/endpoints.ts";
import { getBatch, listBatches, listWriters } from "./records.service.ts";

/** `GET /records?owner=`, `GET /records/writers?owner=`, `GET /records/:batchId`. */
export function recordsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, listBatchesEndpoint, async (req) => ({ batches: await listBatches(ctx, req.query.owner) }));
    route(app, listWritersEndpoint, async (req) => ({ writers: await listWriters(ctx, req.query.owner) }));
    route(app, getBatchEndpoint, async (req) => getBatch(ctx, req.params.batchId));
  };
}
