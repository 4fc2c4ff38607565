/** HTTP routes of the audit slice: anchored roots, read from the chain. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { zBytes32 } from "../kernel/schemas.ts";
import { auditAnchorAbi } from "../chain/generated/contracts.ts";
import type { NodeContext } from "../node/context.ts";
import { zAnchorInfo } from "./sdk/schemas.ts";

/** `GET /audit/anchors/:root`. */
export function auditRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/audit/anchors/:root", {
      schema: { tags: ["audit"], summary: "Whether and by which keeper an audit root is anchored (read from the chain)", params: z.object({ root: zBytes32 }), response: { 200: zAnchorInfo } },
    }, async (req) => {
      const root = req.params.root.toLowerCase() as `0x${string}`;
      const { client, deployment } = ctx;
      const id = await client.readContract({ address: deployment.auditAnchor, abi: auditAnchorAbi, functionName: "anchorIdOf", args: [root] });
      if (id === 0n) return { root, anchorId: 0, keeper: null, count: 0, anchoredAt: 0 };
      const a = await client.readContract({ address: deployment.auditAnchor, abi: auditAnchorAbi, functionName: "getAnchor", args: [id] });
      return { root, anchorId: Number(id), keeper: a.keeper.toLowerCase() as `0x${string}`, count: Number(a.count), anchoredAt: Number(a.anchoredAt) };
    });
  };
}
