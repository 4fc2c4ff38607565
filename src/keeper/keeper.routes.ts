/**
 * HTTP routes of keepers: `POST /keepers/:index/release` and
 * `POST /keepers/:index/audit` (embedded profile: the node hosts its keepers;
 * a standalone keeper serves the same routes at its own root).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { recoverTypedDataAddress } from "viem";
import { mountEndpoint, type AnyEndpoint } from "../kernel/endpoint.ts";
import { MedchainError } from "../kernel/errors.ts";
import { route } from "../node/api/endpointRoute.ts";
import { keyReleaseDomain, MAX_REQUEST_TTL } from "./sdk/schemas.ts";
import { keeperAuditEndpoint, keeperReleaseEndpoint, NODE_KEEPER_PREFIX, zKeeperIndexParams } from "./sdk/endpoints.ts";
import { AUDIT_QUERY_TYPES } from "../audit/sdk/auditEvent.ts";
import type { Keeper, KeeperContracts } from "./keeper.ts";
import "../consent/sdk/errors.ts";

/**
 * `endpoint` as served under `prefix`: the declaration itself at a standalone keeper's root, mounted under
 * `/keepers/:index` (with its index param) in a node. Typed as the declaration: handlers read the index, when any,
 * with `indexOf`.
 */
function at<E extends AnyEndpoint>(endpoint: E, prefix: typeof NODE_KEEPER_PREFIX | ""): E {
  return prefix === "" ? endpoint : (mountEndpoint(endpoint, prefix, zKeeperIndexParams) as AnyEndpoint as E);
}

/** The keeper index of a request (0 at a standalone keeper's root). */
function indexOf(params: object): number | undefined {
  return (params as { index?: number }).index;
}

/**
 * Routes of a set of keepers, under `prefix` (`/keepers/:index` in the node, `` for a standalone keeper with index 0).
 */
export function keeperRoutes(
  keepers: readonly Keeper[],
  contracts: KeeperContracts,
  prefix: typeof NODE_KEEPER_PREFIX | "",
): FastifyPluginAsyncZod {
  const pick = (index: number | undefined): Keeper => {
    const k = keepers[index ?? 0];
    if (k === undefined) throw new MedchainError("NotFound", "no such keeper", { details: { index } });
    return k;
  };
  return async (app) => {
    route(app, at(keeperReleaseEndpoint, prefix), async (req) =>
      pick(indexOf(req.params)).release(req.body.request, req.body.signature),
    );

    route(app, at(keeperAuditEndpoint, prefix), async (req) => {
      const keeper = pick(indexOf(req.params));
      const { query, signature } = req.body;
      const signer = await recoverTypedDataAddress({
        domain: keyReleaseDomain(contracts.chainId, contracts.consentRegistry),
        types: AUDIT_QUERY_TYPES,
        primaryType: "AuditQuery",
        message: { ...query, expiresAt: BigInt(query.expiresAt) },
        signature: signature as `0x${string}`,
      }).catch(() => null);
      if (signer === null || signer.toLowerCase() !== query.requester.toLowerCase())
        throw new MedchainError("InvalidSignature", "the audit query is not signed by its requester");
      const now = Math.floor(Date.now() / 1000);
      if (query.expiresAt <= now || query.expiresAt > now + MAX_REQUEST_TTL)
        throw new MedchainError("RequestExpired", "the audit query has expired or is valid for too long");
      if (!(await keeper.mayReadAudit(query.requester, query.patient)))
        throw new MedchainError("NotPatientOrDelegate", "only the patient or her delegate may read her access log");
      await keeper.anchorPending();
      return { entries: keeper.auditFor(query.patient) };
    });
  };
}
