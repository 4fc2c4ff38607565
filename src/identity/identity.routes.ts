/** HTTP routes of the identity slice: trust registry, consortium governance, credential verification and presentation. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { zAddress } from "../kernel/schemas.ts";
import type { NodeContext } from "../node/context.ts";
import { zChallenge, zGovStatus, zIssuerList, zPresentBody, zPresentResult, zProposal, zRoles, zVerifiedCredential, zVerifyBody } from "./sdk/schemas.ts";
import { issueChallenge, presentCredentials, verifyCredentialJwt } from "./credentials.service.ts";
import { executeProposal, getProposal, govStatus, queueProposal } from "./gov.service.ts";
import { listIssuers, rolesOf } from "./trust.service.ts";

const zProposalParams = z.object({ id: z.string().regex(/^[0-9]{1,30}$/, "a proposal id is a whole number") });

/** `/trust/*`, `/gov/*`, `/credentials/*`. */
export function identityRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/trust/issuers", {
      schema: { tags: ["identity"], summary: "Issuers the consortium accredited, per credential type (from the index of the trust registry)", response: { 200: zIssuerList } },
    }, async () => ({ issuers: await listIssuers(ctx) }));
    app.get("/trust/roles/:address", {
      schema: {
        tags: ["identity"], summary: "Roles an account claimed with credentials, each checked on chain now (revoked, expired or de-accredited: not valid)",
        params: z.object({ address: zAddress }), response: { 200: zRoles },
      },
    }, async (req) => ({ account: req.params.address.toLowerCase() as `0x${string}`, roles: await rolesOf(ctx, req.params.address) }));

    app.get("/credentials/challenge", {
      schema: { tags: ["identity"], summary: "A single-use challenge (and the domain) for one presentation; valid 5 minutes", response: { 200: zChallenge } },
    }, async () => issueChallenge(ctx));
    app.post("/credentials/verify", {
      schema: {
        tags: ["identity"], summary: "Verify a credential (VC-JWT): signature, data model, validity, revocation, issuer accredited at issuance; and its trust-registry entry",
        body: zVerifyBody, response: { 200: zVerifiedCredential },
      },
    }, async (req) => verifyCredentialJwt(ctx, req.body.credential));
    app.post("/credentials/present", {
      schema: {
        tags: ["identity"], summary: "Present credentials over a node challenge (single use: a replay is PresentationReplayed); the node relays the holder's signed claimRole requests",
        body: zPresentBody, response: { 200: zPresentResult },
      },
    }, async (req) => presentCredentials(ctx, req.body));

    app.get("/gov/proposals", {
      schema: { tags: ["governance"], summary: "The consortium: settings, members and proposals with their state now", response: { 200: zGovStatus } },
    }, async () => govStatus(ctx));
    app.get("/gov/proposals/:id", {
      schema: { tags: ["governance"], summary: "One proposal: what it changes, votes, state now, timelock", params: zProposalParams, response: { 200: zProposal } },
    }, async (req) => getProposal(ctx, req.params.id));
    app.post("/gov/proposals/:id/queue", {
      schema: { tags: ["governance"], summary: "Queue a passed proposal in the timelock (anyone may; the node pays); ProposalNotSucceeded otherwise", params: zProposalParams, response: { 200: zProposal } },
    }, async (req) => queueProposal(ctx, req.params.id));
    app.post("/gov/proposals/:id/execute", {
      schema: { tags: ["governance"], summary: "Execute a queued proposal once its timelock passed (anyone may; the node pays); TimelockNotReady before", params: zProposalParams, response: { 200: zProposal } },
    }, async (req) => executeProposal(ctx, req.params.id));
  };
}
