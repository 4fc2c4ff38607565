/** The identity slice's HTTP endpoints (trust registry, governance, credentials), declared once. */
import { z } from "zod";
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { zAddress } from "../../kernel/schemas.ts";
import {
  zChallenge,
  zGovStatus,
  zIssuerList,
  zPresentBody,
  zPresentResult,
  zProposal,
  zRoles,
  zVerifiedCredential,
  zVerifyBody,
} from "./schemas.ts";

const zProposalParams = z.object({ id: z.string().regex(/^[0-9]{1,30}$/, "a proposal id is a whole number") });

/** `GET /trust/issuers`. */
export const listIssuersEndpoint = defineEndpoint({
  method: "GET",
  path: "/trust/issuers",
  response: zIssuerList,
  tags: ["identity"],
  summary: "Issuers the consortium accredited, per credential type (from the index of the trust registry)",
});

/** `GET /trust/roles/:address`. */
export const getRolesEndpoint = defineEndpoint({
  method: "GET",
  path: "/trust/roles/:address",
  params: z.object({ address: zAddress }),
  response: zRoles,
  tags: ["identity"],
  summary:
    "Roles an account claimed with credentials, each checked on chain now (revoked, expired or " +
    "de-accredited: not valid)",
});

/** `GET /credentials/challenge`. */
export const credentialChallengeEndpoint = defineEndpoint({
  method: "GET",
  path: "/credentials/challenge",
  response: zChallenge,
  tags: ["identity"],
  summary: "A single-use challenge (and the domain) for one presentation; valid 5 minutes",
});

/** `POST /credentials/verify`. */
export const verifyCredentialEndpoint = defineEndpoint({
  method: "POST",
  path: "/credentials/verify",
  body: zVerifyBody,
  response: zVerifiedCredential,
  tags: ["identity"],
  errors: ["InvalidCredential", "CredentialSignatureInvalid", "DidNotResolvable"],
  summary:
    "Verify a credential (VC-JWT): signature, data model, validity, revocation, issuer accredited at issuance; " +
    "and its trust-registry entry",
});

/** `POST /credentials/present`. */
export const presentCredentialsEndpoint = defineEndpoint({
  method: "POST",
  path: "/credentials/present",
  body: zPresentBody,
  response: zPresentResult,
  tags: ["identity"],
  errors: [
    "InvalidCredential",
    "CredentialSignatureInvalid",
    "CredentialExpired",
    "CredentialNotYetValid",
    "CredentialIssuerNotAccredited",
    "CredentialRevoked",
    "PresentationHolderMismatch",
    "PresentationChallengeMismatch",
    "PresentationExpired",
    "PresentationReplayed",
  ],
  summary:
    "Present credentials over a node challenge (single use: a replay is PresentationReplayed); the node " +
    "relays the holder's signed claimRole requests",
});

/** `GET /gov/proposals`. */
export const govStatusEndpoint = defineEndpoint({
  method: "GET",
  path: "/gov/proposals",
  response: zGovStatus,
  tags: ["governance"],
  summary: "The consortium: settings, members and proposals with their state now",
});

/** `GET /gov/proposals/:id`. */
export const getProposalEndpoint = defineEndpoint({
  method: "GET",
  path: "/gov/proposals/:id",
  params: zProposalParams,
  response: zProposal,
  tags: ["governance"],
  errors: ["ProposalNotFound"],
  summary: "One proposal: what it changes, votes, state now, timelock",
});

/** `POST /gov/proposals/:id/queue`. */
export const queueProposalEndpoint = defineEndpoint({
  method: "POST",
  path: "/gov/proposals/:id/queue",
  params: zProposalParams,
  response: zProposal,
  tags: ["governance"],
  errors: ["ProposalNotFound", "ProposalNotSucceeded"],
  summary: "Queue a passed proposal in the timelock (anyone may; the node pays); ProposalNotSucceeded otherwise",
});

/** `POST /gov/proposals/:id/execute`. */
export const executeProposalEndpoint = defineEndpoint({
  method: "POST",
  path: "/gov/proposals/:id/execute",
  params: zProposalParams,
  response: zProposal,
  tags: ["governance"],
  errors: ["ProposalNotFound", "ProposalNotQueued", "TimelockNotReady"],
  summary: "Execute a queued proposal once its timelock passed (anyone may; the node pays); TimelockNotReady before",
});

/** `POST /admin/gov/genesis` (operator only). */
export const govGenesisEndpoint = defineEndpoint({
  method: "POST",
  path: "/admin/gov/genesis",
  body: z.object({ members: z.array(zAddress).min(1).max(100) }),
  response: z.object({ members: z.array(zAddress) }),
  tags: ["admin"],
  errors: ["AccessDenied", "GenesisClosed"],
  summary:
    "Genesis configuration: mint the consortium's founding members, once (refused with GenesisClosed " +
    "afterwards); operator only",
});

/** Every public endpoint of the identity slice. */
export const IDENTITY_ENDPOINTS = [
  listIssuersEndpoint,
  getRolesEndpoint,
  credentialChallengeEndpoint,
  verifyCredentialEndpoint,
  presentCredentialsEndpoint,
  govStatusEndpoint,
  getProposalEndpoint,
  queueProposalEndpoint,
  executeProposalEndpoint,
] as const;
