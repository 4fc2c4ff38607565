/** Consent queries of the node (from the index; keepers re-check the chain at release time). */
import type { NodeContext } from "../node/context.ts";
import type { GrantInfo } from "./sdk/schemas.ts";

/** Grants of a patient and/or to a grantee, oldest first, with `active` by the node's clock. */
export async function listGrants(ctx: NodeContext, q: { patient?: string; grantee?: string }): Promise<GrantInfo[]> {
  let query = ctx.db.kysely.selectFrom("grants").selectAll();
  if (q.patient !== undefined) query = query.where("patient", "=", q.patient.toLowerCase());
  if (q.grantee !== undefined) query = query.where("grantee", "=", q.grantee.toLowerCase());
  const rows = await query.orderBy("grant_id").execute();
  const now = BigInt(Math.floor(Date.now() / 1000));
  return rows.map((r) => ({
    grantId: r.grant_id.toString(),
    patient: r.patient as `0x${string}`,
    grantee: r.grantee as `0x${string}`,
    categories: r.categories,
    purposes: r.purposes,
    notBefore: Number(r.not_before),
    expiresAt: Number(r.expires_at),
    revoked: r.revoked,
    breakGlass: r.break_glass,
    issuedBy: r.issued_by as `0x${string}`,
    reasonHash: r.reason_hash as `0x${string}` | null,
    active: !r.revoked && r.not_before <= now && now < r.expires_at,
  }));
}
