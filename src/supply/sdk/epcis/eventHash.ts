/**
 * The CBV 2.0 EPCIS event hash ("EPCIS Event Hash ID", CBV 2.0 §8.9):
 * `ni:///sha-256;<hex>?ver=CBV2.0`, the SHA-256 of a canonical *pre-hash
 * string* of the event, so that the same event hashes the same in JSON-LD or
 * XML, whatever the key order, list order, time zone or identifier form
 * (EPC URN, Digital Link on any domain, CBV URN / Web URI / bare word).
 *
 * Pre-hash rules (CBV 2.0 §8.9.2, as implemented by GS1's reference
 * implementation, RalphTro/epcis-event-hash-generator, whose published
 * vectors the tests check):
 * - `eventType=` first, then the standard fields in the canonical property
 *   order (`eventTime`, `eventTimeZoneOffset`, `epcList`, `parentID`,
 *   `inputEPCList`, `childEPCs`, the quantity lists, `outputEPCList`, ...,
 *   `bizTransactionList`, `sourceList`, `destinationList`,
 *   `sensorElementList`), each `key=value`, no separators;
 * - list members sorted (by code point), `type=` before the value in
 *   business transactions / sources / destinations;
 * - timestamps in UTC with milliseconds (rounded half-up), numbers without
 *   trailing zeros, CBV URNs and bare words as CBV Web URIs, CURIEs expanded,
 *   EPC URIs and Digital Links as constrained canonical Digital Links;
 * - then the ILMD, then user extensions inside standard fields (prefixed with
 *   the field name), then event-level user extensions, each as
 *   `{namespace}localName=value`, sorted;
 * - `eventID`, `recordTime`, `errorDeclaration` and `certificationInfo` are
 *   not part of the hash.
 *
 * Conformance: equal to the reference implementation on all its CBV2.0
 * vectors we test (see test/supply/epcisEventHash.test.ts). Known differences
 * in corner cases the vectors do not cover:
 * - bare CBV / GS1 words are expanded only in the fields that carry those
 *   vocabularies (the reference expands the document with JSON-LD and then
 *   also rewrites any other value equal to a term used elsewhere);
 * - JSON `null` is omitted (the reference writes Python's `None`); integral
 *   JSON floats of 1e16 and more print as plain integers (Python: `1E+16`);
 * - timestamps without a UTC offset are read as UTC (the reference uses the
 *   machine's time zone; the schema requires offsets anyway);
 * - XML is hashed through its JSON-LD reading (`xml12.ts`), so attributes of
 *   user extension elements do not count;
 * - the `gs1:` namespace is written `https://ref.gs1.org/voc/` (the current
 *   EPCIS context, as the reference does), `cbvmda:` keys as
 *   `{urn:epcglobal:cbv:mda}` (its XML namespace).
 *
 * Pure and isomorphic (SHA-256 from viem/@noble).
 */
import { sha256, stringToBytes } from "viem";
import { canonicalDigitalLink } from "./canonicalDigitalLink.ts";
import type { EpcisDocument, EpcisEvent } from "./types.ts";
import { epcisEvents } from "./types.ts";
import {
  CBV_COMPONENTS,
  CBV_FORMS,
  GS1_MEASUREMENT_TYPES,
  GS1_SENSOR_ALERTS,
  type CbvVocabulary,
} from "./vocabulary.ts";

/** The algorithm version this module implements, as written in the hash URI. */
export const EVENT_HASH_VERSION = "CBV2.0";

/** GS1 Web Vocabulary namespace as the event hash writes it (the current EPCIS context's `gs1` prefix). */
const GS1_VOC = "https://ref.gs1.org/voc/";

/** Namespaces for keys/values when the document does not declare the prefix inline. */
const HASH_STANDARD_PREFIXES: Readonly<Record<string, string>> = {
  epcis: "https://ref.gs1.org/epcis/",
  cbv: "https://ref.gs1.org/cbv/",
  gs1: GS1_VOC,
  // The XML namespace of CBV master data attributes (EPCIS 1.2 / the reference hash), without the JSON-LD trailing
  // colon.
  cbvmda: "urn:epcglobal:cbv:mda",
};
/** Standard prefixes whose CURIEs are expanded in values (CBV 2.0 §8.9.2 rule 15). */
const VALUE_CURIE_PREFIXES = new Set(["gs1", "cbv", "epcis"]);

/** The namespaces used to hash one document's events (prefix → namespace IRI). */
export type HashNamespaces = ReadonlyMap<string, string>;

/** The namespace map for hashing events of a document with this `@context`. */
export function hashNamespaces(context: unknown): HashNamespaces {
  const out = new Map<string, string>(Object.entries(HASH_STANDARD_PREFIXES));
  const items = Array.isArray(context) ? context : [context];
  for (const item of items) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
    for (const [term, value] of Object.entries(item as Record<string, unknown>)) {
      if (term.startsWith("@") || term.includes(":")) continue;
      if (typeof value === "string") out.set(term, value);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The event as a tree of (name, value, children), the shape the algorithm is
// defined on (it is XML's shape: JSON lists become repeated elements).

interface HNode {
  name: string;
  value: string;
  children: HNode[];
  /** A (type, value) pair of bizTransactionList / sourceList / destinationList. */
  pair?: true;
}

const leaf = (name: string, value: string): HNode => ({ name, value, children: [] });

/** Keys that never enter the hash (annotations and the excluded fields). */
const DROPPED_KEYS = new Set([
  "type",
  "@context",
  "eventID",
  "recordTime",
  "errorDeclaration",
  "certificationInfo",
  "rdfs:comment",
  "comment",
  "#text",
]);
const NESTED_DROPPED = new Set(["rdfs:comment", "comment", "#text"]);
const ID_LISTS = new Set(["epcList", "inputEPCList", "outputEPCList", "childEPCs"]);
const QUANTITY_LISTS = new Set(["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"]);
const PAIR_LISTS: Readonly<Record<string, string>> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n;) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function compareNodes(a: HNode, b: HNode): number {
  const byName = codePointCompare(a.name, b.name);
  if (byName !== 0) return byName;
  const byValue = codePointCompare(a.value, b.value);
  if (byValue !== 0) return byValue;
  const n = Math.min(a.children.length, b.children.length);
  for (let i = 0; i < n; i++) {
    const c = compareNodes(a.children[i] as HNode, b.children[i] as HNode);
    if (c !== 0) return c;
  }
  return a.children.length - b.children.length;
}

const sortStrings = (values: string[]): string[] => values.sort(codePointCompare);

class TreeBuilder {
  constructor(private readonly ns: HashNamespaces) {}

  /** `prefix:local` → `{namespace}local` when the prefix is declared. */
  key(key: string): string {
    const colon = key.indexOf(":");
    if (colon <= 0) return key;
    const ns = this.ns.get(key.slice(0, colon));
    return ns === undefined ? key : `{${ns}}${key.slice(colon + 1)}`;
  }

  /** A scalar as text, CURIEs expanded (declared inline prefixes and the standard gs1/cbv/epcis ones). */
  value(v: unknown): string {
    if (typeof v === "string") {
      const colon = v.indexOf(":");
      if (colon > 0) {
        const prefix = v.slice(0, colon);
        const ns = this.ns.get(prefix);
        if (ns !== undefined && (VALUE_CURIE_PREFIXES.has(prefix) || !Object.hasOwn(HASH_STANDARD_PREFIXES, prefix))) {
          return ns + v.slice(colon + 1);
        }
      }
      return v;
    }
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
    return "";
  }

  /** A bare CBV / GS1 vocabulary word as its Web URI (JSON-LD `@vocab` expansion of the EPCIS context). */
  vocab(kind: CbvVocabulary | "measurement" | "alert" | "component", v: unknown): string {
    if (typeof v !== "string") return this.value(v);
    if (kind === "measurement") return GS1_MEASUREMENT_TYPES.has(v) ? GS1_VOC + v : this.value(v);
    if (kind === "alert") return GS1_SENSOR_ALERTS.has(v) ? GS1_VOC + v : this.value(v);
    if (kind === "component") return CBV_COMPONENTS.has(v) ? `https://ref.gs1.org/cbv/Comp-${v}` : this.value(v);
    const forms = CBV_FORMS[kind];
    return forms.terms.has(v) ? forms.web + v : this.value(v);
  }

  /** Generic conversion: objects become nodes, arrays repeated siblings, scalars leaves. */
  generic(key: string, v: unknown): HNode[] {
    const name = this.key(key);
    if (Array.isArray(v)) return v.flatMap((item) => this.generic(key, item));
    if (typeof v === "object" && v !== null) {
      const obj = v as Record<string, unknown>;
      const children = Object.entries(obj)
        .filter(([k]) => !NESTED_DROPPED.has(k) && !k.startsWith("@xmlns"))
        .flatMap(([k, x]) => this.generic(k, x));
      return [this.sorted({ name, value: this.value(obj["#text"]), children })];
    }
    return [leaf(name, this.value(v))];
  }

  sorted(node: HNode): HNode {
    node.children.sort(compareNodes);
    return node;
  }

  objectNode(name: string, v: unknown, special: (key: string, value: unknown) => HNode[] | undefined): HNode {
    const obj = typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    const children = Object.entries(obj)
      .filter(([k]) => !NESTED_DROPPED.has(k))
      .flatMap(([k, x]) => special(k, x) ?? this.generic(k, x));
    return this.sorted({ name, value: "", children });
  }

  sensorElement(v: unknown): HNode {
    return this.objectNode("sensorElement", v, (k, x) => {
      if (k === "sensorMetadata") return [this.objectNode("sensorMetadata", x, () => undefined)];
      if (k === "sensorReport") {
        const reports = Array.isArray(x) ? x : [x];
        return reports.map((r) =>
          this.objectNode("sensorReport", r, (rk, rv) => {
            if (rk === "type") return [leaf("type", this.vocab("measurement", rv))];
            if (rk === "exception") return [leaf("exception", this.vocab("alert", rv))];
            if (rk === "component") return [leaf("component", this.vocab("component", rv))];
            return undefined;
          }),
        );
      }
      return undefined;
    });
  }

  event(event: Record<string, unknown>): HNode {
    const children: HNode[] = [];
    for (const [key, v] of Object.entries(event)) {
      if (DROPPED_KEYS.has(key)) continue;
      const list = Array.isArray(v) ? v : [v];
      if (ID_LISTS.has(key)) {
        children.push(this.sorted({ name: key, value: "", children: list.map((x) => leaf("epc", this.value(x))) }));
      } else if (QUANTITY_LISTS.has(key)) {
        children.push(
          this.sorted({
            name: key,
            value: "",
            children: list.map((q) => this.objectNode("quantityElement", q, () => undefined)),
          }),
        );
      } else if (key in PAIR_LISTS) {
        const valueKey = PAIR_LISTS[key] as string;
        const kind: CbvVocabulary = key === "bizTransactionList" ? "BTT" : "SDT";
        const pairs = list.map((item): HNode => {
          const obj = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
          const members: HNode[] = [];
          if (obj.type !== undefined) members.push(leaf("type", this.vocab(kind, obj.type)));
          members.push(leaf(valueKey, this.value(obj[valueKey])));
          return { name: "", value: "", children: members, pair: true };
        });
        children.push({ name: key, value: "", children: pairs });
      } else if (key === "sensorElementList") {
        children.push(this.sorted({ name: key, value: "", children: list.map((se) => this.sensorElement(se)) }));
      } else if (key === "persistentDisposition") {
        children.push(
          this.objectNode(key, v, (k, x) =>
            k === "set" || k === "unset"
              ? (Array.isArray(x) ? x : [x]).map((d) => leaf(k, this.vocab("Disp", d)))
              : undefined,
          ),
        );
      } else if (key === "bizStep") {
        children.push(leaf(key, this.vocab("BizStep", v)));
      } else if (key === "disposition") {
        children.push(leaf(key, this.vocab("Disp", v)));
      } else if (key === "readPoint" || key === "bizLocation") {
        children.push(this.objectNode(key, v, () => undefined));
      } else {
        children.push(...this.generic(key, v));
      }
    }
    return this.sorted({ name: typeof event.type === "string" ? event.type : "", value: "", children });
  }
}

// ---------------------------------------------------------------------------
// Value canonicalisation.

const CBV_URN_TO_WEB: readonly (readonly [string, string])[] = (
  Object.values(CBV_FORMS) as { urn: string; web: string }[]
).map((f) => [f.urn, f.web]);

/** Python-`Decimal`-style canonical number: integral → plain integer, else fixed point without trailing zeros. */
export function canonicalNumber(text: string): string | undefined {
  const m = /^([+-])?(?:(\d(?:_?\d)*)(?:\.(\d(?:_?\d)*)?)?|\.(\d(?:_?\d)*))(?:[eE]([+-]?\d(?:_?\d)*))?$/.exec(text);
  if (m === null) return undefined;
  const negative = m[1] === "-";
  const intPart = (m[2] ?? "").replaceAll("_", "");
  const fracPart = (m[3] ?? m[4] ?? "").replaceAll("_", "");
  const exp = Number((m[5] ?? "0").replaceAll("_", ""));
  let digits = (intPart + fracPart).replace(/^0+/, "");
  let exponent = exp - fracPart.length;
  const sign = negative ? "-" : "";
  if (digits === "") return exponent > 0 ? `${sign}0E+${exponent}` : `${sign}0`;
  if (exponent >= 0) {
    if (exponent === 0) return sign + digits;
    const adjusted = exponent + digits.length - 1;
    return `${sign}${digits[0]}${digits.length > 1 ? "." + digits.slice(1) : ""}E+${adjusted}`;
  }
  const fracDigits = -exponent;
  const padded = digits.padStart(fracDigits + 1, "0");
  const whole = padded.slice(0, padded.length - fracDigits);
  const frac = padded.slice(padded.length - fracDigits);
  if (/^0*$/.test(frac)) return sign + (whole.replace(/^0+(?=\d)/, "") || "0");
  // not integral: normalise (drop trailing zeros), print fixed point
  digits = padded.replace(/0+$/, "");
  exponent += padded.length - digits.length;
  const fd = -exponent;
  const p2 = digits.padStart(fd + 1, "0");
  return `${sign}${p2.slice(0, p2.length - fd).replace(/^0+(?=\d)/, "")}.${p2.slice(p2.length - fd)}`;
}

/** One value through the rules: CBV URN → Web URI, numbers, then EPC / Digital Link → canonical Digital Link. */
function canonicalValue(text: string): string {
  let out = text;
  for (const [urn, web] of CBV_URN_TO_WEB) out = out.replaceAll(urn, web);
  out = canonicalNumber(out) ?? out;
  return canonicalDigitalLink(out) ?? out;
}

/** UTC, millisecond precision (half-up from microseconds), `Z`; unparseable text is kept as is. */
export function canonicalTimestamp(text: string): string {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$/.exec(
      text,
    );
  if (m === null) return text;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const micros = Number((frac ?? "").padEnd(6, "0").slice(0, 6));
  const offsetMin = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om ?? "0"));
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? "0"));
  if (
    Number.isNaN(base) ||
    Number(mo) > 12 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s ?? "0") > 59
  )
    return text;
  const t = base - offsetMin * 60_000 + Math.floor((micros + 500) / 1000);
  const date = new Date(t);
  if (date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) return text;
  return date.toISOString();
}

// ---------------------------------------------------------------------------
// The pre-hash string.

type Order = readonly (readonly [string, Order | "pair" | undefined])[];

const QUANTITY: Order = [
  [
    "quantityElement",
    [
      ["epcClass", undefined],
      ["quantity", undefined],
      ["uom", undefined],
    ],
  ],
];
const EPCS: Order = [["epc", undefined]];
const PROPERTY_ORDER: Order = [
  ["eventTime", undefined],
  ["eventTimeZoneOffset", undefined],
  ["epcList", EPCS],
  ["parentID", undefined],
  ["inputEPCList", EPCS],
  ["childEPCs", EPCS],
  ["quantityList", QUANTITY],
  ["childQuantityList", QUANTITY],
  ["inputQuantityList", QUANTITY],
  ["outputEPCList", EPCS],
  ["outputQuantityList", QUANTITY],
  ["action", undefined],
  ["transformationID", undefined],
  ["bizStep", undefined],
  ["disposition", undefined],
  [
    "persistentDisposition",
    [
      ["set", undefined],
      ["unset", undefined],
    ],
  ],
  ["readPoint", [["id", undefined]]],
  ["bizLocation", [["id", undefined]]],
  ["bizTransactionList", "pair"],
  ["sourceList", "pair"],
  ["destinationList", "pair"],
  [
    "sensorElementList",
    [
      [
        "sensorElement",
        [
          [
            "sensorMetadata",
            [
              "time",
              "startTime",
              "endTime",
              "deviceID",
              "deviceMetadata",
              "rawData",
              "dataProcessingMethod",
              "bizRules",
            ].map((k) => [k, undefined] as const),
          ],
          [
            "sensorReport",
            [
              "type",
              "exception",
              "deviceID",
              "deviceMetadata",
              "rawData",
              "dataProcessingMethod",
              "time",
              "microorganism",
              "chemicalSubstance",
              "value",
              "component",
              "stringValue",
              "booleanValue",
              "hexBinaryValue",
              "uriValue",
              "minValue",
              "maxValue",
              "meanValue",
              "sDev",
              "percRank",
              "percValue",
              "uom",
              "coordinateReferenceSystem",
            ].map((k) => [k, undefined] as const),
          ],
        ],
      ],
    ],
  ],
];
/** Leftover event children that never enter the hash. */
const IGNORED_LEFTOVERS = new Set(["recordTime", "eventID", "type", "errorDeclaration", "certificationInfo"]);

/** CBV 2.0 writes no `sensorElementList` wrapper name. */
const displayName = (name: string): string => (name === "sensorElementList" ? "" : name);

const remove = (list: HNode[], node: HNode): void => {
  const i = list.indexOf(node);
  if (i >= 0) list.splice(i, 1);
};

const isTimeKey = (name: string): boolean => {
  const lower = name.toLowerCase();
  return lower.includes("time") && !lower.includes("offset");
};

const SORT_BLOCKERS = new Set(["bizTransaction", "source", "destination"]);

function generic(children: readonly HNode[]): string {
  const values = children.map((c) => {
    if (c.pair === true) return generic(c.children);
    const text = c.value.trim();
    return c.name + (text === "" ? "" : "=" + canonicalValue(text)) + generic(c.children);
  });
  if (children.length > 1 && !children.some((c) => c.pair !== true && SORT_BLOCKERS.has(c.name))) sortStrings(values);
  return values.join("");
}

function childString(child: HNode, sub: Order | "pair" | undefined): string {
  let grand = "";
  if (sub === "pair") {
    grand = generic(child.children);
    child.children = [];
  } else if (sub !== undefined) {
    grand = inOrder(child.children, sub);
  }
  let text = "";
  if (child.value !== "") {
    text = child.value.trim();
    text = isTimeKey(child.name) ? canonicalTimestamp(text) : canonicalValue(text);
    if (text !== "") text = "=" + text;
  }
  return text !== "" || grand !== "" ? displayName(child.name) + text + grand : "";
}

/** Consumes the children named in `order` (emptied nodes are removed) and returns their pre-hash text. */
function inOrder(children: HNode[], order: Order): string {
  let out = "";
  for (const [name, sub] of order) {
    const values: string[] = [];
    for (const child of children.filter((c) => c.name === name)) {
      const s = childString(child, sub);
      if (s !== "") values.push(s);
      if (child.children.length === 0) remove(children, child);
    }
    out += sortStrings(values).join("");
  }
  return out;
}

const isFieldExtension = (c: HNode): boolean => c.pair !== true && c.name.includes("{") && c.name.includes("/}");

/** User extensions inside standard fields, prefixed by their field path (CBV 2.0: after the ILMD). */
function fieldExtensions(children: readonly HNode[], order: Order): string {
  const parts: string[] = [];
  for (const [name, sub] of order) {
    if (sub === undefined || sub === "pair") continue;
    for (const child of children.filter((c) => c.name === name)) {
      const inner = fieldExtensions(child.children, sub);
      if (inner !== "") parts.push(displayName(name) + inner);
    }
  }
  const direct = children.filter(isFieldExtension);
  if (direct.length > 0) parts.push(generic(direct));
  return parts.join("");
}

function preHashOfTree(event: HNode): string {
  const children = event.children;
  const standard = inOrder(children, PROPERTY_ORDER);
  const ilmd = children.filter((c) => c.name === "ilmd");
  for (const n of ilmd) remove(children, n);
  const ilmdText = ilmd.length > 0 ? generic(ilmd) : "";
  const fieldParts: string[] = [];
  for (const [name, sub] of PROPERTY_ORDER) {
    if (sub === undefined || sub === "pair") continue;
    for (const child of children.filter((c) => c.name === name)) {
      const inner = fieldExtensions(child.children, sub);
      if (inner !== "") {
        fieldParts.push(displayName(name) + inner);
        remove(children, child);
      }
    }
  }
  const eventLevel = generic(children.filter((c) => !IGNORED_LEFTOVERS.has(c.name)));
  return `eventType=${event.name}${standard}${[ilmdText, fieldParts.join(""), eventLevel].filter((s) => s !== "").join("")}`;
}

/**
 * The CBV 2.0 pre-hash string of one event. `namespaces` resolves the
 * prefixes of extension keys and CURIE values: pass the document's
 * (`hashNamespaces(doc["@context"])`); events keep their own `@context`.
 */
export function eventPreHash(
  event: EpcisEvent | Record<string, unknown>,
  namespaces: HashNamespaces = hashNamespaces(undefined),
): string {
  const ns =
    "@context" in event && event["@context"] !== undefined
      ? new Map([...namespaces, ...hashNamespaces(event["@context"])])
      : namespaces;
  return preHashOfTree(new TreeBuilder(ns).event(event as Record<string, unknown>));
}

/** SHA-256 (hex, no 0x) of the pre-hash string's UTF-8 bytes. */
export function eventHashDigest(
  event: EpcisEvent | Record<string, unknown>,
  namespaces?: HashNamespaces,
): `0x${string}` {
  return sha256(stringToBytes(eventPreHash(event, namespaces)));
}

/** The EPCIS event hash ID: `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920 named information). */
export function eventHash(event: EpcisEvent | Record<string, unknown>, namespaces?: HashNamespaces): string {
  return `ni:///sha-256;${eventHashDigest(event, namespaces).slice(2)}?ver=${EVENT_HASH_VERSION}`;
}

/** The event hash of every event of a document, in document order. */
export function documentEventHashes(doc: EpcisDocument): string[] {
  const ns = hashNamespaces(doc["@context"]);
  return epcisEvents(doc).map((e) => eventHash(e, ns));
}
