/**
 * Scanner output with an AIM symbology identifier (ISO/IEC 15424), as a
 * scanner configured to transmit it sends a GS1 barcode:
 *
 * - `]d2` GS1 DataMatrix, `]Q3` GS1 QR Code, `]J1` GS1 DotCode, `]C1` GS1-128,
 *   `]e0` GS1 DataBar and composites: a raw element string (FNC1 in first
 *   position implied, GS 0x1D separators);
 * - `]d1` DataMatrix, `]Q1` QR Code, `]J0` DotCode with plain data: a GS1
 *   Digital Link URI when the data starts with `http://` or `https://` (either
 *   all lower or all upper case), otherwise plain text (not GS1);
 * - `]E0` EAN-13 / UPC-A and `]E4` EAN-8: the GTIN, optionally followed by a
 *   `|]e0...` composite component.
 *
 * The data after the identifier is decoded into AI elements; an EAN/UPC gives
 * its GTIN as AI (01), padded to 14 digits.
 */
import { parseDigitalLink, type DigitalLinkOptions } from "./digitalLink.ts";
import { hasValidCheckDigit } from "../../../kernel/gs1CheckDigit.ts";
import { parseElementString, toElementString, type AiElement, type ElementStringOptions } from "./elementString.ts";
import { invalidBarcode, invalidGs1 } from "./gs1Errors.ts";

/** Symbologies this module reads, by AIM identifier. */
export const SYMBOLOGIES = {
  "]d2": { name: "GS1 DataMatrix", gs1: true },
  "]d1": { name: "DataMatrix", gs1: false },
  "]Q3": { name: "GS1 QR Code", gs1: true },
  "]Q1": { name: "QR Code", gs1: false },
  "]J1": { name: "GS1 DotCode", gs1: true },
  "]J0": { name: "DotCode", gs1: false },
  "]C1": { name: "GS1-128", gs1: true },
  "]e0": { name: "GS1 DataBar", gs1: true },
  "]E0": { name: "EAN-13", gs1: true },
  "]E4": { name: "EAN-8", gs1: true },
} as const;

/** An AIM symbology identifier this module reads. */
export type AimId = keyof typeof SYMBOLOGIES;

/** Decoded scan data. */
export interface ScanData {
  /** The AIM symbology identifier, e.g. `]d2`. */
  readonly aim: AimId;
  /** The symbology's name, e.g. "GS1 DataMatrix". */
  readonly symbology: string;
  /** `gs1`: AI element string; `digital-link`: a GS1 Digital Link URI in a plain 2D code; `text`: other plain data. */
  readonly kind: "gs1" | "digital-link" | "text";
  /** The AIs carried (empty for `text`). */
  readonly elements: readonly AiElement[];
  /** The data after the symbology identifier, unchanged. */
  readonly data: string;
  /** EAN/UPC only: the digits of the linear symbol (GTIN-13 or GTIN-8). */
  readonly primary?: string;
}

/** Options of {@link decodeScanData}. */
export type ScanDataOptions = ElementStringOptions & DigitalLinkOptions;

function isAimId(s: string): s is AimId {
  return Object.hasOwn(SYMBOLOGIES, s);
}

function decodeEan(aim: "]E0" | "]E4", data: string, options: ScanDataOptions): ScanData {
  const bar = data.indexOf("|");
  const primary = bar < 0 ? data : data.slice(0, bar);
  const length = aim === "]E0" ? 13 : 8;
  if (!/^\d+$/.test(primary) || primary.length !== length) {
    throw invalidGs1(`${SYMBOLOGIES[aim].name} data must be ${length} digits`, { ai: "01", rule: "INVALID_EAN_DATA" });
  }
  if (!hasValidCheckDigit(primary))
    throw invalidGs1("incorrect check digit", { ai: "01", rule: "INCORRECT_CHECK_DIGIT", position: length - 1 });
  const elements: AiElement[] = [{ ai: "01", value: primary.padStart(14, "0") }];
  if (bar >= 0) {
    const composite = data.slice(bar + 1);
    if (!composite.startsWith("]e0"))
      throw invalidBarcode("composite component " + "must start with ]e0", {
        rule: "INVALID_COMPOSITE",
        position: bar + 1,
      });
    elements.push(...parseElementString(composite.slice(3), options));
  }
  return { aim, symbology: SYMBOLOGIES[aim].name, kind: "gs1", elements, data, primary };
}

/**
 * Decodes scanner output that starts with an AIM symbology identifier. Throws
 * `InvalidBarcode` for a missing or unknown identifier or empty GS1 data, and
 * `InvalidGs1` when the GS1 content is invalid.
 */
export function decodeScanData(input: string, options: ScanDataOptions = {}): ScanData {
  const aim = input.slice(0, 3);
  if (!input.startsWith("]") || input.length < 3)
    throw invalidBarcode("no symbology identifier", { rule: "MISSING_SYMBOLOGY_IDENTIFIER", position: 0 });
  if (!isAimId(aim))
    throw invalidBarcode("unsupported " + "symbology identifier", { rule: "UNSUPPORTED_SYMBOLOGY", position: 0 });
  const data = input.slice(3);
  const { name, gs1 } = SYMBOLOGIES[aim];
  if (aim === "]E0" || aim === "]E4") return decodeEan(aim, data, options);
  if (gs1) {
    if (data === "") throw invalidBarcode(`empty ${name} data`, { rule: "EMPTY_GS1_DATA", position: 3 });
    return { aim, symbology: name, kind: "gs1", elements: parseElementString(data, options), data };
  }
  if (/^(https?|HTTPS?):\/\//.test(data)) {
    return { aim, symbology: name, kind: "digital-link", elements: parseDigitalLink(data, options).elements, data };
  }
  return { aim, symbology: name, kind: "text", elements: [], data };
}

/** Symbologies {@link toScanData} can produce. */
export type ScanDataTarget = "]d2" | "]Q3" | "]J1" | "]C1" | "]e0";

/**
 * The scanner output a GS1 2D code or GS1-128 carrying `elements` produces:
 * the AIM identifier followed by the raw element string (GS after each
 * variable-length value that is followed by another AI).
 */
export function toScanData(elements: readonly AiElement[], target: ScanDataTarget): string {
  return target + toElementString(elements);
}
