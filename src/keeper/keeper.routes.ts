/**
 * HTTP routes of keepers: `POST /keepers/:index/release` and
 * `POST /keepers/:index/audit` (embedded profile: the node hosts its keepers;
 * a standalone keeper serves the same routes at its own root).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { recoverTypedDataAddress } from "viem";
import { z } from "zod";
import { MedchainError } from "../kernel/errors.ts";
import { zReleaseBody, zReleasedShare, keyReleaseDomain, MAX_REQUEST_TTL } from "./sdk/schemas.ts";
import { AUDIT_QUERY_TYPES, zAuditQueryBody } from "../audit/sdk/auditEvent.ts";
import { zAuditList } from "../audit/sdk/schemas.ts";
import type { Keeper, KeeperContracts } from "./keeper.ts";
import "../consent/sdk/errors.ts";

/** Routes of a set of keepers, under `prefix` (`/keepers/:index` in the node, `` for a standalone keeper with index 0). */
export function keeperRoutes(keepers: readonly Keeper[], contracts: KeeperContracts, prefix: "/keepers/:index" | ""): FastifyPluginAsyncZod {
  const params = prefix === "" ? z.object({}) : z.object({ index: z.coerce.number().int().nonnegative() });
  const pick = (p: { index?: number }): Keeper => {
    const k = keepers[p.index ?? 0];
    if (k === undefined) throw new MedchainError("NotFound", "no such keeper", { details: { index: p.index } });
    return k;
  };
  return async (app) => {
    app.post(`${prefix}/release`, {
      schema: { tags: ["keepers"], summary: "Release this keeper's share of a category key, if the chain allows it now (audited)", params, body: zReleaseBody, response: { 200: zReleasedShare } },
    }, async (req) => pick(req.params as { index?: number }).release(req.body.request, req.body.signature));

    app.post(`${prefix}/audit`, {
      schema: { tags: ["keepers"], summary: "The patient's access events at this keeper, with Merkle proofs against anchored roots (patient or delegate only)", params, body: zAuditQueryBody, response: { 200: zAuditList } },
    }, async (req) => {
      const keeper = pick(req.params as { index?: number });
      const { query, signature } = req.body;
      const signer = await recoverTypedDataAddress({
        domain: keyReleaseDomain(contracts.chainId, contracts.consentRegistry), types: AUDIT_QUERY_TYPES, primaryType: "AuditQuery",
        message: { ...query, expiresAt: BigInt(query.expiresAt) }, signature: signature as `0x${string}`,
      }).catch(() => null);
      if (signer === null || signer.toLowerCase() !== query.requester.toLowerCase()) throw new MedchainError("InvalidSignature", "the audit query is not signed by its requester");
      const now = Math.floor(Date.now() / 1000);
      if (query.expiresAt <= now || query.expiresAt > now + MAX_REQUEST_TTL) throw new MedchainError("RequestExpired", "the audit query has expired or is valid for too long");
      if (!(await keeper.mayReadAudit(query.requester, query.patient))) throw new MedchainError("NotPatientOrDelegate", "only the patient or her delegate may read her access log");
      await keeper.anchorPending();
      return { entries: keeper.auditFor(query.patient) };
    });
  };
}
