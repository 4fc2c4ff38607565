/**
 * GS1 Digital Link URIs (uncompressed form, GS1 Digital Link 1.2 / URI
 * syntax 1.4): parsing into AI elements and generating the canonical URI.
 *
 * A URI is `scheme://domain[/stem...]/{primary key AI}/{value}[/{qualifier
 * AI}/{value}...][?{AI}={value}&...][#fragment]`. The primary key is the
 * rightmost `/AI/value` pair that is a Digital Link primary key; qualifiers
 * must follow one of the key's qualifier sequences in order; query parameters
 * with numeric keys are data attributes (AIs that the dictionary allows as
 * attributes, each at most once, never one that belongs in the path), other
 * parameters are ignored. Values are percent-decoded (`+` is a space in the
 * query only) and then validated like any AI value.
 *
 * Compressed Digital Link URIs are not supported: they are recognised and
 * refused with `InvalidBarcode` (rule `COMPRESSED_DL_UNSUPPORTED`).
 * Legacy GS1 Digital Link 1.x forms are accepted only when asked for, see
 * {@link DigitalLinkOptions} and {@link DL_LEGACY_OPTIONS}.
 */
import { lookupAi, type AiEntry, type AiLookupOptions } from "./aiTable.ts";
import { checkAiValue, requireAi, type AiElement } from "./elementString.ts";
import { invalidBarcode, invalidGs1 } from "./gs1Errors.ts";

/** Options of the Digital Link parser and generator. */
export interface DigitalLinkOptions extends AiLookupOptions {
  /** Accept the deprecated convenience alphas of Digital Link 1.0 (`/gtin/`, `/ser/`, `/lot/`, ...). Default false. */
  permitConvenienceAlphas?: boolean;
  /** Accept GTIN-8, -12 and -13 for AI (01) and pad them to GTIN-14 (legacy URIs). Default false. */
  permitZeroSuppressedGtin?: boolean;
  /** Accept key qualifiers in any order and put them in the standard order. Default false. */
  permitUnorderedQualifiers?: boolean;
  /** Tolerate one trailing `/` after the path. Default false. */
  permitTrailingSlash?: boolean;
  /** With `permitUnknownAis`: also accept unknown AIs as data attributes. Default false. */
  permitUnknownAiAttributes?: boolean;
}

/** Options for legacy GS1 Digital Link 1.x URIs as older tools wrote them. */
export const DL_LEGACY_OPTIONS: Readonly<DigitalLinkOptions> = {
  permitConvenienceAlphas: true,
  permitZeroSuppressedGtin: true,
  permitUnorderedQualifiers: true,
  permitTrailingSlash: true,
};

/** The canonical GS1 Digital Link URI stem, GS1's resolver. */
export const CANONICAL_DL_STEM = "https://id.gs1.org";

/** A parsed Digital Link URI. */
export interface DigitalLink {
  /** Everything before the primary key (scheme, domain, custom path), e.g. `https://example.com/some/path`. */
  readonly stem: string;
  /** The primary key AI (e.g. `01`). */
  readonly primaryKey: string;
  /** The AIs in URI order: path (key, then qualifiers) then query data attributes. */
  readonly elements: readonly AiElement[];
  /** How many of `elements` come from the path. */
  readonly pathLength: number;
}

const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_DOMAIN_CHARS = /[_~?#@!$&'()*+,;=%]/;

const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: "8010",
  cpsn: "8011",
  cpv: "22",
  gcn: "255",
  gdti: "253",
  giai: "8004",
  ginc: "401",
  gln: "414",
  glnx: "254",
  gmn: "8013",
  grai: "8003",
  gsin: "402",
  gsrn: "8018",
  gsrnp: "8017",
  gtin: "01",
  itip: "8006",
  lot: "10",
  party: "417",
  refno: "8020",
  ser: "21",
  srin: "8019",
  sscc: "00",
};

function isPrimaryKey(entry: AiEntry | undefined): boolean {
  return entry?.dlQualifiers !== undefined;
}

function pathAi(segment: string, options: DigitalLinkOptions): AiEntry | undefined {
  if (options.permitConvenienceAlphas === true && /^[a-z]{3,5}$/.test(segment)) {
    const ai = CONVENIENCE_ALPHAS[segment];
    if (ai !== undefined) return lookupAi(ai);
  }
  return lookupAi(segment, options);
}

function percentDecode(s: string, query: boolean, ai: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const hex = s.slice(i + 1, i + 3);
    if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      const code = parseInt(hex, 16);
      if (code === 0) throw invalidGs1(`AI (${ai}) value holds a NUL character`, { ai, rule: "ILLEGAL_NUL" });
      out += String.fromCharCode(code);
      i += 2;
    } else out += query && c === "+" ? " " : c;
  }
  return out;
}

function padGtin(entry: AiEntry, value: string, options: DigitalLinkOptions): string {
  if (entry.ai === "01" && options.permitZeroSuppressedGtin === true && [8, 12, 13].includes(value.length))
    return value.padStart(14, "0");
  return value;
}

/** The valid qualifier sequences of a primary key, each as the full ordered list. */
function qualifierSequences(key: string): readonly (readonly string[])[] {
  return lookupAi(key)?.dlQualifiers ?? [];
}

/** True when `qualifiers` (in order) is an order-preserving selection from one of the key's sequences. */
function isValidPath(key: string, qualifiers: readonly string[]): boolean {
  return qualifierSequences(key).some((seq) => {
    let i = 0;
    for (const q of qualifiers) {
      while (i < seq.length && seq[i] !== q) i++;
      if (i === seq.length) return false;
      i++;
    }
    return true;
  });
}

/** Reorders qualifiers into a standard sequence that contains them all, if there is one. */
function standardOrder(key: string, qualifiers: readonly string[]): string[] | undefined {
  for (const seq of qualifierSequences(key)) {
    if (qualifiers.every((q) => seq.includes(q)) && new Set(qualifiers).size === qualifiers.length) {
      return seq.filter((q) => qualifiers.includes(q));
    }
  }
  return undefined;
}

/**
 * True when `uri` looks like a compressed GS1 Digital Link URI: an http(s) URI
 * whose last path segment is a long base64url string and that carries no
 * uncompressed primary key.
 */
export function isCompressedDigitalLink(uri: string): boolean {
  const m = /^https?:\/\/[^/?#]+(\/[^?#]*)/i.exec(uri);
  if (m === null) return false;
  const segments = (m[1] ?? "").split("/");
  const last = segments[segments.length - 1] ?? "";
  if (!/^[A-Za-z0-9_-]{10,}$/.test(last) || !/[a-z]/.test(last) || !/[A-Z]/.test(last)) return false;
  return !segments.some((s) => isPrimaryKey(lookupAi(s)) || Object.hasOwn(CONVENIENCE_ALPHAS, s));
}

/**
 * Parses an uncompressed GS1 Digital Link URI. Throws `InvalidBarcode` when
 * the input is not a Digital Link URI at all (bad scheme or characters, no
 * primary key, compressed form) and `InvalidGs1` when it is one but its AIs
 * or values are invalid.
 */
export function parseDigitalLink(uri: string, options: DigitalLinkOptions = {}): DigitalLink {
  if (!URI_CHARS.test(uri))
    throw invalidBarcode("URI holds characters that " + "are not allowed in a URI", { rule: "ILLEGAL_URI_CHARACTER" });
  const scheme = /^(https?):\/\//.exec(uri) ?? /^(HTTPS?):\/\//.exec(uri);
  if (scheme === null) throw invalidBarcode("not an http(s) URI", { rule: "ILLEGAL_URI_SCHEME", position: 0 });
  const afterScheme = uri.slice(scheme[0].length);
  const slash = afterScheme.indexOf("/");
  if (slash < 1) throw invalidBarcode("URI has no domain and path", { rule: "MISSING_DOMAIN_OR_PATH" });
  if (BAD_DOMAIN_CHARS.test(afterScheme.slice(0, slash)))
    throw invalidBarcode("URI domain holds " + "illegal characters", { rule: "ILLEGAL_DOMAIN_CHARACTER" });
  const domainEnd = scheme[0].length + slash;
  let rest = uri.slice(domainEnd);
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf("?");
  let path = question >= 0 ? rest.slice(0, question) : rest;
  const query = question >= 0 ? rest.slice(question + 1) : "";
  if (options.permitTrailingSlash === true && path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);

  // Walk back over /AI/value pairs to the rightmost primary key.
  const segments = path.split("/"); // segments[0] is "" (path starts with "/")
  let root = -1;
  for (let i = segments.length - 2; i >= 1; i -= 2) {
    const entry = pathAi(segments[i] ?? "", options);
    if (entry === undefined) break;
    if (isPrimaryKey(entry)) {
      root = i;
      break;
    }
  }
  if (root < 0) {
    if (isCompressedDigitalLink(uri))
      throw invalidBarcode("compressed GS1 Digital Link " + "URIs are not supported", {
        rule: "COMPRESSED_DL_UNSUPPORTED",
      });
    throw invalidBarcode("URI carries no GS1 Digital Link primary key", { rule: "NO_PRIMARY_KEY" });
  }

  const elements: AiElement[] = [];
  for (let i = root; i < segments.length; i += 2) {
    const entry = pathAi(segments[i] ?? "", options);
    if (entry === undefined) throw invalidGs1("unknown AI in the URI path", { rule: "UNKNOWN_AI" });
    const raw = segments[i + 1] ?? "";
    if (raw === "") throw invalidGs1(`AI (${entry.ai}) has an empty value`, { ai: entry.ai, rule: "EMPTY_VALUE" });
    const value = padGtin(entry, percentDecode(raw, false, entry.ai), options);
    checkAiValue(entry, value);
    elements.push({ ai: entry.ai, value });
  }
  const key = elements[0]?.ai ?? "";
  let qualifiers = elements.slice(1).map((e) => e.ai);
  if (!isValidPath(key, qualifiers)) {
    const reordered = options.permitUnorderedQualifiers === true ? standardOrder(key, qualifiers) : undefined;
    if (reordered === undefined)
      throw invalidGs1(`invalid key qualifiers for AI (${key}) in the URI path`, {
        ai: key,
        rule: "INVALID_KEY_QUALIFIER_SEQUENCE",
      });
    const byAi = new Map(elements.slice(1).map((e) => [e.ai, e]));
    elements.splice(1, elements.length - 1, ...reordered.map((ai) => byAi.get(ai) as AiElement));
    qualifiers = reordered;
  }
  const pathLength = elements.length;

  for (const param of query.split("&")) {
    const eq = param.indexOf("=");
    if (param === "" || eq < 0) continue; // separators and singletons carry no AI
    const name = param.slice(0, eq);
    if (!/^\d+$/.test(name)) continue; // non-AI parameters (e.g. linkType) are ignored
    const entry = requireAi(name, options);
    const raw = param.slice(eq + 1);
    if (raw === "") throw invalidGs1(`AI (${entry.ai}) has an empty value`, { ai: entry.ai, rule: "EMPTY_VALUE" });
    const value = padGtin(entry, percentDecode(raw, true, entry.ai), options);
    checkAiValue(entry, value);
    if (elements.some((e) => e.ai === entry.ai))
      throw invalidGs1(`AI (${entry.ai}) appears twice in the URI`, { ai: entry.ai, rule: "DUPLICATE_AI" });
    if (!entry.dlAttribute || (entry.unknown && options.permitUnknownAiAttributes !== true)) {
      throw invalidGs1(`AI (${entry.ai}) is not a Digital Link data attribute`, {
        ai: entry.ai,
        rule: "NOT_A_DATA_ATTRIBUTE",
      });
    }
    for (let j = 0; j <= qualifiers.length; j++) {
      const trial = [...qualifiers.slice(0, j), entry.ai, ...qualifiers.slice(j)];
      if (isValidPath(key, trial)) {
        throw invalidGs1(`AI (${entry.ai}) belongs in the URI path`, { ai: entry.ai, rule: "AI_SHOULD_BE_IN_PATH" });
      }
    }
    elements.push({ ai: entry.ai, value });
  }
  return { stem: uri.slice(0, domainEnd) + segments.slice(0, root).join("/"), primaryKey: key, elements, pathLength };
}

function uriEscape(value: string, query: boolean): string {
  let out = "";
  for (const c of value) {
    if (/^[A-Za-z0-9\-._~]$/.test(c)) out += c;
    else if (c === " " && query) out += "+";
    else out += `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The primary key AI, path AIs (key then qualifiers, in order) of the Digital Link for `elements`, or undefined without
 * a key.
 */
export function digitalLinkPath(elements: readonly AiElement[]): string[] | undefined {
  const key = elements.find((e) => isPrimaryKey(lookupAi(e.ai)))?.ai;
  if (key === undefined) return undefined;
  let best: readonly string[] = [];
  let bestCount = 0;
  for (const seq of qualifierSequences(key)) {
    const count = seq.filter((q) => elements.some((e) => e.ai === q)).length;
    if (count > bestCount) {
      best = seq;
      bestCount = count;
    }
  }
  return [key, ...best.filter((q) => elements.some((e) => e.ai === q))];
}

/**
 * The GS1 Digital Link URI for `elements` (validated AI data): the first
 * primary key and the qualifier sequence that uses most of the data in the
 * path, every other AI as a query attribute (fixed-length AIs first, each AI
 * once). `stem` defaults to `https://id.gs1.org`, giving the canonical URI.
 * Throws `InvalidGs1` when there is no primary key or an AI cannot be an
 * attribute.
 */
export function toDigitalLink(
  elements: readonly AiElement[],
  stem: string = CANONICAL_DL_STEM,
  options: DigitalLinkOptions = {},
): string {
  const path = digitalLinkPath(elements);
  if (path === undefined) throw invalidGs1("no GS1 Digital Link primary key in the data", { rule: "NO_PRIMARY_KEY" });
  let uri = stem.endsWith("/") ? stem.slice(0, -1) : stem;
  for (const ai of path) {
    const e = elements.find((x) => x.ai === ai) as AiElement;
    uri += `/${ai}/${uriEscape(e.value, false)}`;
  }
  const attributes: string[] = [];
  const emitted = new Set(path);
  for (const fixedPass of [true, false]) {
    for (const e of elements) {
      const entry = lookupAi(e.ai, { permitUnknownAis: true });
      if (entry === undefined || emitted.has(e.ai) || entry.fnc1 === fixedPass) continue;
      if (!entry.dlAttribute || (entry.unknown && options.permitUnknownAiAttributes !== true)) {
        throw invalidGs1(`AI (${e.ai}) is not a Digital Link data attribute`, {
          ai: e.ai,
          rule: "NOT_A_DATA_ATTRIBUTE",
        });
      }
      emitted.add(e.ai);
      attributes.push(`${e.ai}=${uriEscape(e.value, true)}`);
    }
  }
  return attributes.length === 0 ? uri : `${uri}?${attributes.join("&")}`;
}
