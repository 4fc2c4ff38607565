/**
 * The trust questions a credential verifier asks: was the issuer accredited
 * for this credential type when it issued, and has the credential been
 * revoked? The node answers them from the chain (TrustRegistry, revocation
 * registry); {@link StaticTrust} answers them from memory, for tests and
 * offline use.
 */
import { getAddress, type Address, type Hex } from "viem";

/** What a verifier asks of the trust registry. */
export interface TrustPort {
  /** True when `issuer` was accredited for credential type `typeId` at time `at`. */
  isAccredited(issuer: Address, typeId: Hex, at: Date): Promise<boolean>;
  /** True when credential `credentialId` (keccak256 of its id) has been revoked. */
  isRevoked(credentialId: Hex): Promise<boolean>;
}

interface Window {
  from: number;
  until: number;
}

/**
 * An in-memory {@link TrustPort} for tests and offline use (never the
 * node's source of truth, which is the chain): accreditation windows per
 * issuer and type, and a set of revoked credential ids.
 */
export class StaticTrust implements TrustPort {
  readonly #windows = new Map<string, Window[]>();
  readonly #revoked = new Set<string>();

  #key(issuer: Address, typeId: Hex): string {
    return `${getAddress(issuer)}/${typeId.toLowerCase()}`;
  }

  /** Accredits `issuer` for `typeId` from `from` (default: the epoch) until `until` (default: open-ended). */
  accredit(issuer: Address, typeId: Hex, from: Date = new Date(0), until?: Date): this {
    const k = this.#key(issuer, typeId);
    this.#windows.set(k, [
      ...(this.#windows.get(k) ?? []),
      { from: from.getTime(), until: until?.getTime() ?? Number.POSITIVE_INFINITY },
    ]);
    return this;
  }

  /**
   * Ends every open accreditation of `issuer` for `typeId` at `at` (credentials issued before stay
   * accredited-at-issuance).
   */
  deaccredit(issuer: Address, typeId: Hex, at: Date = new Date()): this {
    const k = this.#key(issuer, typeId);
    this.#windows.set(
      k,
      (this.#windows.get(k) ?? []).map((w) => (w.until > at.getTime() ? { ...w, until: at.getTime() } : w)),
    );
    return this;
  }

  /** Marks a credential revoked. */
  revoke(credentialId: Hex): this {
    this.#revoked.add(credentialId.toLowerCase());
    return this;
  }

  /** {@inheritDoc TrustPort.isAccredited} */
  async isAccredited(issuer: Address, typeId: Hex, at: Date): Promise<boolean> {
    const t = at.getTime();
    return (this.#windows.get(this.#key(issuer, typeId)) ?? []).some((w) => w.from <= t && t < w.until);
  }

  /** {@inheritDoc TrustPort.isRevoked} */
  async isRevoked(credentialId: Hex): Promise<boolean> {
    return this.#revoked.has(credentialId.toLowerCase());
  }
}
