/** HTTP routes of the supply slice (thin: logic in supply.service). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { MedchainError } from "../kernel/errors.ts";
import { zBytes32 } from "../kernel/schemas.ts";
import type { NodeContext } from "../node/context.ts";
import {
  zAnchorDetail, zAnchorList, zAnchorsQuery, zCaptureBody, zPartnerList, zPreparedCapture, zRecallList, zSupplyBatch, zTwin, zTwinOfScan, zVerifyResult,
} from "./sdk/schemas.ts";
import { prepareCapture, verifyScan } from "./supply.service.ts";
import { getTwin, twinOfScan } from "./twin.service.ts";
import { anchorDetail, listAnchors, listRecalls } from "./supplyQueries.ts";
import { listPartners } from "./partnerList.ts";

/**
 * `POST /supply/documents`, `GET /supply/batches/:anchorId`, `GET /supply/verify`, `GET /supply/twin`, `GET /supply/twins/:unitKey`,
 * `GET /supply/partners`, and the read-only views of the portal's partner pages `GET /supply/anchors`, `GET /supply/anchors/:anchorId`, `GET /supply/recalls`.
 */
export function supplyRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/supply/documents", {
      schema: {
        tags: ["supply"], body: zCaptureBody, response: { 200: zPreparedCapture },
        summary: "Validate an EPCIS document (schema + CBV; only the current custodian ships a unit) and store it for the partner to anchor; a refused document stores nothing",
      },
    }, async (req) => prepareCapture(ctx, req.body.document, req.body.partner));

    app.get("/supply/batches/:anchorId", {
      schema: {
        tags: ["supply"], summary: "Whether an anchored batch was indexed or refused (and why)", params: z.object({ anchorId: z.string().regex(/^[0-9]+$/) }),
        response: { 200: zSupplyBatch },
      },
    }, async (req) => {
      const row = await ctx.db.kysely.selectFrom("supply_batches").selectAll().where("anchor_id", "=", BigInt(req.params.anchorId)).executeTakeFirst();
      if (row === undefined) throw new MedchainError("NotFound", "no such anchored batch (yet)", { details: { anchorId: req.params.anchorId } });
      return { anchorId: row.anchor_id.toString(), partner: row.partner as `0x${string}`, root: row.root as `0x${string}`, count: row.count, status: row.status, reason: row.reason };
    });

    app.get("/supply/verify", {
      schema: { tags: ["supply"], summary: "Verify a scanned pack: verdict, reasons, journey and proofs checkable against the chain", querystring: z.object({ scan: z.string().min(1).max(512) }), response: { 200: zVerifyResult } },
    }, async (req) => verifyScan(ctx, req.query.scan));

    app.get("/supply/twin", {
      schema: { tags: ["supply"], summary: "The digital twin of a scanned unit: owner (current custodian) and custody steps with their proven events", querystring: z.object({ scan: z.string().min(1).max(512) }), response: { 200: zTwinOfScan } },
    }, async (req) => twinOfScan(ctx, req.query.scan));

    app.get("/supply/twins/:unitKey", {
      schema: { tags: ["supply"], summary: "A digital twin by its bytes32 unit key (the ERC-721 token id)", params: z.object({ unitKey: zBytes32 }), response: { 200: zTwin } },
    }, async (req) => getTwin(ctx, req.params.unitKey));

    app.get("/supply/partners", {
      schema: { tags: ["supply"], summary: "Registered trading partners (read from the chain), each with whether it may act now and, if not, why (suspended, credential revoked/expired/de-accredited)", response: { 200: zPartnerList } },
    }, async () => ({ partners: await listPartners(ctx) }));

    app.get("/supply/anchors", {
      schema: { tags: ["supply"], summary: "Anchored EPCIS batches as indexed, newest first (of one partner, or all)", querystring: zAnchorsQuery, response: { 200: zAnchorList } },
    }, async (req) => ({ anchors: await listAnchors(ctx, req.query.partner) }));

    app.get("/supply/anchors/:anchorId", {
      schema: {
        tags: ["supply"], summary: "One anchored batch: its events with inclusion proofs, and the root the chain holds now",
        params: z.object({ anchorId: z.string().regex(/^[0-9]{1,20}$/) }), response: { 200: zAnchorDetail },
      },
    }, async (req) => anchorDetail(ctx, BigInt(req.params.anchorId)));

    app.get("/supply/recalls", {
      schema: { tags: ["supply"], summary: "Recalls recorded on chain, newest first, with whether each still stands", response: { 200: zRecallList } },
    }, async () => ({ recalls: await listRecalls(ctx) }));
  };
}
