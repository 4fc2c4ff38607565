/**
 * One error model for medchain, from contract to API (after viem's BaseError):
 * every error has a stable `code`, a one-line `shortMessage` that never holds
 * patient data or secrets, optional structured `details`, and a `cause`.
 */

/** Stable error codes and the HTTP status each maps to. */
export const ERROR_CODES = {
  // input
  InvalidInput: 400,
  InvalidFhir: 422,
  NotFhirBundle: 422,
  UnsupportedConsent: 422,
  InvalidEpcis: 422,
  UnsupportedEpcis: 422,
  InvalidBarcode: 422,
  InvalidGs1: 422,
  InvalidSignature: 401,
  // identity and keys
  KeyNotFound: 404,
  KeyExists: 409,
  PassphraseRequired: 400,
  WrongPassphrase: 401,
  UnknownPatient: 404,
  UnknownAccount: 404,
  EncryptionKeyMissing: 409,
  // credentials and presentations (identity slice)
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
  // records
  AccessDenied: 403,
  RecordNotFound: 404,
  RecordErased: 410,
  IntegrityError: 422,
  BlobNotFound: 404,
  CidMismatch: 400,
  BatchExists: 409,
  NotWriter: 403,
  NotOwner: 403,
  // consent and keepers
  GrantNotFound: 404,
  GrantRevoked: 403,
  GrantExpired: 403,
  GrantNotYetValid: 403,
  NotGrantee: 403,
  ScopeNotGranted: 403,
  PurposeNotGranted: 403,
  NotPatientOrDelegate: 403,
  NotClinician: 403,
  BreakGlassExceedsCap: 403,
  RequestExpired: 401,
  RequestReplayed: 409,
  KeepersUnavailable: 503,
  // supply (custody and digital twins)
  NotCustodian: 403,
  TwinExists: 409,
  TwinNotFound: 404,
  TwinDecommissioned: 410,
  EventNotProven: 422,
  // trust registry and consortium governance
  CredentialNotRegistered: 404,
  CredentialExists: 409,
  NotCredentialIssuer: 403,
  NotCredentialSubject: 403,
  PartnerClaimsMismatch: 422,
  PartnerClaimsChanged: 422,
  NotCredentialPartner: 409,
  CredentialAlreadyBound: 409,
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
  // chain and relay
  ContractReverted: 409,
  RelayFailed: 502,
  ChainUnavailable: 503,
  // node and transport
  NodeUnreachable: 503,
  StorageUnavailable: 503,
  /** A transaction is on chain but the node's index keeps failing to follow it (transient; retried). */
  IndexBehind: 503,
  NotFound: 404,
  Internal: 500,
} as const;

/** A stable medchain error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options for a {@link MedchainError}. */
export interface MedchainErrorOptions {
  /** Structured, non-sensitive facts about the failure (ids, counts, field paths). */
  details?: Record<string, unknown>;
  /** The underlying error, kept for logs; never shown to API clients. */
  cause?: unknown;
}

/** Base of every error medchain throws on purpose. */
export class MedchainError extends Error {
  override readonly name: string = "MedchainError";
  /** Stable, documented error code (see {@link ERROR_CODES}). */
  readonly code: ErrorCode;
  /** One line, safe to show to users and to log. */
  readonly shortMessage: string;
  /** Structured, non-sensitive facts about the failure. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, shortMessage: string, options: MedchainErrorOptions = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }

  /** HTTP status this error maps to. */
  get status(): number {
    return ERROR_CODES[this.code];
  }

  /** The JSON shape used by the API (problem+json) and by `--json` CLI output. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.shortMessage }
      : { code: this.code, message: this.shortMessage, details: this.details };
  }
}

/** True when `value` is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** Rebuilds a {@link MedchainError} from its JSON shape (API responses). */
export function errorFromJSON(body: unknown, fallbackStatus = 500): MedchainError {
  if (typeof body === "object" && body !== null) {
    const b = body as { code?: unknown; message?: unknown; details?: unknown };
    if (isErrorCode(b.code) && typeof b.message === "string") {
      const details = typeof b.details === "object" && b.details !== null ? (b.details as Record<string, unknown>) : undefined;
      return new MedchainError(b.code, b.message, details === undefined ? {} : { details });
    }
  }
  return new MedchainError("Internal", `node answered ${fallbackStatus} without a medchain error`);
}
