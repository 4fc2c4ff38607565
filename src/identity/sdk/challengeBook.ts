/**
 * Presentation challenges: a verifier hands out a random challenge, the
 * holder signs it into the presentation (`nonce`), and the verifier consumes
 * it exactly once. A second use is `PresentationReplayed`; an unknown or
 * expired challenge is `PresentationChallengeMismatch`.
 */
import { MedchainError } from "../../kernel/errors.ts";
import "./errors.ts";

/** A challenge handed to a holder. */
export interface IssuedChallenge {
  /** 32 random bytes, base64url. */
  challenge: string;
  expiresAt: Date;
}

/** Where challenges live: {@link ChallengeBook} in memory; the node may back it with its database. */
export interface ChallengeStore {
  /** Hands out a fresh challenge. */
  issue(now?: Date): Promise<IssuedChallenge>;
  /**
   * Consumes a challenge once: throws `PresentationReplayed` when already used, `PresentationChallengeMismatch` when
   * unknown or expired.
   */
  consume(challenge: string, now?: Date): Promise<void>;
}

/** Options of {@link ChallengeBook}. */
export interface ChallengeBookOptions {
  /** How long a challenge stays usable (default 5 minutes). */
  ttlMs?: number;
  /** How long a used challenge is remembered so that its reuse reads as a replay (default 24 hours). */
  replayMemoryMs?: number;
  /** At most this many outstanding and remembered challenges each; the oldest are forgotten first (default 100000). */
  maxEntries?: number;
}

function randomChallenge(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * An in-memory {@link ChallengeStore} with a time-to-live (one process; the node may replace it with a DB-backed
 * store).
 */
export class ChallengeBook implements ChallengeStore {
  readonly #ttl: number;
  readonly #memory: number;
  readonly #max: number;
  /** challenge -> expiry (ms) */
  readonly #open = new Map<string, number>();
  /** challenge -> forget-after (ms) */
  readonly #used = new Map<string, number>();

  constructor(options: ChallengeBookOptions = {}) {
    this.#ttl = options.ttlMs ?? 5 * 60_000;
    this.#memory = options.replayMemoryMs ?? 24 * 3_600_000;
    this.#max = options.maxEntries ?? 100_000;
  }

  #prune(map: Map<string, number>, now: number): void {
    for (const [k, t] of map) if (t <= now) map.delete(k);
    while (map.size >= this.#max) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }

  /** {@inheritDoc ChallengeStore.issue} */
  async issue(now: Date = new Date()): Promise<IssuedChallenge> {
    this.#prune(this.#open, now.getTime());
    const challenge = randomChallenge();
    const expiresAt = now.getTime() + this.#ttl;
    this.#open.set(challenge, expiresAt);
    return { challenge, expiresAt: new Date(expiresAt) };
  }

  /** {@inheritDoc ChallengeStore.consume} */
  async consume(challenge: string, now: Date = new Date()): Promise<void> {
    const t = now.getTime();
    const forgetAt = this.#used.get(challenge);
    if (forgetAt !== undefined && forgetAt > t)
      throw new MedchainError("PresentationReplayed", "this presentation's challenge " + "has already been used");
    const expiresAt = this.#open.get(challenge);
    if (expiresAt === undefined)
      throw new MedchainError("PresentationChallengeMismatch", "unknown challenge: " + "ask for a new one");
    this.#open.delete(challenge);
    if (expiresAt <= t)
      throw new MedchainError("PresentationChallengeMismatch", "the challenge has expired: " + "ask for a new one");
    this.#prune(this.#used, t);
    this.#used.set(challenge, t + this.#memory);
  }
}
