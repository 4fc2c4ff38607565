/**
 * HTTP routes of the identity slice: trust registry, consortium governance, credential verification and presentation
 * (declared in `sdk/endpoints.ts`).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import {
  credentialChallengeEndpoint,
  executeProposalEndpoint,
  getProposalEndpoint,
  getRolesEndpoint,
  govStatusEndpoint,
  listIssuersEndpoint,
  presentCredentialsEndpoint,
  queueProposalEndpoint,
  verifyCredentialEndpoint,
} from "./sdk/endpoints.ts";
import { issueChallenge, presentCredentials, verifyCredentialJwt } from "./credentials.service.ts";
import { executeProposal, getProposal, govStatus, queueProposal } from "./gov.service.ts";
import { listIssuers, rolesOf } from "./trust.service.ts";

/** `/trust/*`, `/gov/*`, `/credentials/*`. */
export function identityRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, listIssuersEndpoint, async () => ({ issuers: await listIssuers(ctx) }));
    route(app, getRolesEndpoint, async (req) => ({
      account: req.params.address.toLowerCase() as `0x${string}`,
      roles: await rolesOf(ctx, req.params.address),
    }));

    route(app, credentialChallengeEndpoint, async () => issueChallenge(ctx));
    route(app, verifyCredentialEndpoint, async (req) => verifyCredentialJwt(ctx, req.body.credential));
    route(app, presentCredentialsEndpoint, async (req) => presentCredentials(ctx, req.body));

    route(app, govStatusEndpoint, async () => govStatus(ctx));
    route(app, getProposalEndpoint, async (req) => getProposal(ctx, req.params.id));
    route(app, queueProposalEndpoint, async (req) => queueProposal(ctx, req.params.id));
    route(app, executeProposalEndpoint, async (req) => executeProposal(ctx, req.params.id));
  };
}
