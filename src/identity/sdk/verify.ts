/**
 * Verify medchain credentials and presentations. A credential passes only
 * when, in this order: it is a VC-JWT (ES256K) whose content follows the VC
 * data model; its signature verifies against the issuer's DID (offline
 * resolution); issuer and subject are accounts on this chain; it is of one
 * medchain type with valid claims; `now` lies in [nbf, exp); it is not
 * revoked; and its issuer was accredited for its type when it issued it.
 * Each refusal has its own code; messages never hold claim values.
 */
import {
  normalizeCredential,
  normalizePresentation,
  verifyCredential as vcVerifyCredential,
  verifyPresentation as vcVerifyPresentation,
} from "did-jwt-vc";
import type { Resolvable, VerificationMethod } from "did-resolver";
import { getAddress, type Address, type Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { accountOfDid, addressOfVerificationMethod, createDidResolver } from "./dids.ts";
import { assertCredentialDataModel, assertPresentationDataModel } from "./dataModel.ts";
import {
  credentialIdOf,
  credentialTypeId,
  isCredentialTypeName,
  parseClaims,
  type CredentialClaims,
  type CredentialTypeName,
} from "./credentialTypes.ts";
import { MEDCHAIN_STATUS_TYPE } from "./issueCredential.ts";
import { decodeCompact, jwtError } from "./jwt.ts";
import type { TrustPort } from "./trust.ts";
import type { ChallengeStore } from "./challengeBook.ts";
import "./errors.ts";

/** A credential that passed every check. */
export interface VerifiedCredential {
  /** The VC id (`urn:uuid:...`). */
  id: string;
  /** keccak256 of the id (on-chain credential id). */
  credentialId: Hex;
  type: CredentialTypeName;
  /** keccak256 of the type name (on-chain type id). */
  typeId: Hex;
  /** The account that signed (the issuer's key). */
  issuer: Address;
  issuerDid: string;
  /** The account the credential is about (its holder). */
  subject: Address;
  subjectDid: string;
  claims: CredentialClaims;
  validFrom: Date;
  validUntil: Date;
  /** When the issuer signed it (`iat`, else `nbf`): the time accreditation is checked at. */
  issuedAt: Date;
  /** The revocation registry the credential names, if any. */
  statusRegistry: Address | null;
  jwt: string;
}

/** A presentation that passed every check, with its credentials. */
export interface VerifiedPresentation {
  /** The account that signed the presentation (subject of every credential). */
  holder: Address;
  holderDid: string;
  credentials: VerifiedCredential[];
}

/** Options of {@link verifyCredential}. */
export interface VerifyCredentialOptions {
  /** This network's chain id: DIDs and the status registry must name it. */
  chainId: number;
  /** Verification time (default now). */
  now?: Date;
  trust: TrustPort;
  /** DID resolver (default: {@link createDidResolver}, offline). */
  resolver?: Resolvable;
  /** When given, a credential's status must name this registry. */
  statusRegistry?: Address;
  /** Tolerated clock difference for nbf/iat in the future (default 60 s); expiry gets none. */
  clockSkewSeconds?: number;
}

/** Options of {@link verifyPresentation}. */
export interface VerifyPresentationOptions extends VerifyCredentialOptions {
  /** The challenge this verifier issued (must equal the presentation's `nonce`). */
  challenge: string;
  /** This verifier's domain (must be in the presentation's `aud`). */
  domain: string;
  /** When given, the challenge is consumed here once the presentation's signature verifies (replays are refused). */
  challenges?: ChallengeStore;
}

let defaultResolver: Resolvable | undefined;
function resolverOf(options: { resolver?: Resolvable }): Resolvable {
  if (options.resolver !== undefined) return options.resolver;
  defaultResolver ??= createDidResolver();
  return defaultResolver;
}

function invalid(message: string, path: string, extra: Record<string, unknown> = {}): MedchainError {
  return new MedchainError("InvalidCredential", message, { details: { path, ...extra } });
}

function accountOn(did: unknown, chainId: number, path: string, role: string): Address {
  const account = typeof did === "string" ? accountOfDid(did) : null;
  if (account === null)
    throw invalid(`the ${role} must be the DID of an account (did:pkh, did:ethr or a secp256k1 did:key)`, path);
  if (account.chainId !== null && account.chainId !== chainId)
    throw invalid(`the ${role} DID names chain ${account.chainId}, this network is chain ${chainId}`, path);
  return account.address;
}

function signerAddress(signer: VerificationMethod | undefined, fallbackDid: string, what: string): Address {
  const address =
    (signer === undefined ? null : addressOfVerificationMethod(signer)) ?? accountOfDid(fallbackDid)?.address ?? null;
  if (address === null) throw invalid(`the key that signed the ${what} is not an account key`, "issuer");
  return address;
}

function statusRegistryOf(
  status: unknown,
  chainId: number,
  credentialId: Hex,
  expected: Address | undefined,
): Address | null {
  if (status === undefined) return null;
  const s = status as { id?: unknown; type?: unknown };
  if (typeof s !== "object" || s === null || Array.isArray(status) || s.type !== MEDCHAIN_STATUS_TYPE) {
    throw invalid(`credentialStatus must be one ${MEDCHAIN_STATUS_TYPE} entry`, "credentialStatus.type");
  }
  const m = typeof s.id === "string" ? /^eip155:([0-9]+):(0x[0-9a-fA-F]{40})#(0x[0-9a-fA-F]{64})$/.exec(s.id) : null;
  if (m === null)
    throw invalid("credentialStatus.id must be " + "eip155:<chainId>:<registry>#<credentialId>", "credentialStatus.id");
  if (Number(m[1]) !== chainId)
    throw invalid(`credentialStatus names chain ${m[1]}, this network is chain ${chainId}`, "credentialStatus.id");
  if ((m[3] as string).toLowerCase() !== credentialId.toLowerCase())
    throw invalid("credentialStatus names " + "another credential", "credentialStatus.id");
  const registry = getAddress(m[2] as string);
  if (expected !== undefined && registry !== getAddress(expected))
    throw invalid("credentialStatus names a registry " + "this network does not use", "credentialStatus.id");
  return registry;
}

/** Verifies a credential JWT (see the module comment for the checks and their order). */
export async function verifyCredential(jwt: string, options: VerifyCredentialOptions): Promise<VerifiedCredential> {
  const { chainId, trust } = options;
  const decoded = decodeCompact(jwt, "credential");
  const payload = decoded.payload as Record<string, unknown>;
  if (typeof payload.vc !== "object" || payload.vc === null) throw invalid("the JWT carries no credential (vc)", "vc");
  assertCredentialDataModel(normalizeCredential(jwt, true));
  const issuerDid = typeof payload.iss === "string" && payload.iss.startsWith("did:") ? payload.iss : null;
  if (issuerDid === null) throw invalid("the credential issuer must be a DID", "issuer");

  let verified;
  try {
    verified = await vcVerifyCredential(jwt, resolverOf(options), {
      proofPurpose: "assertionMethod",
      policies: { issuanceDate: false, expirationDate: false, format: false, aud: false },
    });
  } catch (err) {
    throw jwtError(err, "credential", issuerDid);
  }
  const vc = verified.verifiableCredential;

  accountOn(issuerDid, chainId, "issuer", "issuer");
  const issuer = signerAddress(verified.signer, issuerDid, "credential");
  const subjectDid = vc.credentialSubject.id;
  const subject = accountOn(subjectDid, chainId, "credentialSubject.id", "subject");
  const types = (Array.isArray(vc.type) ? vc.type : [vc.type]).filter(isCredentialTypeName);
  if (types.length !== 1) throw invalid("the credential must have exactly one medchain credential type", "type");
  const type = types[0] as CredentialTypeName;
  const { id: _subjectId, ...claimValues } = vc.credentialSubject;
  const claims = parseClaims(type, claimValues);
  if (typeof payload.jti !== "string" || payload.jti === "") throw invalid("the credential needs an id (jti)", "id");
  const id = payload.jti;
  const credentialId = credentialIdOf(id);
  const typeId = credentialTypeId(type);
  if (typeof payload.nbf !== "number") throw invalid("the credential needs a start of validity (nbf)", "issuanceDate");
  if (typeof payload.exp !== "number") throw invalid("the credential needs an end of validity (exp)", "expirationDate");
  const statusRegistry = statusRegistryOf(vc.credentialStatus, chainId, credentialId, options.statusRegistry);

  const now = (options.now ?? new Date()).getTime();
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  const validFrom = new Date(payload.nbf * 1000);
  const validUntil = new Date(payload.exp * 1000);
  const issuedAt = new Date((typeof payload.iat === "number" ? payload.iat : payload.nbf) * 1000);
  const facts = { credentialId, type, issuer };
  if (issuedAt.getTime() > now + skew) throw invalid("the credential claims to be issued in the future", "iat", facts);
  if (validFrom.getTime() > now + skew) {
    throw new MedchainError("CredentialNotYetValid", `the credential is valid only from ${validFrom.toISOString()}`, {
      details: { ...facts, validFrom: validFrom.toISOString() },
    });
  }
  if (validUntil.getTime() <= now) {
    throw new MedchainError("CredentialExpired", `the credential expired at ${validUntil.toISOString()}`, {
      details: { ...facts, validUntil: validUntil.toISOString() },
    });
  }
  if (await trust.isRevoked(credentialId))
    throw new MedchainError("CredentialRevoked", "the credential " + "has been revoked", { details: facts });
  if (!(await trust.isAccredited(issuer, typeId, issuedAt))) {
    throw new MedchainError(
      "CredentialIssuerNotAccredited",
      `the issuer was not accredited for ${type} when it issued the credential`,
      { details: { ...facts, issuedAt: issuedAt.toISOString() } },
    );
  }
  return {
    id,
    credentialId,
    type,
    typeId,
    issuer,
    issuerDid,
    subject,
    subjectDid: String(subjectDid),
    claims,
    validFrom,
    validUntil,
    issuedAt,
    statusRegistry,
    jwt,
  };
}

/**
 * The challenge (`nonce`) a presentation claims to answer, read without
 * verifying anything. A verifier that keeps its challenges in a
 * {@link ChallengeStore} may pass this as `challenge` together with
 * `challenges`: the store then proves the challenge was issued and unused.
 */
export function presentationChallenge(vpJwt: string): string {
  const nonce = decodeCompact(vpJwt, "presentation").payload.nonce;
  if (typeof nonce !== "string" || nonce === "")
    throw new MedchainError("PresentationChallengeMismatch", "the presentation answers " + "no challenge (nonce)", {
      details: { field: "nonce" },
    });
  return nonce;
}

/**
 * Verifies a presentation JWT: data model, the holder's signature, the
 * challenge (`nonce`) and domain (`aud`), its expiry, the one-time use of the
 * challenge (when `challenges` is given), then every credential: its subject
 * must be the holder (`PresentationHolderMismatch`) and it must pass
 * {@link verifyCredential}.
 */
export async function verifyPresentation(
  vpJwt: string,
  options: VerifyPresentationOptions,
): Promise<VerifiedPresentation> {
  const decoded = decodeCompact(vpJwt, "presentation");
  const payload = decoded.payload as Record<string, unknown>;
  if (typeof payload.vp !== "object" || payload.vp === null)
    throw invalid("the JWT carries no " + "presentation (vp)", "vp");
  assertPresentationDataModel(normalizePresentation(vpJwt, true));
  const holderDid = typeof payload.iss === "string" && payload.iss.startsWith("did:") ? payload.iss : null;
  if (holderDid === null) throw invalid("the presentation must be signed by a DID (iss)", "holder");

  let verified;
  try {
    verified = await vcVerifyPresentation(vpJwt, resolverOf(options), {
      proofPurpose: "authentication",
      policies: { issuanceDate: false, expirationDate: false, format: false, aud: false },
    });
  } catch (err) {
    throw jwtError(err, "presentation", holderDid);
  }
  if (payload.nonce !== options.challenge) {
    throw new MedchainError(
      "PresentationChallengeMismatch",
      "the presentation does not answer " + "this verifier's challenge",
      { details: { field: "nonce" } },
    );
  }
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.includes(options.domain)) {
    throw new MedchainError("PresentationChallengeMismatch", "the presentation is " + "addressed to another verifier", {
      details: { field: "aud" },
    });
  }
  const now = options.now ?? new Date();
  if (typeof payload.exp === "number" && payload.exp * 1000 <= now.getTime()) {
    throw new MedchainError(
      "PresentationExpired",
      "the presentation has expired: " + "present again with a fresh challenge",
    );
  }
  await options.challenges?.consume(options.challenge, now);

  accountOn(holderDid, options.chainId, "holder", "holder");
  const holder = signerAddress(verified.signer, holderDid, "presentation");
  const vp = payload.vp as { verifiableCredential?: unknown };
  const list =
    vp.verifiableCredential === undefined
      ? []
      : Array.isArray(vp.verifiableCredential)
        ? vp.verifiableCredential
        : [vp.verifiableCredential];
  const credentials: VerifiedCredential[] = [];
  for (const [index, vc] of list.entries()) {
    if (typeof vc !== "string")
      throw invalid("presented credentials " + "must be VC-JWTs", `verifiableCredential[${index}]`);
    decodeCompact(vc, "credential");
    // the subject as verifyCredential will read it
    const subjectDid: unknown = normalizeCredential(vc, true).credentialSubject.id;
    if ((typeof subjectDid === "string" ? accountOfDid(subjectDid)?.address : undefined) !== holder) {
      throw new MedchainError(
        "PresentationHolderMismatch",
        "the presentation is signed by an account " + "that is not the subject of the credential",
        { details: { index } },
      );
    }
    const credential = await verifyCredential(vc, options);
    if (credential.subject !== holder) {
      throw new MedchainError(
        "PresentationHolderMismatch",
        "the presentation is signed by an account " + "that is not the subject of the credential",
        { details: { index, credentialId: credential.credentialId } },
      );
    }
    credentials.push(credential);
  }
  return { holder, holderDid, credentials };
}
