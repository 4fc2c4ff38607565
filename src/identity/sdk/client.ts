/** The identity slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { z } from "zod";
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import type { ForwardRequest } from "../../kernel/relay/forwardRequest.ts";
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
} from "./endpoints.ts";
import type {
  GovStatus,
  IssuerInfo,
  ProposalInfo,
  VerifiedCredentialInfo,
  zChallenge,
  zPresentResult,
  zRoles,
} from "./schemas.ts";

/** The identity slice's client methods. */
export interface IdentityActions {
  /** `GET /trust/issuers`: issuers the consortium accredited. */
  trustIssuers(): Promise<IssuerInfo[]>;
  /** `GET /trust/roles/:address`: the roles an account claimed, checked on chain now. */
  trustRoles(address: `0x${string}`): Promise<z.infer<typeof zRoles>>;
  /** `GET /gov/proposals`: settings, members and proposals. */
  govStatus(): Promise<GovStatus>;
  /** `GET /gov/proposals/:id`. */
  govProposal(id: string): Promise<ProposalInfo>;
  /** `POST /gov/proposals/:id/queue`: the node queues a passed proposal. */
  queueProposal(id: string): Promise<ProposalInfo>;
  /** `POST /gov/proposals/:id/execute`: the node executes a proposal whose timelock passed. */
  executeProposal(id: string): Promise<ProposalInfo>;
  /** `GET /credentials/challenge`: a single-use challenge for one presentation. */
  credentialChallenge(): Promise<z.infer<typeof zChallenge>>;
  /** `POST /credentials/verify`: every check of a credential, and its state in the trust registry. */
  verifyCredential(credential: string): Promise<VerifiedCredentialInfo>;
  /** `POST /credentials/present`: the node verifies the presentation (single-use challenge), relays the claims. */
  presentCredentials(body: {
    presentation: string;
    claims: Array<{ request: ForwardRequest; signature: `0x${string}` }>;
  }): Promise<z.infer<typeof zPresentResult>>;
}

/** Builds the identity slice's methods for `client` (use with `client.extend(identityActions)`). */
export function identityActions(client: NodeClientBase): IdentityActions {
  return {
    trustIssuers: async () => (await client.call(listIssuersEndpoint)).issuers,
    trustRoles: (address) => client.call(getRolesEndpoint, { params: { address } }),
    govStatus: () => client.call(govStatusEndpoint),
    govProposal: (id) => client.call(getProposalEndpoint, { params: { id } }),
    queueProposal: (id) => client.call(queueProposalEndpoint, { params: { id } }),
    executeProposal: (id) => client.call(executeProposalEndpoint, { params: { id } }),
    credentialChallenge: () => client.call(credentialChallengeEndpoint),
    verifyCredential: (credential) => client.call(verifyCredentialEndpoint, { body: { credential } }),
    presentCredentials: (body) => client.call(presentCredentialsEndpoint, { body }),
  };
}
