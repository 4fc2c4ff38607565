/**
 * HTTP routes of the blob store: ciphertexts by CID (public: nothing in them opens without keys). Declared in the
 * kernel (`src/kernel/nodeEndpoints.ts`); `GET /blobs/:cid` sends raw bytes itself (`application/octet-stream`).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../context.ts";
import { fetchBlobsEndpoint, getBlobEndpoint, putBlobsEndpoint } from "../../kernel/nodeEndpoints.ts";
import { MedchainError } from "../../kernel/errors.ts";
import { cidOf } from "../../kernel/crypto/cid.ts";
import { route } from "./endpointRoute.ts";

const WRITE_CONCURRENCY = 32;

/** `POST /blobs`, `POST /blobs/fetch`, `GET /blobs/:cid`. */
export function blobsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, putBlobsEndpoint, async (req) => {
      const items = req.body.blobs.map((b) => ({ cid: b.cid, bytes: new Uint8Array(Buffer.from(b.data, "base64")) }));
      // Check every CID before storing any, so a bad request stores nothing.
      for (const it of items) {
        if ((await cidOf(it.bytes)) !== it.cid)
          throw new MedchainError("CidMismatch", "a blob does not hash to " + "the CID given for it", {
            details: { cid: it.cid },
          });
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
    route(app, fetchBlobsEndpoint, async (req) => {
      const blobs = [];
      for (const cid of req.body.cids)
        blobs.push({ cid, data: Buffer.from(await ctx.blobs.get(cid, { verify: false })).toString("base64") });
      return { blobs };
    });
    route(app, getBlobEndpoint, async (req, reply) => {
      const bytes = await ctx.blobs.get(req.params.cid);
      return reply.type("application/octet-stream").send(Buffer.from(bytes));
    });
  };
}
