/** HTTP routes of the audit slice: anchored roots, read from the chain (declared in `sdk/endpoints.ts`). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { auditAnchorAbi } from "../chain/generated/contracts.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { getAuditAnchorEndpoint } from "./sdk/endpoints.ts";

/** `GET /audit/anchors/:root`. */
export function auditRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, getAuditAnchorEndpoint, async (req) => {
      const root = req.params.root.toLowerCase() as `0x${string}`;
      const { client, deployment } = ctx;
      const id = await client.readContract({
        address: deployment.auditAnchor,
        abi: auditAnchorAbi,
        functionName: "anchorIdOf",
        args: [root],
      });
      if (id === 0n) return { root, anchorId: 0, keeper: null, count: 0, anchoredAt: 0 };
      const a = await client.readContract({
        address: deployment.auditAnchor,
        abi: auditAnchorAbi,
        functionName: "getAnchor",
        args: [id],
      });
      return {
        root,
        anchorId: Number(id),
        keeper: a.keeper.toLowerCase() as `0x${string}`,
        count: Number(a.count),
        anchoredAt: Number(a.anchoredAt),
      };
    });
  };
}
