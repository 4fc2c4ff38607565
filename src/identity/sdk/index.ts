/**
 * medchain's credential SDK (isomorphic): DIDs resolved offline, W3C
 * verifiable credentials and presentations as JWTs (ES256K, did:pkh),
 * VC Data Model checks, and the trust questions (accreditation, revocation)
 * a verifier asks of the chain.
 */
export {
  createDidResolver,
  pkhDocument,
  ethrDefaultDocument,
  didWebUrl,
  accountOfDid,
  addressOfVerificationMethod,
  ETHR_NETWORKS,
  type DidResolverOptions,
} from "./dids.ts";
export {
  CREDENTIAL_TYPES,
  TRADING_PARTNER_ROLES,
  CLAIMS_SCHEMAS,
  zClinicianLicenceClaims,
  zTradingPartnerClaims,
  zEthicsApprovalClaims,
  credentialTypeId,
  credentialIdOf,
  credentialTypeName,
  isCredentialTypeName,
  parseClaims,
  partnerKindOf,
  tradingPartnerClaimsDigest,
  type CredentialTypeKey,
  type CredentialTypeName,
  type ClaimsOf,
  type CredentialClaims,
} from "./credentialTypes.ts";
export {
  checkCredential,
  checkPresentation,
  assertCredentialDataModel,
  assertPresentationDataModel,
  isUrl,
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
  type DataModelIssue,
  type DataModelOptions,
  type DataModelResult,
  type VcVersion,
} from "./dataModel.ts";
export {
  issueCredential,
  statusIdOf,
  MEDCHAIN_STATUS_TYPE,
  medchainContext,
  jwtVcContext,
  type IssueCredentialParameters,
  type IssuedCredential,
} from "./issueCredential.ts";
export { createPresentation, type CreatePresentationParameters } from "./createPresentation.ts";
export {
  verifyCredential,
  verifyPresentation,
  presentationChallenge,
  type VerifiedCredential,
  type VerifiedPresentation,
  type VerifyCredentialOptions,
  type VerifyPresentationOptions,
} from "./verify.ts";
export { StaticTrust, type TrustPort } from "./trust.ts";
export {
  ChallengeBook,
  type ChallengeStore,
  type ChallengeBookOptions,
  type IssuedChallenge,
} from "./challengeBook.ts";
export { accountSigner, JWT_ALG } from "./jwt.ts";
