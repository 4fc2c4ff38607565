/**
 * EPC URIs of the GS1 EPC Tag Data Standard, as used in EPCIS documents:
 * pure-identity URIs (`urn:epc:id:sgtin:`, `sscc`, `sgln`, `pgln`, `grai`,
 * `giai`, `gsrn`, `gsrnp`, `gdti`, `sgcn`, `ginc`, `gsin`, `itip`, `upui`,
 * `cpi`), the class URI `urn:epc:class:lgtin:` and pattern URIs whose last
 * field is `*` (e.g. `urn:epc:idpat:sgtin:CP.IndItem.*`, a product class).
 *
 * An EPC URI splits the key at the end of the GS1 Company Prefix and carries no
 * check digit; converting to AIs moves the indicator / extension digit back in
 * front and adds the check digit, and the resulting AI values are validated
 * like any scanned value. The reverse needs the company prefix length, which
 * the AI data does not carry: {@link toEpcUri} takes it as an argument.
 * Serial numbers and other alphanumeric fields use the URI escaping of the
 * standard: characters outside `A-Z a-z 0-9 ! ' ( ) * + , - . : ; = _` are
 * written `%XX`.
 */
import { withCheckDigit } from "../../../kernel/gs1CheckDigit.ts";
import { lookupAi } from "./aiTable.ts";
import { checkAiValue, type AiElement } from "./elementString.ts";
import { invalidBarcode, invalidGs1 } from "./gs1Errors.ts";

/** An EPC URI read as AI data. */
export interface EpcIdentity {
  /** `id` (one instance), `class` (LGTIN: a lot) or `idpat` (a pattern: every serial of a class). */
  readonly kind: "id" | "class" | "idpat";
  /** The EPC scheme, e.g. `sgtin`. */
  readonly scheme: string;
  /** Number of digits of the GS1 Company Prefix. */
  readonly companyPrefixLength: number;
  /** The equivalent AIs (check digits added). */
  readonly elements: readonly AiElement[];
}

const GS3A3 = /^(?:[A-Za-z0-9!'()*+,\-.:;=_]|%[0-9A-Fa-f]{2})+$/;

function unescapeField(field: string, what: string): string {
  if (!GS3A3.test(field))
    throw invalidGs1(`EPC URI ${what} holds characters that must be escaped`, { rule: "EPC_ILLEGAL_CHARACTER" });
  return field.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Escapes an alphanumeric EPC URI field (serial, lot, asset reference, ...). */
export function escapeEpcField(value: string): string {
  let out = "";
  for (const c of value)
    out += /^[A-Za-z0-9!'()*+,\-.:;=_]$/.test(c)
      ? c
      : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

function digits(field: string, what: string): string {
  if (!/^\d+$/.test(field)) throw invalidGs1(`EPC URI ${what} must be digits`, { rule: "EPC_NOT_NUMERIC" });
  return field;
}

/** Checks that company prefix + reference have the fixed total length of the key. */
function partition(cp: string, ref: string, total: number): void {
  digits(cp, "company prefix");
  if (cp.length < 6 || cp.length > 12 || cp.length + ref.length !== total) {
    throw invalidGs1("EPC URI company prefix and reference have the wrong lengths", { rule: "EPC_PARTITION" });
  }
}

/** GTIN-14 from company prefix and indicator+item reference. */
function gtinOf(cp: string, indItem: string): string {
  partition(cp, digits(indItem, "item reference"), 13);
  return withCheckDigit(indItem.charAt(0) + cp + indItem.slice(1));
}

type Parser = (f: readonly string[]) => AiElement[];

const field = (f: readonly string[], i: number): string => f[i] ?? "";

const ID_SCHEMES: Readonly<Record<string, { fields: number; parse: Parser }>> = {
  sgtin: {
    fields: 3,
    parse: (f) => [
      { ai: "01", value: gtinOf(field(f, 0), field(f, 1)) },
      { ai: "21", value: unescapeField(field(f, 2), "serial") },
    ],
  },
  sscc: {
    fields: 2,
    parse: (f) => {
      const [cp, ref] = [field(f, 0), digits(field(f, 1), "serial reference")];
      partition(cp, ref, 17);
      return [{ ai: "00", value: withCheckDigit(ref.charAt(0) + cp + ref.slice(1)) }];
    },
  },
  sgln: {
    fields: 3,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "location reference"), 12);
      const out: AiElement[] = [{ ai: "414", value: withCheckDigit(field(f, 0) + field(f, 1)) }];
      if (field(f, 2) !== "0") out.push({ ai: "254", value: unescapeField(field(f, 2), "extension") });
      return out;
    },
  },
  pgln: {
    fields: 2,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "party reference"), 12);
      return [{ ai: "417", value: withCheckDigit(field(f, 0) + field(f, 1)) }];
    },
  },
  grai: {
    fields: 3,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "asset type"), 12);
      return [
        { ai: "8003", value: `0${withCheckDigit(field(f, 0) + field(f, 1))}${unescapeField(field(f, 2), "serial")}` },
      ];
    },
  },
  giai: {
    fields: 2,
    parse: (f) => [
      { ai: "8004", value: digits(field(f, 0), "company prefix") + unescapeField(field(f, 1), "asset reference") },
    ],
  },
  gsrn: {
    fields: 2,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "service reference"), 17);
      return [{ ai: "8018", value: withCheckDigit(field(f, 0) + field(f, 1)) }];
    },
  },
  gsrnp: {
    fields: 2,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "service reference"), 17);
      return [{ ai: "8017", value: withCheckDigit(field(f, 0) + field(f, 1)) }];
    },
  },
  gdti: {
    fields: 3,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "document type"), 12);
      return [{ ai: "253", value: withCheckDigit(field(f, 0) + field(f, 1)) + unescapeField(field(f, 2), "serial") }];
    },
  },
  sgcn: {
    fields: 3,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "coupon reference"), 12);
      return [{ ai: "255", value: withCheckDigit(field(f, 0) + field(f, 1)) + digits(field(f, 2), "serial") }];
    },
  },
  ginc: {
    fields: 2,
    parse: (f) => [
      { ai: "401", value: digits(field(f, 0), "company prefix") + unescapeField(field(f, 1), "consignment reference") },
    ],
  },
  gsin: {
    fields: 2,
    parse: (f) => {
      partition(field(f, 0), digits(field(f, 1), "shipper reference"), 16);
      return [{ ai: "402", value: withCheckDigit(field(f, 0) + field(f, 1)) }];
    },
  },
  itip: {
    fields: 5,
    parse: (f) => [
      {
        ai: "8006",
        value: gtinOf(field(f, 0), field(f, 1)) + digits(field(f, 2), "piece") + digits(field(f, 3), "total"),
      },
      { ai: "21", value: unescapeField(field(f, 4), "serial") },
    ],
  },
  upui: {
    fields: 3,
    parse: (f) => [
      { ai: "01", value: gtinOf(field(f, 0), field(f, 1)) },
      { ai: "235", value: unescapeField(field(f, 2), "TPX") },
    ],
  },
  cpi: {
    fields: 3,
    parse: (f) => [
      {
        ai: "8010",
        value: digits(field(f, 0), "company prefix") + unescapeField(field(f, 1), "component/part reference"),
      },
      { ai: "8011", value: digits(field(f, 2), "serial") },
    ],
  },
};

/**
 * Pattern URIs (`urn:epc:idpat:...:*`) name every serial of one class: the AI
 * that carries the serial is dropped, or cut to the key without its serial
 * component (length given).
 */
const PATTERN_SERIALS: Readonly<Record<string, readonly [string, number?]>> = {
  sgtin: ["21"],
  itip: ["21"],
  upui: ["235"],
  cpi: ["8011"],
  grai: ["8003", 14],
  gdti: ["253", 13],
  sgcn: ["255", 13],
};

/**
 * Reads an EPC pure-identity URI, the LGTIN class URI or a pattern URI as AI
 * data. Throws `InvalidBarcode` for an unsupported URN and `InvalidGs1`
 * when its fields are invalid.
 */
export function parseEpcUri(urn: string): EpcIdentity {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/.exec(urn);
  if (m === null) throw invalidBarcode("not an EPC URI", { rule: "NOT_EPC_URI" });
  const [, kindText = "", scheme = "", body = ""] = m;
  const kind = kindText as EpcIdentity["kind"];
  const fields = body.split(".");
  let elements: AiElement[];
  if (kind === "class" && scheme === "lgtin" && fields.length === 3) {
    elements = [
      { ai: "01", value: gtinOf(field(fields, 0), field(fields, 1)) },
      { ai: "10", value: unescapeField(field(fields, 2), "lot") },
    ];
  } else if (kind === "idpat") {
    const def = ID_SCHEMES[scheme];
    const strip = PATTERN_SERIALS[scheme];
    if (
      def === undefined ||
      strip === undefined ||
      fields.length !== def.fields ||
      fields.slice(0, -1).includes("*") ||
      fields[fields.length - 1] !== "*"
    ) {
      throw invalidBarcode("unsupported EPC pattern URI", { rule: "UNSUPPORTED_EPC_SCHEME" });
    }
    const [ai, keep] = strip;
    elements = def
      .parse([...fields.slice(0, -1), "0"])
      .flatMap((e) => (e.ai !== ai ? [e] : keep === undefined ? [] : [{ ai, value: e.value.slice(0, keep) }]));
  } else {
    const def = kind === "id" ? ID_SCHEMES[scheme] : undefined;
    if (def === undefined) throw invalidBarcode(`unsupported EPC URI scheme`, { rule: "UNSUPPORTED_EPC_SCHEME" });
    if (fields.length !== def.fields)
      throw invalidGs1(`EPC ${scheme} URI needs ${def.fields} fields`, { rule: "EPC_FIELD_COUNT" });
    elements = def.parse(fields);
  }
  for (const e of elements) {
    const entry = lookupAi(e.ai);
    if (entry !== undefined) checkAiValue(entry, e.value);
  }
  return { kind, scheme, companyPrefixLength: field(fields, 0).length, elements };
}

function valueOf(elements: readonly AiElement[], ai: string): string | undefined {
  return elements.find((e) => e.ai === ai)?.value;
}

function checkCpLength(n: number): void {
  if (!Number.isInteger(n) || n < 6 || n > 12)
    throw invalidGs1("company prefix length " + "must be 6 to 12", { rule: "EPC_PARTITION" });
}

/**
 * The EPC URI for AI data, given the GS1 Company Prefix length: SGTIN for
 * (01)+(21), LGTIN class for (01)+(10), SGTIN pattern for (01) alone, SSCC for
 * (00), SGLN for (414)[+(254)], PGLN for (417), GRAI (8003), GIAI (8004), GSRN
 * (8018), GSRNP (8017), GDTI (253), SGCN (255), GINC (401), GSIN (402). Throws
 * `InvalidGs1` when none applies.
 */
export function toEpcUri(elements: readonly AiElement[], companyPrefixLength: number): string {
  checkCpLength(companyPrefixLength);
  const cpl = companyPrefixLength;
  const gtin = valueOf(elements, "01");
  const gtinParts = (g: string): string => `${g.slice(1, 1 + cpl)}.${g.charAt(0)}${g.slice(1 + cpl, 13)}`;
  if (gtin !== undefined) {
    const serial = valueOf(elements, "21");
    if (serial !== undefined) return `urn:epc:id:sgtin:${gtinParts(gtin)}.${escapeEpcField(serial)}`;
    const lot = valueOf(elements, "10");
    if (lot !== undefined) return `urn:epc:class:lgtin:${gtinParts(gtin)}.${escapeEpcField(lot)}`;
    return `urn:epc:idpat:sgtin:${gtinParts(gtin)}.*`;
  }
  const sscc = valueOf(elements, "00");
  if (sscc !== undefined)
    return `urn:epc:id:sscc:${sscc.slice(1, 1 + cpl)}.${sscc.charAt(0)}${sscc.slice(1 + cpl, 17)}`;
  const simple13: Record<string, string> = { "414": "sgln", "417": "pgln" };
  for (const [ai, scheme] of Object.entries(simple13)) {
    const v = valueOf(elements, ai);
    if (v === undefined) continue;
    const ext = ai === "414" ? `.${escapeEpcField(valueOf(elements, "254") ?? "0")}` : "";
    return `urn:epc:id:${scheme}:${v.slice(0, cpl)}.${v.slice(cpl, 12)}${ext}`;
  }
  const grai = valueOf(elements, "8003");
  if (grai !== undefined)
    return `urn:epc:id:grai:${grai.slice(1, 1 + cpl)}.${grai.slice(1 + cpl, 13)}.${escapeEpcField(grai.slice(14))}`;
  const giai = valueOf(elements, "8004");
  if (giai !== undefined) return `urn:epc:id:giai:${giai.slice(0, cpl)}.${escapeEpcField(giai.slice(cpl))}`;
  for (const [ai, scheme] of [
    ["8018", "gsrn"],
    ["8017", "gsrnp"],
  ] as const) {
    const v = valueOf(elements, ai);
    if (v !== undefined) return `urn:epc:id:${scheme}:${v.slice(0, cpl)}.${v.slice(cpl, 17)}`;
  }
  for (const [ai, scheme] of [
    ["253", "gdti"],
    ["255", "sgcn"],
  ] as const) {
    const v = valueOf(elements, ai);
    if (v !== undefined)
      return `urn:epc:id:${scheme}:${v.slice(0, cpl)}.${v.slice(cpl, 12)}.${escapeEpcField(v.slice(13))}`;
  }
  const ginc = valueOf(elements, "401");
  if (ginc !== undefined) return `urn:epc:id:ginc:${ginc.slice(0, cpl)}.${escapeEpcField(ginc.slice(cpl))}`;
  const gsin = valueOf(elements, "402");
  if (gsin !== undefined) return `urn:epc:id:gsin:${gsin.slice(0, cpl)}.${gsin.slice(cpl, 16)}`;
  throw invalidGs1("no AI with an EPC URI equivalent", { rule: "NO_EPC_EQUIVALENT" });
}
