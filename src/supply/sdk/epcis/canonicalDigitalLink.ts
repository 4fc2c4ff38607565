/**
 * The "constrained canonical GS1 Digital Link URI" of the CBV 2.0 event hash
 * (CBV 2.0 §8.9, rules 17 and 18): EPC URIs (`urn:epc:id:`), EPC class URIs
 * (`urn:epc:class:lgtin:`) and EPC pattern URIs (`urn:epc:idpat:`) become
 * `https://id.gs1.org/...` Digital Links; Digital Links on any domain are moved
 * to `id.gs1.org`, lose their query string, short key names and CPV, and keep
 * only the finest identification level (a serial drops the lot).
 *
 * Behaviour follows the GS1 reference implementation of the event hash
 * (RalphTro/epcis-event-hash-generator, `dl_normaliser`) so that hashes agree
 * with published vectors, including its syntax limits; anything it does not
 * recognise is returned as `undefined` (the caller keeps the value as is).
 */
import { gs1CheckDigit } from "../../../kernel/gs1CheckDigit.ts";

const SAFE = String.raw`(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])`;
const CPI_CHAR = String.raw`(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])`;
/** Digital Link value characters (GS1 AI encodable set 82, as the reference checks them). */
const DLV = String.raw`[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]`;

/**
 * `\d{n}\.\d{total-n}` for company prefixes of 6..12 digits; `last` replaces the 12-digit form when nothing is left.
 */
function partitions(total: number, last?: string): string {
  const alts: string[] = [];
  for (let n = 6; n <= 12; n++) {
    alts.push(n === 12 && last !== undefined ? last : `\\d{${n}}\\.\\d{${total - n}}`);
  }
  return `(?:${alts.join("|")})`;
}

/** `\d{n}\.CHAR{1,max-n}` for company prefixes of 6..12 digits (variable-length references). */
function variable(total: number, char: string): string {
  const alts: string[] = [];
  for (let n = 6; n <= 12; n++) alts.push(`\\d{${n}}\\.${char}{1,${total - n}}`);
  return `(?:${alts.join("|")})`;
}

const re = (s: string): RegExp => new RegExp(`^${s}`);

const EPC = {
  sgtin: re(`urn:epc:id:sgtin:${partitions(13)}\\.${SAFE}{1,20}$`),
  sscc: re(`urn:epc:id:sscc:${partitions(17)}$`),
  sgln: re(`urn:epc:id:sgln:${partitions(12, "\\d{12}\\.")}\\.${SAFE}{1,20}$`),
  grai: re(`urn:epc:id:grai:${partitions(12, "\\d{12}\\.\\.")}\\.${SAFE}{1,16}$`),
  giai: re(`urn:epc:id:giai:${variable(30, SAFE)}$`),
  gsrn: re(`urn:epc:id:gsrn:${partitions(17)}$`),
  gsrnp: re(`urn:epc:id:gsrnp:${partitions(17)}$`),
  gdti: re(`urn:epc:id:gdti:${partitions(12, "\\d{12}\\.\\.")}${SAFE}{1,20}$`),
  cpi: re(`urn:epc:id:cpi:${variable(30, CPI_CHAR)}\\.\\d{1,12}$`),
  sgcn: re(`urn:epc:id:sgcn:${partitions(12, "\\d{12}\\.")}\\.\\d{1,12}$`),
  ginc: re(`urn:epc:id:ginc:${variable(30, SAFE)}$`),
  gsin: re(`urn:epc:id:gsin:${partitions(16)}$`),
  itip: re(`urn:epc:id:itip:${partitions(13)}\\.\\d{2}\\.\\d{2}\\.${SAFE}{1,20}$`),
  upui: re(`urn:epc:id:upui:${partitions(13)}\\.${SAFE}{1,28}$`),
  pgln: re(`urn:epc:id:pgln:${partitions(12, "\\d{12}\\.")}$`),
  lgtin: re(`urn:epc:class:lgtin:${partitions(13)}\\.${SAFE}{1,20}$`),
  patSgtin: re(`urn:epc:idpat:sgtin:${partitions(13)}\\.\\*$`),
  patGrai: re(`urn:epc:idpat:grai:${partitions(12, "\\d{12}\\.\\.")}\\.\\*$`),
  patGdti: re(`urn:epc:idpat:gdti:${partitions(12, "\\d{12}\\.\\.")}\\.\\*$`),
  patSgcn: re(`urn:epc:idpat:sgcn:${partitions(12, "\\d{12}\\.\\.")}\\.\\*$`),
  patCpi: re(`urn:epc:idpat:cpi:${variable(30, CPI_CHAR)}\\.\\*$`),
  patItip: re(`urn:epc:idpat:itip:${partitions(13)}\\.\\d{2}\\.\\d{2}\\.\\*$`),
  patUpui: re(`urn:epc:idpat:upui:${partitions(13)}\\.\\*$`),
};

const AI_PATH =
  "01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|g" +
  "sin|8003|grai|8004|giai";
const DL_ANY = new RegExp(
  String.raw`^https?:(\/\/((([^\/?#]*)@)?([^\/?#:]*)(:([^\/?#]*))?))?((([^?#]*)(\/(` +
    AI_PATH +
    String.raw`)\/)(\d{4}[^\/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(\/[A-Za-z_-]{10}$))`,
);
const DL_CANONICAL_DOMAIN = new RegExp(
  String.raw`^(?:https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/(\d{4}[^\/]+)(\/[^\/]+\/[^\/]+)?[\/]?(\?([^?\n]*))?(#([^\n]*))?|(\/[A-Za-z_-]{10}$))`,
);
const REBASE_KEYS = [
  "/00/",
  "/01/",
  "/253/",
  "/255/",
  "/401/",
  "/402/",
  "/414/",
  "/417/",
  "/8003/",
  "/8004/",
  "/8006/",
  "/8010/",
  "/8017/",
  "/8018/",
];
const SHORT_NAMES: readonly (readonly [string, string])[] = [
  ["/gtin/", "/01/"],
  ["/itip/", "/8006/"],
  ["/cpid/", "/8010/"],
  ["/gln/", "/414/"],
  ["/party/", "/417/"],
  ["/gsrnp/", "/8017/"],
  ["/gsrn/", "/8018/"],
  ["/gcn/", "/255/"],
  ["/sscc/", "/00/"],
  ["/gdti/", "/253/"],
  ["/ginc/", "/401/"],
  ["/gsin/", "/402/"],
  ["/grai/", "/8003/"],
  ["/giai/", "/8004/"],
  ["/cpv/", "/22/"],
  ["/lot/", "/10/"],
  ["/ser/", "/21/"],
];
const ID = String.raw`https:\/\/id.gs1.org\/`;
const CPV_ALONE = [
  new RegExp(`^${ID}8006\\/\\d{18}\\/22\\/(${DLV}{0,20})$`),
  new RegExp(`^${ID}01\\/\\d{14}\\/22\\/(${DLV}{0,20})$`),
];
const DLV_SLASH = String.raw`[\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]`;
const CPV_FOLLOWED = [
  new RegExp(`^${ID}8006\\/\\d{18}\\/22\\/(${DLV_SLASH}{0,20})$`),
  new RegExp(`^${ID}01\\/\\d{14}\\/22\\/(${DLV_SLASH}{0,20})$`),
];
const LOT_AND_SERIAL = [
  new RegExp(`^${ID}8006\\/\\d{18}\\/10\\/(${DLV}{0,20})\\/21\\/(${DLV}{0,20})$`),
  new RegExp(`^${ID}01\\/(\\d{14})\\/10\\/(${DLV}{0,20})\\/21\\/(${DLV}{0,20})$`),
];
const VALID_OUTPUT: readonly RegExp[] = [
  `00\\/(\\d{18})$`,
  `01\\/(\\d{14})\\/21\\/(${DLV}{0,20})$`,
  `01\\/(\\d{14})\\/10\\/(${DLV}{0,20})$`,
  `01\\/(\\d{14})$`,
  `01\\/(\\d{14})\\/235\\/(${DLV}{0,28})$`,
  `253\\/(\\d{13})(${DLV}{0,17})$`,
  `255\\/(\\d{13})(\\d{0,12})$`,
  `401\\/(${DLV}{0,30})$`,
  `402\\/(\\d{17})$`,
  `414\\/(\\d{13})$`,
  `414\\/(\\d{13})\\/254\\/(${DLV}{0,20})$`,
  `417\\/(\\d{13})$`,
  `8003\\/(\\d{14})(${DLV}{0,16})$`,
  `8004\\/(${DLV}{0,30})$`,
  `8006\\/(\\d{18})\\/21\\/(${DLV}{0,20})$`,
  `8006\\/(\\d{18})\\/10\\/(${DLV}{0,20})$`,
  `8006\\/(\\d{18})$`,
  `8010\\/([\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30})\\/8011/(\\d{0,12})$`,
  `8010\\/([\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30})$`,
  `8017\\/(\\d{18})$`,
  `8018\\/(\\d{18})$`,
].map((s) => new RegExp(`^${ID}${s}`));

/**
 * Percent-encodes the characters a Digital Link path value may not carry (GS1 DL Table 7-1, as EPC URIs allow them).
 */
function encodeDl(value: string): string {
  return value
    .replaceAll("!", "%21")
    .replaceAll("(", "%28")
    .replaceAll(")", "%29")
    .replaceAll("*", "%2A")
    .replaceAll("+", "%2B")
    .replaceAll(",", "%2C")
    .replaceAll(":", "%3A");
}

/** Rebuilds a GTIN-14 without check digit from an EPC company prefix and item reference (indicator first). */
function gtinBody(companyPrefix: string, itemRef: string): string {
  return itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1);
}

function fromEpcUri(uri: string, dot: number): string | undefined {
  const cpAt = (start: number) => uri.slice(start, dot);
  const ref = (cp: string, total: number) => uri.slice(dot + 1, dot + 1 + (total - cp.length));
  const withCheck = (body: string) => body + String(gs1CheckDigit(body));
  if (EPC.sgtin.test(uri)) {
    const cp = cpAt(17);
    return `https://id.gs1.org/01/${withCheck(gtinBody(cp, ref(cp, 13)))}/21/${encodeDl(uri.slice(32))}`;
  }
  if (EPC.sscc.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/00/${withCheck(uri.slice(dot + 1, dot + 2) + cp + uri.slice(dot + 2))}`;
  }
  if (EPC.sgln.test(uri)) {
    const cp = cpAt(16);
    const gln = withCheck(cp + ref(cp, 12));
    const ext = uri.slice(30);
    return ext === "0" ? `https://id.gs1.org/414/${gln}` : `https://id.gs1.org/414/${gln}/254/${encodeDl(ext)}`;
  }
  if (EPC.grai.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/8003/${withCheck("0" + cp + ref(cp, 12))}${encodeDl(uri.slice(30))}`;
  }
  if (EPC.giai.test(uri)) return `https://id.gs1.org/8004/${cpAt(16)}${encodeDl(uri.slice(dot + 1))}`;
  if (EPC.gsrn.test(uri)) return `https://id.gs1.org/8018/${withCheck(cpAt(16) + uri.slice(dot + 1))}`;
  if (EPC.gsrnp.test(uri)) return `https://id.gs1.org/8017/${withCheck(cpAt(17) + uri.slice(dot + 1))}`;
  if (EPC.gdti.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/253/${withCheck(cp + ref(cp, 12))}${encodeDl(uri.slice(30))}`;
  }
  if (EPC.cpi.test(uri)) {
    const last = uri.lastIndexOf(".");
    return `https://id.gs1.org/8010/${encodeDl(cpAt(15) + uri.slice(dot + 1, last))}/8011/${uri.slice(last + 1)}`;
  }
  if (EPC.sgcn.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/255/${withCheck(cp + ref(cp, 12))}${uri.slice(30)}`;
  }
  if (EPC.ginc.test(uri)) return `https://id.gs1.org/401/${cpAt(16)}${encodeDl(uri.slice(dot + 1))}`;
  if (EPC.gsin.test(uri)) return `https://id.gs1.org/402/${withCheck(cpAt(16) + uri.slice(dot + 1))}`;
  if (EPC.itip.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/8006/${withCheck(gtinBody(cp, ref(cp, 13)))}${uri.slice(31, 33)}${uri.slice(34, 36)}/21/${encodeDl(uri.slice(37))}`;
  }
  if (EPC.upui.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/01/${withCheck(gtinBody(cp, ref(cp, 13)))}/235/${encodeDl(uri.slice(31))}`;
  }
  if (EPC.pgln.test(uri)) {
    const cp = cpAt(16);
    return `https://id.gs1.org/417/${withCheck(cp + ref(cp, 12))}`;
  }
  if (EPC.lgtin.test(uri)) {
    const cp = cpAt(20);
    return `https://id.gs1.org/01/${withCheck(gtinBody(cp, ref(cp, 13)))}/10/${encodeDl(uri.slice(35))}`;
  }
  if (EPC.patSgtin.test(uri) || EPC.patUpui.test(uri)) {
    const cp = cpAt(EPC.patSgtin.test(uri) ? 20 : 19);
    return `https://id.gs1.org/01/${withCheck(gtinBody(cp, ref(cp, 13)))}`;
  }
  if (EPC.patGrai.test(uri)) {
    const cp = cpAt(19);
    return `https://id.gs1.org/8003/${withCheck("0" + cp + ref(cp, 12))}`;
  }
  if (EPC.patGdti.test(uri)) {
    const cp = cpAt(19);
    return `https://id.gs1.org/253/${withCheck(cp + ref(cp, 12))}`;
  }
  if (EPC.patSgcn.test(uri)) {
    const cp = cpAt(19);
    return `https://id.gs1.org/255/${withCheck(cp + ref(cp, 12))}`;
  }
  if (EPC.patCpi.test(uri)) {
    return `https://id.gs1.org/8010/${encodeDl(cpAt(18) + uri.slice(dot + 1, uri.lastIndexOf(".")))}`;
  }
  if (EPC.patItip.test(uri)) {
    const cp = cpAt(19);
    return `https://id.gs1.org/8006/${withCheck(gtinBody(cp, ref(cp, 13)))}${uri.slice(34, 36)}${uri.slice(37, 39)}`;
  }
  return undefined;
}

function fromDigitalLink(input: string): string | undefined {
  if (!DL_ANY.test(input)) return undefined;
  let uri = input;
  const q = uri.indexOf("?");
  if (q >= 0) uri = uri.slice(0, q);
  for (const [from, to] of SHORT_NAMES) uri = uri.replaceAll(from, to);
  if (!DL_CANONICAL_DOMAIN.test(uri)) {
    const key = REBASE_KEYS.find((k) => uri.includes(k));
    if (key !== undefined) uri = "https://id.gs1.org" + uri.slice(uri.indexOf(key));
  }
  if (!/^https:\/\/id.gs1.org\/01\/\d{14}/.test(uri)) {
    if (/^https:\/\/id.gs1.org\/01\/\d{13}/.test(uri)) uri = uri.replaceAll("/01/", "/01/0");
    else if (/^https:\/\/id.gs1.org\/01\/\d{12}/.test(uri)) uri = uri.replaceAll("/01/", "/01/00");
    else if (/^https:\/\/id.gs1.org\/01\/\d{8}/.test(uri)) uri = uri.replaceAll("/01/", "/01/000000");
  }
  const afterCpv = uri.slice(uri.indexOf("/22/") + 4);
  if (CPV_ALONE.some((r) => r.test(uri))) uri = uri.slice(0, uri.indexOf("/22/"));
  if (CPV_FOLLOWED.some((r) => r.test(uri))) {
    const slash = afterCpv.indexOf("/");
    uri = uri.slice(0, uri.indexOf("/22/")) + (slash >= 0 ? afterCpv.slice(slash) : afterCpv.slice(-1));
  }
  if (LOT_AND_SERIAL.some((r) => r.test(uri))) {
    const afterLot = uri.slice(uri.indexOf("/10/") + 4);
    uri = uri.slice(0, uri.indexOf("/10/")) + afterLot.slice(afterLot.indexOf("/"));
  }
  return VALID_OUTPUT.some((r) => r.test(uri)) ? uri : undefined;
}

/**
 * The constrained canonical GS1 Digital Link URI of an EPC URI, EPC class or
 * pattern URI, or GS1 Digital Link URI; `undefined` when `uri` is none of
 * those (or is not well-formed). Pure and deterministic.
 */
export function canonicalDigitalLink(uri: string): string | undefined {
  const dot = uri.indexOf(".");
  if (dot < 0) return undefined;
  if (uri.startsWith("urn:epc:")) return fromEpcUri(uri, dot);
  return fromDigitalLink(uri);
}
