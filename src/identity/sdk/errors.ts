/** Error codes of the identity slice (DIDs, credentials, trust registry, consortium governance). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the identity slice and the HTTP status each maps to. */
export const IDENTITY_ERRORS = defineErrorCodes({
  InvalidCredential: 422,
  CredentialSignatureInvalid: 401,
  CredentialExpired: 403,
  CredentialNotYetValid: 403,
  CredentialIssuerNotAccredited: 403,
  CredentialRevoked: 403,
  PresentationHolderMismatch: 403,
  PresentationChallengeMismatch: 401,
  PresentationExpired: 401,
  PresentationReplayed: 409,
  DidNotResolvable: 422,
  CredentialNotRegistered: 404,
  CredentialExists: 409,
  NotCredentialIssuer: 403,
  NotCredentialSubject: 403,
  RoleMissing: 403,
  IssuerAlreadyAccredited: 409,
  NotMember: 403,
  GenesisClosed: 409,
  ProposalNotFound: 404,
  ProposalExists: 409,
  ProposalNotActive: 409,
  ProposalNotSucceeded: 409,
  ProposalNotQueued: 409,
  AlreadyVoted: 409,
  TimelockNotReady: 409,
});

type IdentityErrors = typeof IDENTITY_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends IdentityErrors {}
}
