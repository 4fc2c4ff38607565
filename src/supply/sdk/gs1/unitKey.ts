/**
 * One entry point for anything a scanner, a label or an EPCIS document gives
 * us: {@link parseScan} accepts scan data with an AIM symbology identifier, a
 * raw element string, the bracketed form, a GS1 Digital Link URI or an EPC
 * URI, and returns the AIs plus ONE canonical key for the identified thing.
 *
 * The canonical key is the canonical GS1 Digital Link URI of the identifier
 * (stem `https://id.gs1.org`, primary key and only the qualifiers that make
 * the identity, values percent-encoded): it is GS1's own canonical,
 * company-prefix-independent form, the form EPCIS 2.0 uses, and it does not
 * need the GS1 Company Prefix length that an `urn:epc:id:sgtin` URN would (a
 * barcode does not tell where the company prefix ends, so a URN key could not
 * be derived from a scan). Keys:
 *
 * | identified | key |
 * |---|---|
 * | serialised unit, GTIN + serial (SGTIN) | `https://id.gs1.org/01/{gtin14}/21/{serial}` |
 * | logistic unit (SSCC) | `https://id.gs1.org/00/{sscc}` |
 * | lot / batch (LGTIN) | `https://id.gs1.org/01/{gtin14}/10/{lot}` |
 * | product class (GTIN only) | `https://id.gs1.org/01/{gtin14}` |
 * | any other primary key | its canonical Digital Link path |
 *
 * Lot, CPV and expiry never enter a unit key, so the same pack gives the same
 * key whether its DataMatrix (with lot and expiry), a Digital Link or an SGTIN
 * URN was read.
 */
import { parseDigitalLink, type DigitalLinkOptions, CANONICAL_DL_STEM, digitalLinkPath } from "./digitalLink.ts";
import { parseBracketed, parseElementString, validateAssociations, GS, type AiElement } from "./elementString.ts";
import { hasValidCheckDigit } from "../../../kernel/gs1CheckDigit.ts";
import { parseEpcUri } from "./epcUrn.ts";
import { invalidBarcode, invalidGs1 } from "./gs1Errors.ts";
import { decodeScanData } from "./scanData.ts";

/** The form a scan was given in. */
export type ScanForm = "scan-data" | "element-string" | "bracketed" | "digital-link" | "epc-uri" | "gtin";

/** What a key identifies. */
export type KeyKind = "unit" | "logistic-unit" | "lot" | "product" | "other";

/** A parsed scan. */
export interface ParsedScan {
  /** The form the input was in. */
  readonly form: ScanForm;
  /** AIM symbology identifier, for scan data. */
  readonly aim?: string;
  /** The AIs in input order. */
  readonly elements: readonly AiElement[];
  /** The AIs by AI (first occurrence). */
  readonly ais: Readonly<Record<string, string>>;
  /** GTIN-14 (AI 01). */
  readonly gtin?: string;
  /** Serial number (AI 21). */
  readonly serial?: string;
  /** Batch / lot (AI 10). */
  readonly lot?: string;
  /** Expiry date as ISO `YYYY-MM-DD` (AI 17, else the date of AI 7003); day 00 means the last day of the month. */
  readonly expiry?: string;
  /** SSCC (AI 00). */
  readonly sscc?: string;
  /** The canonical key (see the module doc). */
  readonly key: string;
  /** What the key identifies. */
  readonly keyKind: KeyKind;
}

/** Options of {@link parseScan}. */
export interface ParseScanOptions extends DigitalLinkOptions {
  /** Check AI associations (a serial needs a GTIN, exclusive AIs, repeats). Default true. */
  associations?: boolean;
  /** Reference date for the GS1 century rule of two-digit years. Default: now. */
  now?: Date;
}

/** Longest input accepted (far above any GS1 carrier's capacity). */
export const MAX_SCAN_LENGTH = 4096;

function uriEscape(value: string): string {
  let out = "";
  for (const c of value)
    out += /^[A-Za-z0-9\-._~]$/.test(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/**
 * The four-digit year of a GS1 two-digit year (GS1 General Specifications
 * 7.12): within the current century unless that puts it more than 49 years
 * ahead (then the previous century) or more than 50 years behind (then the
 * next century).
 */
export function gs1Year(yy: number, now: Date = new Date()): number {
  const current = now.getUTCFullYear();
  const diff = yy - (current % 100);
  const century = current - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/**
 * The ISO date (`YYYY-MM-DD`) of a GS1 `YYMMDD` date. Day `00` means the last
 * day of the month (GS1 General Specifications 3.4.6 to 3.4.9).
 */
export function gs1Date(yymmdd: string, now: Date = new Date()): string {
  if (!/^\d{6}$/.test(yymmdd)) throw invalidGs1("a GS1 date is six digits", { rule: "INVALID_DATE" });
  const year = gs1Year(Number(yymmdd.slice(0, 2)), now);
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) throw invalidGs1("illegal month", { rule: "ILLEGAL_MONTH", position: 2 });
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = last;
  if (day > last) throw invalidGs1("illegal day", { rule: "ILLEGAL_DAY", position: 4 });
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The canonical key of AI data and what it identifies. Throws `InvalidGs1` when the data has no identifying key. */
export function canonicalKey(elements: readonly AiElement[]): { key: string; keyKind: KeyKind } {
  const get = (ai: string): string | undefined => elements.find((e) => e.ai === ai)?.value;
  const gtin = get("01");
  const serial = get("21");
  const sscc = get("00");
  const lot = get("10");
  if (gtin !== undefined && serial !== undefined)
    return { key: `${CANONICAL_DL_STEM}/01/${gtin}/21/${uriEscape(serial)}`, keyKind: "unit" };
  if (sscc !== undefined) return { key: `${CANONICAL_DL_STEM}/00/${sscc}`, keyKind: "logistic-unit" };
  if (gtin !== undefined && lot !== undefined)
    return { key: `${CANONICAL_DL_STEM}/01/${gtin}/10/${uriEscape(lot)}`, keyKind: "lot" };
  if (gtin !== undefined) return { key: `${CANONICAL_DL_STEM}/01/${gtin}`, keyKind: "product" };
  const path = digitalLinkPath(elements);
  if (path === undefined) throw invalidGs1("the data carries no GS1 identification key", { rule: "NO_PRIMARY_KEY" });
  const key = path.map((ai) => `/${ai}/${uriEscape(get(ai) ?? "")}`).join("");
  return { key: CANONICAL_DL_STEM + key, keyKind: "other" };
}

function detect(
  input: string,
  options: ParseScanOptions,
): { form: ScanForm; elements: readonly AiElement[]; aim?: string } {
  if (input.startsWith("]")) {
    const scan = decodeScanData(input, options);
    if (scan.kind === "text") throw invalidBarcode(`${scan.symbology} data is not GS1 data`, { rule: "NOT_GS1_DATA" });
    return { form: "scan-data", elements: scan.elements, aim: scan.aim };
  }
  if (/^urn:epc:/.test(input)) return { form: "epc-uri", elements: parseEpcUri(input).elements };
  if (/^(https?|HTTPS?):\/\//.test(input))
    return { form: "digital-link", elements: parseDigitalLink(input, options).elements };
  if (input.startsWith("(") || input.startsWith("["))
    return { form: "bracketed", elements: parseBracketed(input, options) };
  const raw = input.startsWith(GS) ? input.slice(1) : input;
  // A bare GTIN-8/12/13/14 (a linear barcode read without symbology identifier) can never be a
  // complete element string: every keyed element string is longer, or fails its check digit.
  if (/^(\d{8}|\d{12,14})$/.test(raw) && hasValidCheckDigit(raw))
    return { form: "gtin", elements: [{ ai: "01", value: raw.padStart(14, "0") }] };
  if (/^\d/.test(raw)) return { form: "element-string", elements: parseElementString(raw, options) };
  throw invalidBarcode("not a GS1 barcode, Digital Link or EPC URI", { rule: "UNRECOGNISED_FORM" });
}

/**
 * Parses any supported form into AIs and the canonical key:
 * - scan data with an AIM identifier (`]d2`, `]Q3`, `]J1`, `]C1`, `]e0`,
 *   `]E0`/`]E4`, and `]d1`/`]Q1`/`]J0` carrying a Digital Link URI);
 * - a raw element string without identifier (GS separators; one leading GS,
 *   sent by some scanners for FNC1 in first position, is ignored);
 * - the bracketed form `(01)...(21)...`;
 * - a GS1 Digital Link URI (GTIN-8/12/13 in it are accepted and padded, as
 *   the Digital Link 1.2 grammar allows, unless `permitZeroSuppressedGtin` is
 *   false);
 * - a bare GTIN-8/12/13/14 with a valid check digit (a linear barcode read
 *   without symbology identifier);
 * - an EPC URI (`urn:epc:id:...`, `urn:epc:class:lgtin:...`, `urn:epc:idpat:...:*`).
 *
 * Throws `InvalidBarcode` (not recognisable as any of these) or `InvalidGs1`
 * (recognised but invalid: check digit, length, character set, date, AI
 * association), with `details` naming the AI and the rule.
 */
export function parseScan(input: string, options: ParseScanOptions = {}): ParsedScan {
  if (input.length === 0) throw invalidBarcode("empty scan", { rule: "EMPTY_INPUT" });
  if (input.length > MAX_SCAN_LENGTH) throw invalidBarcode("scan is too long", { rule: "INPUT_TOO_LONG" });
  const { form, elements, aim } = detect(input, { permitZeroSuppressedGtin: true, ...options });
  if (options.associations !== false) validateAssociations(elements);
  const ais: Record<string, string> = {};
  for (const e of elements) if (!Object.hasOwn(ais, e.ai)) ais[e.ai] = e.value;
  const now = options.now ?? new Date();
  const expiryRaw = ais["17"] ?? ais["7003"]?.slice(0, 6);
  const { key, keyKind } = canonicalKey(elements);
  return {
    form,
    ...(aim === undefined ? {} : { aim }),
    elements,
    ais,
    ...(ais["01"] === undefined ? {} : { gtin: ais["01"] }),
    ...(ais["21"] === undefined ? {} : { serial: ais["21"] }),
    ...(ais["10"] === undefined ? {} : { lot: ais["10"] }),
    ...(expiryRaw === undefined ? {} : { expiry: gs1Date(expiryRaw, now) }),
    ...(ais["00"] === undefined ? {} : { sscc: ais["00"] }),
    key,
    keyKind,
  };
}
