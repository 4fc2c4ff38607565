/**
 * Issue a medchain credential: a W3C VC Data Model 1.1 credential in the JWT
 * encoding (did-jwt-vc), signed ES256K with the issuer account's own key.
 * Issuer and subject are did:pkh DIDs; validity is nbf/exp; the id is a
 * random `urn:uuid:` whose keccak256 is the on-chain credential id; with a
 * status registry the credential names where its revocation is recorded.
 */
import { createVerifiableCredentialJwt, normalizeCredential, type JwtCredentialPayload } from "did-jwt-vc";
import { getAddress, isAddress, type Address, type Hex, type LocalAccount } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { didOf } from "../../accounts/sdk/did.ts";
import {
  CLAIMS_SCHEMAS,
  credentialIdOf,
  credentialTypeName,
  parseClaims,
  type CredentialTypeKey,
  type CredentialTypeName,
} from "./credentialTypes.ts";
import { assertCredentialDataModel, VC_CONTEXT_V1 } from "./dataModel.ts";
import { accountSigner, JWT_ALG } from "./jwt.ts";
import "./errors.ts";

/** `credentialStatus.type` of medchain credentials: revocation recorded in an on-chain registry. */
export const MEDCHAIN_STATUS_TYPE = "MedchainRevocationRegistry2026";

/**
 * The inline JSON-LD context of a medchain credential of `type`: it maps the
 * type, its claims and the status type to `urn:medchain:` IRIs, so the VC
 * needs no context document fetched from anywhere.
 */
export function medchainContext(type: CredentialTypeName): Record<string, string> {
  const terms: Record<string, string> = {
    [type]: `urn:medchain:${type}`,
    [MEDCHAIN_STATUS_TYPE]: `urn:medchain:${MEDCHAIN_STATUS_TYPE}`,
  };
  for (const claim of Object.keys(CLAIMS_SCHEMAS[type].shape)) terms[claim] = `urn:medchain:${claim}`;
  return terms;
}

/**
 * The `@context` of a medchain JWT VC: the VC 1.1 context, then {@link medchainContext}. did-jwt-vc types
 * `@context` as strings only, narrower than the VC data model, which allows inline context objects (checked by
 * `assertCredentialDataModel`); this is the one place that bridges the two types.
 */
export function jwtVcContext(type: CredentialTypeName): string[] {
  const context: ReadonlyArray<string | Record<string, string>> = [VC_CONTEXT_V1, medchainContext(type)];
  return context as string[];
}

/** The `credentialStatus.id` of a credential: `eip155:<chainId>:<registry>#<credentialId>`. */
export function statusIdOf(chainId: number, registry: Address, credentialId: Hex): string {
  return `eip155:${chainId}:${getAddress(registry)}#${credentialId}`;
}

/** Parameters of {@link issueCredential}. */
export interface IssueCredentialParameters {
  /** The issuer's account (its did:pkh is the VC issuer; it signs ES256K). */
  issuer: LocalAccount;
  /** Chain of the did:pkh DIDs and of the status registry. */
  chainId: number;
  /** Credential type by name (`ClinicianLicenceCredential`) or key (`ClinicianLicence`). */
  type: CredentialTypeName | CredentialTypeKey;
  /** The holder's account (credentialSubject.id = its did:pkh). */
  subject: Address;
  /** The claims of the type (validated before signing). */
  claims: Record<string, unknown>;
  validFrom: Date;
  validUntil: Date;
  /** The on-chain revocation registry this credential names in `credentialStatus`. */
  statusRegistry?: Address;
  /** Issuance time (`iat`), default now. */
  issuedAt?: Date;
}

/** An issued credential. */
export interface IssuedCredential {
  /** The VC-JWT. */
  jwt: string;
  /** The VC id (`urn:uuid:...`). */
  id: string;
  /** keccak256 of the id: the credential's on-chain id. */
  credentialId: Hex;
}

function seconds(d: Date, path: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t))
    throw new MedchainError("InvalidCredential", `${path} is not a valid date`, { details: { path } });
  return Math.floor(t / 1000);
}

/**
 * Issues a credential; bad claims, dates or addresses fail with `InvalidCredential` (details.path) before anything is
 * signed.
 */
export async function issueCredential(params: IssueCredentialParameters): Promise<IssuedCredential> {
  const { issuer, chainId } = params;
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new MedchainError("InvalidCredential", "chainId must be a " + "positive integer", {
      details: { path: "chainId" },
    });
  if (typeof params.subject !== "string" || !isAddress(params.subject, { strict: false })) {
    throw new MedchainError("InvalidCredential", "the subject must be " + "an account address", {
      details: { path: "credentialSubject.id" },
    });
  }
  const type = credentialTypeName(params.type);
  const claims = parseClaims(type, params.claims);
  const nbf = seconds(params.validFrom, "validFrom");
  const exp = seconds(params.validUntil, "validUntil");
  if (exp <= nbf)
    throw new MedchainError("InvalidCredential", "validUntil must be " + "later than validFrom", {
      details: { path: "validUntil" },
    });
  const iat = seconds(params.issuedAt ?? new Date(), "issuedAt");
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const credentialId = credentialIdOf(id);
  const issuerDid = didOf(chainId, issuer.address);
  const subjectDid = didOf(chainId, getAddress(params.subject));
  if (params.statusRegistry !== undefined && !isAddress(params.statusRegistry, { strict: false })) {
    throw new MedchainError("InvalidCredential", "the status registry must " + "be a contract address", {
      details: { path: "credentialStatus.id" },
    });
  }
  const payload: JwtCredentialPayload = {
    iss: issuerDid,
    sub: subjectDid,
    jti: id,
    nbf,
    exp,
    iat,
    vc: {
      "@context": jwtVcContext(type),
      type: ["VerifiableCredential", type],
      credentialSubject: claims,
      ...(params.statusRegistry === undefined
        ? {}
        : {
            credentialStatus: {
              id: statusIdOf(chainId, params.statusRegistry, credentialId),
              type: MEDCHAIN_STATUS_TYPE,
            },
          }),
    },
  };
  const { proof: _none, ...unsigned } = normalizeCredential(payload, true); // the JWT signature will be its proof
  assertCredentialDataModel(unsigned);
  const jwt = await createVerifiableCredentialJwt(
    payload,
    { did: issuerDid, signer: accountSigner(issuer), alg: JWT_ALG },
    {
      header: { kid: `${issuerDid}#blockchainAccountId` },
    },
  );
  return { jwt, id, credentialId };
}
