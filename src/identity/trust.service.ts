/**
 * The trust registry as the node serves it: accredited issuers (from the
 * index) and an account's claimed roles with their validity read from the
 * chain now.
 */
import type { NodeContext } from "../node/context.ts";
import { chainTrust } from "./chainTrust.ts";
import type { IssuerInfo, RoleInfo } from "./sdk/schemas.ts";
import { typeNameOfId } from "./sdk/trustTypes.ts";

/** Issuers accredited now, per credential type, oldest accreditation first. */
export async function listIssuers(ctx: NodeContext): Promise<IssuerInfo[]> {
  const rows = await ctx.db.kysely
    .selectFrom("trust_accreditations")
    .selectAll()
    .where("active", "=", true)
    .orderBy("since")
    .orderBy("issuer")
    .execute();
  return rows.map((r) => ({
    issuer: r.issuer as `0x${string}`,
    typeId: r.type_id as `0x${string}`,
    type: typeNameOfId(r.type_id),
    epoch: r.epoch,
    since: Number(r.since),
  }));
}

/** The roles `account` claimed and whether each holds now (revocation, expiry and de-accreditation end it at once). */
export async function rolesOf(ctx: NodeContext, account: `0x${string}`): Promise<RoleInfo[]> {
  const rows = await ctx.db.kysely
    .selectFrom("trust_roles")
    .selectAll()
    .where("account", "=", account.toLowerCase())
    .orderBy("type_id")
    .execute();
  const trust = chainTrust(ctx.client, ctx.deployment.trustRegistry);
  return Promise.all(
    rows.map(async (r) => {
      const status = await trust.status(r.credential_id as `0x${string}`);
      return {
        type: typeNameOfId(r.type_id),
        typeId: r.type_id as `0x${string}`,
        credentialId: r.credential_id as `0x${string}`,
        status,
        valid: status === "Valid",
      };
    }),
  );
}
