/**
 * Purposes of use a grant may carry: HL7 v3 PurposeOfUse codes (code system
 * v3-ActReason), each one bit of the on-chain `purposes` bitmask. Codes are
 * matched exactly: the v3 hierarchy (ETREAT is a kind of TREAT) is not
 * applied, so a grant for TREAT does not cover ETREAT and vice versa.
 */
import { MedchainError } from "./errors.ts";

/** Purpose codes; the value is the bit index in the on-chain `purposes` bitmask. */
export const PURPOSE = {
  TREAT: 0,
  ETREAT: 1,
  HPAYMT: 2,
  HOPERAT: 3,
  HRESCH: 4,
  PATRQT: 5,
  FAMRQT: 6,
  PUBHLTH: 7,
  CAREMGT: 8,
  CLINTRCH: 9,
  COVERAGE: 10,
} as const;

/** A purpose-of-use code medchain can put in a grant. */
export type PurposeCode = keyof typeof PURPOSE;

/** Every purpose code, in bit order. */
export const PURPOSE_CODES: readonly PurposeCode[] = (Object.keys(PURPOSE) as PurposeCode[]).sort(
  (a, b) => PURPOSE[a] - PURPOSE[b],
);

/** The code system of purposes of use (R4 terminology server URL). */
export const PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

/** The pre-R4 URL of the same code system, still found in older examples; accepted on input, never written. */
export const LEGACY_PURPOSE_SYSTEM = "http://hl7.org/fhir/v3/ActReason";

const ALL_BITS = PURPOSE_CODES.reduce((m, c) => m | (1 << PURPOSE[c]), 0);

/** True when `code` is a purpose code medchain knows. */
export function isPurposeCode(code: unknown): code is PurposeCode {
  return typeof code === "string" && Object.hasOwn(PURPOSE, code);
}

/** True when `system` names the v3-ActReason code system (current or legacy URL). */
export function isPurposeSystem(system: unknown): boolean {
  return system === PURPOSE_SYSTEM || system === LEGACY_PURPOSE_SYSTEM;
}

/** The purpose code of a coding, or undefined when the system is not v3-ActReason or the code has no bit. */
export function purposeFromCoding(system: string | undefined, code: string | undefined): PurposeCode | undefined {
  return isPurposeSystem(system) && isPurposeCode(code) ? code : undefined;
}

/**
 * Parses one purpose-of-use coding. Throws `InvalidInput` (details: the
 * system and code, which are terminology, never patient data) when the
 * system is not v3-ActReason or the code has no bit on chain.
 */
export function parsePurpose(system: string | undefined, code: string | undefined): PurposeCode {
  const p = purposeFromCoding(system, code);
  if (p !== undefined) return p;
  const details = { system: system ?? null, code: code ?? null };
  if (!isPurposeSystem(system)) {
    throw new MedchainError("InvalidInput", `purpose coding is not from ${PURPOSE_SYSTEM}`, { details });
  }
  throw new MedchainError(
    "InvalidInput",
    `purpose of use ${String(code)} is not one medchain grants (known: ${PURPOSE_CODES.join(", ")})`,
    { details },
  );
}

/** Bitmask of a set of purposes (as stored on chain). */
export function purposeMask(codes: Iterable<PurposeCode>): number {
  let mask = 0;
  for (const c of codes) {
    if (!isPurposeCode(c))
      throw new MedchainError("InvalidInput", "unknown purpose code", { details: { code: String(c) } });
    mask |= 1 << PURPOSE[c];
  }
  return mask >>> 0;
}

/**
 * The purpose codes in a bitmask, in bit order. Throws `InvalidInput` when
 * the mask is not a uint32 or sets a bit no purpose code has (dropping it
 * would silently change the grant).
 */
export function purposesOfMask(mask: number): PurposeCode[] {
  if (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff) {
    throw new MedchainError("InvalidInput", "purposes mask must be an unsigned 32-bit integer", { details: { mask } });
  }
  if ((mask & ~ALL_BITS) >>> 0 !== 0) {
    throw new MedchainError("InvalidInput", "purposes mask sets a bit no purpose code has", { details: { mask } });
  }
  return PURPOSE_CODES.filter((c) => (mask >>> PURPOSE[c]) & 1);
}

/** Sorts and deduplicates purpose codes into bit order. */
export function sortPurposes(codes: Iterable<PurposeCode>): PurposeCode[] {
  return purposesOfMask(purposeMask(codes));
}
