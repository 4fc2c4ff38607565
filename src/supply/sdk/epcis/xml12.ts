/**
 * EPCIS XML capture documents (EPCIS 1.2, e.g. the GS1 US DSCSA guideline
 * examples, and EPCIS 2.0 XML) read into the EPCIS 2.0 JSON-LD model, so that
 * they go through the same validation, hashing and aggregation as JSON input.
 *
 * What is read: the SBDH sender / receiver / instance identifier, master data
 * (`EPCISMasterData` vocabularies), namespaced header extensions, and the
 * events (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent,
 * AssociationEvent) with their EPCIS 1.2 `extension` / `baseExtension`
 * wrappers flattened: identifiers, quantities, action, bizStep / disposition
 * (CBV URNs become the bare JSON terms when standard), readPoint / bizLocation,
 * business transactions, sources / destinations, ILMD, persistent dispositions,
 * error declarations, sensor data, and namespaced user extensions (their
 * namespaces are declared in the produced `@context`; attributes on user
 * extension elements are not carried over). Query documents and anything
 * else are refused with `UnsupportedEpcis`; DTDs are refused outright.
 *
 * Pure JavaScript (fast-xml-parser), no Node-only imports.
 */
import { XMLParser } from "fast-xml-parser";
import { MedchainError } from "../../../kernel/errors.ts";
import type { EpcisDocument } from "./types.ts";
import { validateEpcisDocument, type ValidateEpcisOptions } from "./validate.ts";
import { EPCIS_CONTEXT_URL, standardCbvTerm, STANDARD_CONTEXT_PREFIXES, type CbvVocabulary } from "./vocabulary.ts";
import "../errors.ts";

/** The XML namespaces of EPCIS 1.x and 2.0 documents. */
export const EPCIS_XML_NAMESPACES: readonly string[] = ["urn:epcglobal:epcis:xsd:1", "urn:epcglobal:epcis:xsd:2"];

interface XEl {
  /** Local name. */
  local: string;
  /** Prefix as written, if any. */
  prefix: string | undefined;
  /** Namespace IRI, undefined for unqualified elements (and for elements in the EPCIS namespaces). */
  ns: string | undefined;
  /** Namespace IRI as declared, EPCIS namespaces included. */
  rawNs: string | undefined;
  attrs: Record<string, string>;
  children: XEl[];
  text: string;
}

type FxpNode = Record<string, unknown>;

function unsupported(message: string, path: string, rule: string): never {
  throw new MedchainError("UnsupportedEpcis", message, { details: { event: null, path, rule, count: 1 } });
}

function toTree(nodes: unknown, scope: ReadonlyMap<string, string>): XEl[] {
  const out: XEl[] = [];
  if (!Array.isArray(nodes)) return out;
  for (const node of nodes as FxpNode[]) {
    const tag = Object.keys(node).find((k) => k !== ":@");
    if (tag === undefined || tag === "#text" || tag.startsWith("?") || tag.startsWith("!")) continue;
    const rawAttrs = (node[":@"] ?? {}) as Record<string, unknown>;
    const nsScope = new Map(scope);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawAttrs)) {
      const value = String(v);
      if (k === "xmlns") nsScope.set("", value);
      else if (k.startsWith("xmlns:")) nsScope.set(k.slice(6), value);
      else attrs[k] = value;
    }
    const colon = tag.indexOf(":");
    const prefix = colon > 0 ? tag.slice(0, colon) : undefined;
    const local = colon > 0 ? tag.slice(colon + 1) : tag;
    const rawNs = nsScope.get(prefix ?? "");
    const ns = rawNs === undefined || rawNs === "" || EPCIS_XML_NAMESPACES.includes(rawNs) ? undefined : rawNs;
    const content = node[tag];
    const text = Array.isArray(content)
      ? (content as FxpNode[])
          .map((c) => (typeof c["#text"] === "string" || typeof c["#text"] === "number" ? String(c["#text"]) : ""))
          .join("")
          .trim()
      : "";
    out.push({
      local,
      prefix,
      ns,
      rawNs: rawNs === "" ? undefined : rawNs,
      attrs,
      children: toTree(content, nsScope),
      text,
    });
  }
  return out;
}

/** Children with unqualified `extension` / `baseExtension` wrappers replaced by their content (EPCIS 1.x). */
function flat(children: readonly XEl[]): XEl[] {
  return children.flatMap((c) =>
    c.ns === undefined && (c.local === "extension" || c.local === "baseExtension") ? flat(c.children) : [c],
  );
}

const child = (el: XEl, local: string): XEl | undefined =>
  flat(el.children).find((c) => c.ns === undefined && c.local === local);
const childrenNamed = (el: XEl, local: string): XEl[] =>
  flat(el.children).filter((c) => c.ns === undefined && c.local === local);

/** CBV value from XML: a standard URN / Web URI becomes the bare JSON-LD term; anything else is kept. */
function cbv(vocabulary: CbvVocabulary, value: string): string {
  return standardCbvTerm(vocabulary, value) ?? value;
}

const NUMERIC_SENSOR_ATTRS = new Set(["value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"]);
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

class Converter {
  /** Declared user namespaces: prefix → IRI (goes into the document's @context). */
  readonly userNs = new Map<string, string>();
  private readonly byNs = new Map<string, string>();

  prefixFor(el: XEl): string {
    const ns = el.ns as string;
    if (ns === "urn:epcglobal:cbv:mda" || ns === "urn:epcglobal:cbv:mda:") return "cbvmda";
    if (ns === "https://gs1.org/voc/" || ns === "https://ref.gs1.org/voc/") return "gs1";
    const known = this.byNs.get(ns);
    if (known !== undefined) return known;
    let prefix = el.prefix;
    if (
      prefix === undefined ||
      !NCNAME.test(prefix) ||
      prefix in STANDARD_CONTEXT_PREFIXES ||
      this.userNs.has(prefix)
    ) {
      let n = 1;
      while (this.userNs.has(`ns${n}`)) n++;
      prefix = `ns${n}`;
    }
    this.userNs.set(prefix, ns);
    this.byNs.set(ns, prefix);
    return prefix;
  }

  /** A namespaced (user extension) element as a JSON-LD key and value. */
  extension(el: XEl): [string, unknown] {
    return [`${this.prefixFor(el)}:${el.local}`, this.extensionValue(el)];
  }

  extensionValue(el: XEl): unknown {
    const kids = flat(el.children);
    if (kids.length === 0) return el.text;
    const obj: Record<string, unknown> = {};
    for (const k of kids) {
      const [key, value] = k.ns === undefined ? [k.local, this.extensionValue(k)] : this.extension(k);
      const prev = obj[key];
      obj[key] = prev === undefined ? value : Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
    }
    return obj;
  }

  /** Standard children of a small object (readPoint, bizLocation) plus its user extensions. */
  objectWithExtensions(el: XEl, read: (c: XEl) => [string, unknown] | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of flat(el.children)) {
      const kv = c.ns !== undefined ? this.extension(c) : (read(c) ?? [c.local, this.extensionValue(c)]);
      out[kv[0]] = kv[1];
    }
    return out;
  }

  quantity(el: XEl): Record<string, unknown> {
    const q: Record<string, unknown> = {};
    const epcClass = child(el, "epcClass");
    const quantity = child(el, "quantity");
    const uom = child(el, "uom");
    if (epcClass !== undefined) q.epcClass = epcClass.text;
    if (quantity !== undefined)
      q.quantity = Number.isNaN(Number(quantity.text)) || quantity.text === "" ? quantity.text : Number(quantity.text);
    if (uom !== undefined) q.uom = uom.text;
    return q;
  }

  sensorAttrs(el: XEl): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(el.attrs)) {
      if (k.includes(":")) continue;
      if (NUMERIC_SENSOR_ATTRS.has(k) && v !== "" && !Number.isNaN(Number(v))) out[k] = Number(v);
      else if (k === "booleanValue" && (v === "true" || v === "false")) out[k] = v === "true";
      else out[k] = v;
    }
    for (const c of flat(el.children))
      if (c.ns !== undefined) {
        const [key, value] = this.extension(c);
        out[key] = value;
      }
    return out;
  }

  event(el: XEl): Record<string, unknown> {
    const e: Record<string, unknown> = { type: el.local };
    const put = (key: string, value: unknown) => {
      const prev = e[key];
      e[key] = prev === undefined ? value : Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
    };
    for (const c of flat(el.children)) {
      if (c.ns !== undefined) {
        const [key, value] = this.extension(c);
        put(key, value);
        continue;
      }
      switch (c.local) {
        case "eventTime":
        case "recordTime":
        case "eventTimeZoneOffset":
        case "eventID":
        case "parentID":
        case "transformationID":
        case "action":
          e[c.local] = c.text;
          break;
        case "certificationInfo":
          put("certificationInfo", c.text);
          break;
        case "bizStep":
          e.bizStep = cbv("BizStep", c.text);
          break;
        case "disposition":
          e.disposition = cbv("Disp", c.text);
          break;
        case "epcList":
        case "childEPCs":
        case "inputEPCList":
        case "outputEPCList":
          e[c.local] = childrenNamed(c, "epc").map((x) => x.text);
          break;
        case "quantityList":
        case "childQuantityList":
        case "inputQuantityList":
        case "outputQuantityList":
          e[c.local] = childrenNamed(c, "quantityElement").map((q) => this.quantity(q));
          break;
        case "readPoint":
        case "bizLocation":
          e[c.local] = this.objectWithExtensions(c, (x) => (x.local === "id" ? ["id", x.text] : undefined));
          break;
        case "bizTransactionList":
          e.bizTransactionList = childrenNamed(c, "bizTransaction").map((b) =>
            b.attrs.type === undefined
              ? { bizTransaction: b.text }
              : { type: cbv("BTT", b.attrs.type), bizTransaction: b.text },
          );
          break;
        case "sourceList":
        case "destinationList": {
          const item = c.local === "sourceList" ? "source" : "destination";
          e[c.local] = childrenNamed(c, item).map((s) => ({ type: cbv("SDT", s.attrs.type ?? ""), [item]: s.text }));
          break;
        }
        case "ilmd":
          e.ilmd = Object.fromEntries(
            flat(c.children).map((x) => (x.ns !== undefined ? this.extension(x) : [x.local, this.extensionValue(x)])),
          );
          break;
        case "persistentDisposition": {
          const pd: Record<string, string[]> = {};
          for (const which of ["set", "unset"] as const) {
            const values = childrenNamed(c, which).map((x) => cbv("Disp", x.text));
            if (values.length > 0) pd[which] = values;
          }
          e.persistentDisposition = pd;
          break;
        }
        case "errorDeclaration":
          e.errorDeclaration = this.objectWithExtensions(c, (x) => {
            if (x.local === "declarationTime") return ["declarationTime", x.text];
            if (x.local === "reason") return ["reason", cbv("ER", x.text)];
            if (x.local === "correctiveEventIDs")
              return ["correctiveEventIDs", childrenNamed(x, "correctiveEventID").map((id) => id.text)];
            return undefined;
          });
          break;
        case "sensorElementList":
          e.sensorElementList = childrenNamed(c, "sensorElement").map((se) => {
            const out: Record<string, unknown> = {};
            const meta = child(se, "sensorMetadata");
            if (meta !== undefined) out.sensorMetadata = this.sensorAttrs(meta);
            out.sensorReport = childrenNamed(se, "sensorReport").map((r) => this.sensorAttrs(r));
            for (const x of flat(se.children))
              if (x.ns !== undefined) {
                const [key, value] = this.extension(x);
                out[key] = value;
              }
            return out;
          });
          break;
        default:
          // Unknown unqualified element: kept under its name, so validation refuses it with a reason.
          e[c.local] = this.extensionValue(c);
      }
    }
    return e;
  }

  header(el: XEl, doc: Record<string, unknown>): void {
    const header: Record<string, unknown> = {};
    for (const c of flat(el.children)) {
      if (c.local === "StandardBusinessDocumentHeader") {
        const sbdh = (name: string) => c.children.find((x) => x.local === name);
        const sender = sbdh("Sender")?.children.find((x) => x.local === "Identifier")?.text;
        const receiver = sbdh("Receiver")?.children.find((x) => x.local === "Identifier")?.text;
        const instance = sbdh("DocumentIdentification")?.children.find((x) => x.local === "InstanceIdentifier")?.text;
        if (sender !== undefined) doc.sender = sender;
        if (receiver !== undefined) doc.receiver = receiver;
        if (instance !== undefined) doc.instanceIdentifier = instance;
      } else if (c.ns === undefined && c.local === "EPCISMasterData") {
        const vocabularies = childrenNamed(child(c, "VocabularyList") ?? c, "Vocabulary").map((v) => ({
          type: v.attrs.type ?? "",
          vocabularyElementList: childrenNamed(child(v, "VocabularyElementList") ?? v, "VocabularyElement").map(
            (ve) => {
              const attributes = childrenNamed(ve, "attribute").map((a) => ({
                id: a.attrs.id ?? "",
                attribute: a.children.length > 0 ? this.extensionValue(a) : a.text,
              }));
              const children = child(ve, "children");
              return {
                id: ve.attrs.id ?? "",
                ...(attributes.length > 0 ? { attributes } : {}),
                ...(children !== undefined ? { children: childrenNamed(children, "id").map((x) => x.text) } : {}),
              };
            },
          ),
        }));
        header.epcisMasterData = { vocabularyList: vocabularies };
      } else if (c.ns !== undefined) {
        const [key, value] = this.extension(c);
        header[key] = value;
      }
    }
    if (Object.keys(header).length > 0) doc.epcisHeader = header;
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/**
 * Reads an EPCIS 1.2 or 2.0 XML capture document into the EPCIS 2.0 JSON-LD
 * model (not yet validated: see {@link readEpcisXml}). Throws
 * `UnsupportedEpcis` for XML that is not an EPCISDocument.
 */
export function epcisXmlToJson(xml: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(xml)) unsupported("XML with a DTD is not read", "", "xml:doctype");
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (cause) {
    throw new MedchainError("UnsupportedEpcis", "not well-formed XML", {
      details: { event: null, path: "", rule: "xml:syntax", count: 1 },
      cause,
    });
  }
  const roots = toTree(parsed, new Map());
  const root = roots[0];
  if (root === undefined) unsupported("no XML root element", "", "xml:syntax");
  if (root.local === "EPCISQueryDocument")
    unsupported("EPCIS query documents " + "are not captured from XML", "/", "xml:documentType");
  if (root.local !== "EPCISDocument" || root.rawNs === undefined || !EPCIS_XML_NAMESPACES.includes(root.rawNs)) {
    unsupported("not an EPCIS 1.x/2.0 XML document", "/", "xml:documentType");
  }

  const conv = new Converter();
  const doc: Record<string, unknown> = { "@context": [EPCIS_CONTEXT_URL], type: "EPCISDocument", schemaVersion: "2.0" };
  if (root.attrs.creationDate !== undefined) doc.creationDate = root.attrs.creationDate;
  const header = child(root, "EPCISHeader");
  if (header !== undefined) conv.header(header, doc);
  const body = child(root, "EPCISBody");
  const eventList = body === undefined ? undefined : child(body, "EventList");
  const events: Record<string, unknown>[] = [];
  for (const e of eventList === undefined ? [] : flat(eventList.children)) {
    if (e.ns !== undefined)
      unsupported(
        "extension event types " + "are not supported",
        `/epcisBody/eventList/${events.length}`,
        "epcis:eventType",
      );
    events.push(conv.event(e));
  }
  doc.epcisBody = { eventList: events };
  if (conv.userNs.size > 0) doc["@context"] = [EPCIS_CONTEXT_URL, Object.fromEntries(conv.userNs)];
  return doc;
}

/**
 * Reads and validates an EPCIS XML document (EPCIS 1.2, e.g. DSCSA, or 2.0):
 * the result is a valid EPCIS 2.0 JSON-LD document. Throws `UnsupportedEpcis`
 * or `InvalidEpcis` (see {@link validateEpcisDocument}).
 */
export function readEpcisXml(xml: string, options?: ValidateEpcisOptions): EpcisDocument {
  return validateEpcisDocument(epcisXmlToJson(xml), options);
}
