/**
 * The keeper slice's HTTP endpoints, declared once (routes and client both come from here). A keeper serves
 * `POST /release` and `POST /audit` at its own root (standalone) or under `/keepers/:index` (embedded in a node:
 * {@link NODE_KEEPER_ENDPOINTS}); clients call them at the keeper's URL the node lists.
 */
import { z } from "zod";
import { defineEndpoint, mountEndpoint } from "../../kernel/endpoint.ts";
import { zAddress } from "../../kernel/schemas.ts";
import { zAuditQueryBody } from "../../audit/sdk/auditEvent.ts";
import { zAuditList } from "../../audit/sdk/schemas.ts";
import { zReleaseBody, zReleasedShare } from "./schemas.ts";

/** `POST <keeper>/release`. */
export const keeperReleaseEndpoint = defineEndpoint({
  method: "POST",
  path: "/release",
  body: zReleaseBody,
  response: zReleasedShare,
  tags: ["keepers"],
  errors: [
    "InvalidSignature",
    "RequestExpired",
    "RequestReplayed",
    "GrantNotFound",
    "GrantRevoked",
    "GrantExpired",
    "GrantNotYetValid",
    "NotGrantee",
    "ScopeNotGranted",
    "PurposeNotGranted",
    "RecordNotFound",
    "RecordErased",
  ],
  summary: "Release this keeper's share of a category key, if the chain allows it now (audited)",
});

/** `POST <keeper>/audit`. */
export const keeperAuditEndpoint = defineEndpoint({
  method: "POST",
  path: "/audit",
  body: zAuditQueryBody,
  response: zAuditList,
  tags: ["keepers"],
  errors: ["InvalidSignature", "RequestExpired", "NotPatientOrDelegate"],
  summary:
    "The patient's access events at this keeper, with Merkle proofs against anchored roots " +
    "(patient or delegate only)",
});

/** Where a node mounts its embedded keepers. */
export const NODE_KEEPER_PREFIX = "/keepers/:index";

/** Path params of a keeper embedded in a node. */
export const zKeeperIndexParams = z.object({ index: z.coerce.number().int().nonnegative() });

/** The keeper endpoints as a node serves them (under {@link NODE_KEEPER_PREFIX}). */
export const NODE_KEEPER_ENDPOINTS = [
  mountEndpoint(keeperReleaseEndpoint, NODE_KEEPER_PREFIX, zKeeperIndexParams),
  mountEndpoint(keeperAuditEndpoint, NODE_KEEPER_PREFIX, zKeeperIndexParams),
] as const;

/** `POST /admin/roles` (operator only). */
export const grantKeeperRoleEndpoint = defineEndpoint({
  method: "POST",
  path: "/admin/roles",
  body: z.object({ role: z.enum(["keeper"]), account: zAddress, grant: z.boolean().default(true) }),
  response: z.object({ role: z.string(), account: zAddress, granted: z.boolean() }),
  tags: ["admin"],
  errors: ["AccessDenied", "ContractReverted"],
  summary: "Grant or revoke the keeper role (audit anchor); operator only, bearer token from the data dir",
});
