/**
 * Operator-only routes under `/admin`: one Fastify hook checks the operator
 * token (bearer, from `<dataDir>/admin-token`, compared in constant time) for
 * every route any slice registers here; the slices bring the routes.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import { MedchainError } from "../../kernel/errors.ts";
import type { NodeContext } from "../context.ts";

/** The `/admin` scope: the token hook, then every module's operator routes. */
export function adminScope(ctx: NodeContext, token: string): FastifyPluginAsync {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (app) => {
    app.addHook("onRequest", async (req) => {
      const got = Buffer.from(req.headers.authorization ?? "");
      if (got.length !== expected.length || !timingSafeEqual(got, expected))
        throw new MedchainError("AccessDenied", "operator token required");
    });
    for (const m of ctx.modules) if (m.adminRoutes !== undefined) await app.register(await m.adminRoutes(ctx));
  };
}
