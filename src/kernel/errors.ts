/**
 * One error model for medchain, from contract to API (after viem's BaseError):
 * every error has a stable `code`, a one-line `shortMessage` that never holds
 * patient data or secrets, optional structured `details`, and a `cause`.
 *
 * Codes are registered per slice: the kernel owns the generic ones below
 * (input, transport, chain, storage); each slice declares its own in
 * `src/<slice>/sdk/errors.ts` with {@link defineErrorCodes}, which records
 * their HTTP statuses at run time, and adds them to {@link ErrorCodeRegistry}
 * by declaration merging, so `ErrorCode` is the union of every slice's codes
 * at compile time without the kernel importing any slice.
 */

/** Generic error codes any slice may use, and the HTTP status each maps to. */
export const KERNEL_ERRORS = {
  InvalidInput: 400,
  InvalidSignature: 401,
  AccessDenied: 403,
  NotOwner: 403,
  NotFound: 404,
  // local keys (the CLI keystore, the browser's sealed keys)
  KeyNotFound: 404,
  KeyExists: 409,
  PassphraseRequired: 400,
  WrongPassphrase: 401,
  IntegrityError: 422,
  /** Not valid FHIR R4 (the shared vocabulary of records, consent and interoperability). */
  InvalidFhir: 422,
  /** Erased by crypto-shredding: its keys are gone, nobody can open it again. */
  RecordErased: 410,
  BlobNotFound: 404,
  CidMismatch: 400,
  RequestExpired: 401,
  RequestReplayed: 409,
  ContractReverted: 409,
  RelayFailed: 502,
  ChainUnavailable: 503,
  NodeUnreachable: 503,
  StorageUnavailable: 503,
  /** A transaction is on chain but the node's index keeps failing to follow it (transient; retried). */
  IndexBehind: 503,
  Internal: 500,
} as const;

type KernelErrors = typeof KERNEL_ERRORS;

/**
 * Every error code and its HTTP status (as a literal type). Slices extend it by declaration merging:
 * `declare module "../../kernel/errors.ts" { interface ErrorCodeRegistry extends RecordsErrors {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- slices extend it (declaration merging)
export interface ErrorCodeRegistry extends KernelErrors {}

/** A stable medchain error code (the kernel's and every slice's). */
export type ErrorCode = keyof ErrorCodeRegistry;

const STATUS = new Map<string, number>(Object.entries(KERNEL_ERRORS));

/** Every code registered so far (the kernel's, plus those of every slice loaded) with its HTTP status. */
export const ERROR_CODES: Readonly<Record<string, number>> = new Proxy(
  {},
  {
    get: (_t, key) => (typeof key === "string" ? STATUS.get(key) : undefined),
    has: (_t, key) => typeof key === "string" && STATUS.has(key),
    ownKeys: () => [...STATUS.keys()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === "string" && STATUS.has(key)
        ? { enumerable: true, configurable: true, value: STATUS.get(key) }
        : undefined,
  },
);

/**
 * Registers a slice's error codes and their HTTP statuses (at import of the slice's `sdk/errors.ts`). A code may be
 * registered twice only with the same status: two slices can never give one code two meanings.
 */
export function defineErrorCodes<const T extends Record<string, number>>(codes: T): T {
  for (const [code, status] of Object.entries(codes)) {
    if (!/^[A-Z][A-Za-z0-9]+$/.test(code)) throw new Error(`error code ${code} is not PascalCase`);
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error(`error code ${code}: ${status} is not an HTTP error status`);
    const known = STATUS.get(code);
    if (known !== undefined && known !== status)
      throw new Error(`error code ${code} is registered with status ${known}, not ${status}`);
    STATUS.set(code, status);
  }
  return codes;
}

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
  /** Stable, documented error code (see {@link ErrorCodeRegistry}). */
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

  /** HTTP status this error maps to (500 for a code whose slice is not loaded here: a bug the node never ships). */
  get status(): number {
    return STATUS.get(this.code) ?? 500;
  }

  /** The JSON shape used by the API (problem+json) and by `--json` CLI output. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.shortMessage }
      : { code: this.code, message: this.shortMessage, details: this.details };
  }
}

/** True when `value` is a registered error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && STATUS.has(value);
}

/**
 * Rebuilds a {@link MedchainError} from its JSON shape (API responses). A client may not have loaded every slice
 * whose codes the node answers with, so any PascalCase code is taken as the node's word.
 */
export function errorFromJSON(body: unknown, fallbackStatus = 500): MedchainError {
  if (typeof body === "object" && body !== null) {
    const b = body as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof b.code === "string" && /^[A-Z][A-Za-z0-9]+$/.test(b.code) && typeof b.message === "string") {
      const details =
        typeof b.details === "object" && b.details !== null ? (b.details as Record<string, unknown>) : undefined;
      const code = b.code as ErrorCode; // the node's registry is the authority on codes
      return new MedchainError(code, b.message, details === undefined ? {} : { details });
    }
  }
  return new MedchainError("Internal", `node answered ${fallbackStatus} without a medchain error`);
}
