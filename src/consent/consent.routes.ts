/** HTTP routes of the consent slice: grants as indexed from the chain. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { MedchainError } from "../core/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { zGrantList, zGrantsQuery, type GrantInfo } from "./consent.schemas.ts";

/** `GET /consent/grants?patient=&grantee=`. */
export function consentRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/consent/grants", {
      schema: { tags: ["consent"], summary: "Grants of a patient and/or to a grantee (from the index; keepers re-check the chain at release)", querystring: zGrantsQuery, response: { 200: zGrantList } },
    }, async (req) => {
      const { patient, grantee } = req.query;
      if (patient === undefined && grantee === undefined) throw new MedchainError("InvalidInput", "give patient, grantee or both");
      let q = ctx.db.kysely.selectFrom("grants").selectAll();
      if (patient !== undefined) q = q.where("patient", "=", patient.toLowerCase());
      if (grantee !== undefined) q = q.where("grantee", "=", grantee.toLowerCase());
      const rows = await q.orderBy("grant_id").execute();
      const now = BigInt(Math.floor(Date.now() / 1000));
      const grants: GrantInfo[] = rows.map((r) => ({
        grantId: r.grant_id.toString(), patient: r.patient as `0x${string}`, grantee: r.grantee as `0x${string}`, categories: r.categories,
        purposes: r.purposes, notBefore: Number(r.not_before), expiresAt: Number(r.expires_at), revoked: r.revoked, breakGlass: r.break_glass,
        issuedBy: r.issued_by as `0x${string}`, reasonHash: r.reason_hash as `0x${string}` | null,
        active: !r.revoked && r.not_before <= now && now < r.expires_at,
      }));
      return { grants };
    });
  };
}
