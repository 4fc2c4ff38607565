/**
 * GS1 check digits: the modulo-10 check digit of the numeric keys (GTIN,
 * SSCC, GLN, GRAI, GDTI, GSRN, GSIN, GCN, ...) and the modulo-1021 check
 * character pair of the alphanumeric keys (GMN, AI 8013; MUDI, AI 8014),
 * both as defined in the GS1 General Specifications (section 7.9).
 */

const DIGITS = /^\d+$/;

/**
 * The modulo-10 check digit for `body` (all digits, without the check digit):
 * weights 3 and 1 alternate from the right, starting with 3.
 */
export function gs1CheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new TypeError("gs1CheckDigit: body must be digits");
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += weight * (body.charCodeAt(i) - 48);
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the GS1 modulo-10 check digit of the others. */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** `body` followed by its GS1 modulo-10 check digit. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** GS1 AI encodable character set 82, in the order that gives each character its value (0-81). */
export const CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/** The 32 characters of a check character pair. */
const CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83] as const;

/**
 * The check character pair for `body` (CSET 82 characters, at most 23, without
 * the pair): each character's CSET 82 value is weighted by a prime, the primes
 * increasing from the right-hand end (2, 3, 5, ...), the sum is taken modulo
 * 1021 and written as two CSET 32 characters. Returns undefined when `body`
 * holds a character outside CSET 82 or is too long.
 */
export function checkCharacterPair(body: string): string | undefined {
  if (body.length > PRIMES.length) return undefined;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = CSET82.indexOf(body.charAt(i));
    const weight = PRIMES[body.length - 1 - i];
    if (value < 0 || weight === undefined) return undefined;
    sum += value * weight;
  }
  sum %= 1021;
  return CSET32.charAt(Math.floor(sum / 32)) + CSET32.charAt(sum % 32);
}

/** True when `value` ends with the check character pair of the characters before it. */
export function hasValidCheckCharacterPair(value: string): boolean {
  return value.length >= 2 && checkCharacterPair(value.slice(0, -2)) === value.slice(-2);
}
