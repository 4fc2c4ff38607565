/** HTTP routes of the blob store: ciphertexts by CID (public: nothing in them opens without keys). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { NodeContext } from "../context.ts";
import { zFetchBlobsBody, zFetchBlobsResult, zPutBlobsBody, zPutBlobsResult } from "../../kernel/blobs.ts";
import { MedchainError } from "../../kernel/errors.ts";
import { cidOf } from "../../kernel/crypto/cid.ts";

const WRITE_CONCURRENCY = 32;

/** `POST /blobs`, `POST /blobs/fetch`, `GET /blobs/:cid`. */
export function blobsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/blobs", {
      schema: { tags: ["blobs"], summary: "Store ciphertexts under their CIDs (each checked; a mismatch stores nothing of the request)", body: zPutBlobsBody, response: { 200: zPutBlobsResult } },
    }, async (req) => {
      const items = req.body.blobs.map((b) => ({ cid: b.cid, bytes: new Uint8Array(Buffer.from(b.data, "base64")) }));
      // Check every CID before storing any, so a bad request stores nothing.
      for (const it of items) {
        if ((await cidOf(it.bytes)) !== it.cid) throw new MedchainError("CidMismatch", "a blob does not hash to the CID given for it", { details: { cid: it.cid } });
      }
      // Durable writes (fsync per file and directory) overlap well: run them concurrently.
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < items.length) {
          const it = items[next++] as (typeof items)[number];
          await ctx.blobs.putExpected(it.cid, it.bytes);
        }
      };
      await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
      return { stored: items.length };
    });
    app.post("/blobs/fetch", {
      schema: { tags: ["blobs"], summary: "Fetch ciphertexts by CID (clients verify them)", body: zFetchBlobsBody, response: { 200: zFetchBlobsResult } },
    }, async (req) => {
      const blobs = [];
      for (const cid of req.body.cids) blobs.push({ cid, data: Buffer.from(await ctx.blobs.get(cid, { verify: false })).toString("base64") });
      return { blobs };
    });
    app.get("/blobs/:cid", {
      schema: { tags: ["blobs"], summary: "One blob's bytes", params: z.object({ cid: z.string().min(1).max(128) }) },
    }, async (req, reply) => {
      const bytes = await ctx.blobs.get(req.params.cid);
      return reply.type("application/octet-stream").send(Buffer.from(bytes));
    });
  };
}
