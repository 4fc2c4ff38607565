/**
 * The indexer's one failure policy, shared by every handler:
 *
 * - content an author supplied (a manifest, an EPCIS document) that is malformed is *refused*: the handler throws
 *   {@link MalformedContent}, the core rolls back that one event's writes, records the refusal with its reason
 *   (`indexer_refusals`) and indexing goes on. The same bytes give the same refusal on every replay.
 * - anything else (RPC error, blob store unavailable, database error, a bug) is *transient*: the whole range is
 *   retried with a capped exponential backoff, never recorded as a refusal; `/health` says `degraded` while it lasts.
 */
import { MedchainError } from "../kernel/errors.ts";

/** An author's content that can never be indexed (the same bytes always fail): the event is refused, with a reason. */
export class MalformedContent extends Error {
  override readonly name = "MalformedContent";
  /** Stable reason code recorded with the refusal (e.g. `InvalidManifest`, `InvalidEpcis`, `IntegrityError`). */
  readonly reason: string;

  constructor(reason: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
  }

  /** The refusal a {@link MedchainError} raised while validating author content stands for (its code is the reason). */
  static of(err: MedchainError): MalformedContent {
    return new MalformedContent(err.code, err.shortMessage, { cause: err });
  }
}

/** True when `err` is a refusal of malformed content; every other error is transient and retried. */
export function isMalformedContent(err: unknown): err is MalformedContent {
  return err instanceof MalformedContent;
}

/** Backoff of the indexer's retries of transient faults. */
export interface RetryPolicy {
  /** Delay before the first retry, in ms (default 250). */
  baseMs: number;
  /** Longest delay between two retries, in ms (default 10 000). */
  maxMs: number;
}

/** The default {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 250, maxMs: 10_000 };

/**
 * Delay before retry number `attempt` (1 = the first retry after one failure): `baseMs * 2^(attempt-1)`, capped at
 * `maxMs`; never negative, never above the cap however many attempts failed.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const base = Math.max(0, policy.baseMs);
  const cap = Math.max(base, policy.maxMs);
  if (!Number.isFinite(attempt) || attempt <= 1) return Math.min(base, cap);
  const exponent = Math.min(attempt - 1, 52); // beyond this 2^n is not exact, and every delay is capped long before
  return Math.min(cap, base * 2 ** exponent);
}

/** A short, non-sensitive description of a transient fault for logs and `/health` (its code or its class). */
export function faultLabel(err: unknown): string {
  if (err instanceof MedchainError) return err.code;
  if (err instanceof Error) return err.name;
  return typeof err;
}
