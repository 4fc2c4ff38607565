/**
 * The GS1 Barcode Syntax Tests ("linters") named by the GS1 Barcode Syntax
 * Dictionary: content rules applied to one component of an AI value (check
 * digits, dates and times, code lists, GS1 Company Prefix position, ...).
 * Each returns undefined when the component passes, else the rule it breaks,
 * named as in the GS1 Syntax Tests (e.g. `ILLEGAL_MONTH`), with the offset of
 * the offending part within the component.
 *
 * Not implemented: `couponcode` and `couponposoffer`, the internal structure of
 * the North American retail coupon AIs (8110, 8112). Those values are still
 * checked for length and character set; medicine identification never uses
 * them.
 */
import { CSET82, hasValidCheckCharacterPair, hasValidCheckDigit } from "../../../kernel/gs1CheckDigit.ts";
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPES, isAidcMediaType } from "./codeLists.ts";
import type { CharSet } from "./aiTable.ts";

/** A broken syntax rule: its GS1 Syntax Test name and where in the component it was found. */
export interface LintFailure {
  /** GS1 Syntax Test result name, e.g. `INCORRECT_CHECK_DIGIT`. */
  readonly rule: string;
  /** Offset of the offending character(s) within the component. */
  readonly offset: number;
}

/** A syntax test over one component. */
export type Linter = (component: string) => LintFailure | undefined;

const fail = (rule: string, offset = 0): LintFailure => ({ rule, offset });

const CSET39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CSET64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function firstNotIn(s: string, allowed: string): number {
  for (let i = 0; i < s.length; i++) if (!allowed.includes(s.charAt(i))) return i;
  return -1;
}

function firstNonDigit(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

const numeric: Linter = (s) => {
  const at = firstNonDigit(s);
  return at < 0 ? undefined : fail("NON_DIGIT_CHARACTER", at);
};

const cset82: Linter = (s) => {
  const at = firstNotIn(s, CSET82);
  return at < 0 ? undefined : fail("INVALID_CSET82_CHARACTER", at);
};

const cset39: Linter = (s) => {
  const at = firstNotIn(s, CSET39);
  return at < 0 ? undefined : fail("INVALID_CSET39_CHARACTER", at);
};

const cset64: Linter = (s) => {
  let len = s.length;
  while (len > 0 && s.charAt(len - 1) === "=") len--;
  const pads = s.length - len;
  if (pads > 2 || (pads > 0 && s.length % 3 !== 0)) return fail("INVALID_CSET64_PADDING", len);
  const at = firstNotIn(s.slice(0, len), CSET64);
  return at < 0 ? undefined : fail("INVALID_CSET64_CHARACTER", at);
};

/** The character-set test of each component type. */
export const CHARSET_LINTERS: Readonly<Record<CharSet, Linter>> = { N: numeric, X: cset82, Y: cset39, Z: cset64 };

const GCP_MIN_LENGTH = 4;

const gcppos1: Linter = (s) => {
  if (s.length < GCP_MIN_LENGTH) return fail("TOO_SHORT_FOR_GCP");
  const at = firstNonDigit(s.slice(0, GCP_MIN_LENGTH));
  return at < 0 ? undefined : fail("INVALID_GCP_PREFIX", at);
};

function twoDigits(s: string, at: number): number {
  return Number(s.slice(at, at + 2));
}

function daysInMonth(year: number, month: number, twoDigitYear: boolean): number {
  if (month === 2) {
    const leap = twoDigitYear ? year % 4 === 0 : (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function dateLinter(yearDigits: 2 | 4, dayZeroAllowed: boolean): Linter {
  return (s) => {
    const year = Number(s.slice(0, yearDigits));
    const month = twoDigits(s, yearDigits);
    const day = twoDigits(s, yearDigits + 2);
    if (month < 1 || month > 12) return fail("ILLEGAL_MONTH", yearDigits);
    if (day === 0 && dayZeroAllowed) return undefined;
    if (day < 1 || day > daysInMonth(year, month, yearDigits === 2)) return fail("ILLEGAL_DAY", yearDigits + 2);
    return undefined;
  };
}

function rangeLinter(max: number, rule: string): Linter {
  return (s) => (Number(s.slice(0, 2)) > max ? fail(rule) : undefined);
}

const hh = rangeLinter(23, "ILLEGAL_HOUR");
const mi = rangeLinter(59, "ILLEGAL_MINUTE");
const ss = rangeLinter(59, "ILLEGAL_SECOND");

const hhmi: Linter = (s) => hh(s) ?? (Number(s.slice(2, 4)) > 59 ? fail("ILLEGAL_MINUTE", 2) : undefined);

function oneOf(allowed: ReadonlySet<string>, rule: string): Linter {
  return (s) => (allowed.has(s) ? undefined : fail(rule));
}

const iban: Linter = (s) => {
  if (s.length < 4) return fail("IBAN_TOO_SHORT");
  if (!ISO3166_ALPHA2.has(s.slice(0, 2))) return fail("ILLEGAL_IBAN_COUNTRY_CODE");
  if (s.length > 34) return fail("IBAN_TOO_LONG");
  if (s.length <= 10) return fail("IBAN_TOO_SHORT");
  let mod = 0;
  const rearranged = s.slice(4) + s.slice(0, 4);
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charAt(i);
    const value = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".indexOf(c);
    if (value < 0) return fail("INVALID_IBAN_CHARACTER", (i + 4) % s.length);
    mod = (mod * (value < 10 ? 10 : 100) + value) % 97;
  }
  return mod === 1 ? undefined : fail("INCORRECT_IBAN_CHECKSUM", 2);
};

const posinseqslash: Linter = (s) => {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (m === null) return fail("POSITION_IN_SEQUENCE_MALFORMED");
  const [, pos = "", end = ""] = m;
  if (pos.startsWith("0")) return fail("ILLEGAL_ZERO_PREFIX");
  if (end.startsWith("0")) return fail("ILLEGAL_ZERO_PREFIX", pos.length + 1);
  return Number(pos) > Number(end) ? fail("POSITION_EXCEEDS_END") : undefined;
};

const pcenc: Linter = (s) => {
  for (let i = 0; i < s.length; i++) {
    if (s.charAt(i) === "%" && !/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3)))
      return fail("INVALID_PERCENT_SEQUENCE", i);
  }
  return undefined;
};

const pieceoftotal: Linter = (s) => {
  const half = s.length / 2;
  const piece = Number(s.slice(0, half));
  const total = Number(s.slice(half));
  if (piece === 0) return fail("ZERO_PIECE_NUMBER");
  if (total === 0) return fail("ZERO_TOTAL_PIECES", half);
  return piece > total ? fail("PIECE_NUMBER_EXCEEDS_TOTAL") : undefined;
};

const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (s) => (hasValidCheckDigit(s) ? undefined : fail("INCORRECT_CHECK_DIGIT", s.length - 1)),
  csumalpha: (s) => {
    if (s.length < 2) return fail("TOO_SHORT_FOR_CHECK_PAIR");
    return hasValidCheckCharacterPair(s) ? undefined : fail("INCORRECT_CHECK_PAIR", s.length - 2);
  },
  gcppos1,
  gcppos2: (s) => {
    const r = gcppos1(s.slice(1));
    return r === undefined ? undefined : { rule: r.rule, offset: r.offset + (r.rule === "TOO_SHORT_FOR_GCP" ? 0 : 1) };
  },
  hasnondigit: (s) => (firstNonDigit(s) < 0 ? fail("REQUIRES_NON_DIGIT_CHARACTER") : undefined),
  hh,
  mi,
  ss,
  hhmi,
  hyphen: (s) => (s === "-" ? undefined : fail("NOT_HYPHEN")),
  iban,
  importeridx: (s) => (s.length === 1 && CSET64.includes(s) ? undefined : fail("INVALID_IMPORT_IDX_CHARACTER")),
  iso3166: oneOf(ISO3166_NUMERIC, "NOT_ISO3166"),
  iso3166999: (s) => (s === "999" || ISO3166_NUMERIC.has(s) ? undefined : fail("NOT_ISO3166_OR_999")),
  iso3166alpha2: oneOf(ISO3166_ALPHA2, "NOT_ISO3166_ALPHA2"),
  iso4217: oneOf(ISO4217_NUMERIC, "NOT_ISO4217"),
  iso5218: (s) => (["0", "1", "2", "9"].includes(s) ? undefined : fail("INVALID_BIOLOGICAL_SEX_CODE")),
  latitude: (s) => (Number(s) > 1800000000 ? fail("INVALID_LATITUDE") : undefined),
  longitude: (s) => (Number(s) > 3600000000 ? fail("INVALID_LONGITUDE") : undefined),
  mediatype: (s) => (isAidcMediaType(s) ? undefined : fail("INVALID_MEDIA_TYPE")),
  nonzero: (s) => (/^0+$/.test(s) ? fail("ILLEGAL_ZERO_VALUE") : undefined),
  nozeroprefix: (s) => (s.length > 1 && s.startsWith("0") ? fail("ILLEGAL_ZERO_PREFIX") : undefined),
  packagetype: oneOf(PACKAGE_TYPES, "INVALID_PACKAGE_TYPE"),
  pcenc,
  pieceoftotal,
  posinseqslash,
  winding: (s) => (["0", "1", "9"].includes(s) ? undefined : fail("INVALID_WINDING_DIRECTION")),
  yesno: (s) => (s === "0" || s === "1" ? undefined : fail("NOT_ZERO_OR_ONE")),
  zero: (s) => (s === "0" ? undefined : fail("NOT_ZERO")),
  yymmd0: dateLinter(2, true),
  yymmdd: dateLinter(2, false),
  yyyymmd0: dateLinter(4, true),
  yyyymmdd: dateLinter(4, false),
  // North American retail coupons: structure not checked (see the module doc).
  couponcode: () => undefined,
  couponposoffer: () => undefined,
};

/** The syntax test called `name` in the GS1 Barcode Syntax Dictionary, if known. */
export function linterNamed(name: string): Linter | undefined {
  return Object.hasOwn(LINTERS, name) ? LINTERS[name] : undefined;
}
