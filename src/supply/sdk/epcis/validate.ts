/**
 * Validation of EPCIS 2.0 capture documents (JSON / JSON-LD): first against
 * GS1's EPCIS 2.0 JSON Schema (draft-07, `schema/EPCIS-JSON-Schema.json`),
 * then against the rules the schema cannot express: CBV 2.0 vocabulary
 * (bizStep, disposition, business transaction / source / destination types,
 * error reasons), declared namespaces for ILMD and user extension fields,
 * `action`, and time formats.
 *
 * A refused document raises `InvalidEpcis` (or `UnsupportedEpcis` for what
 * medchain does not take, e.g. extension event types) with
 * `details: { event, path, rule, count }`: the first problem (event index or
 * null, JSON pointer, rule id) and how many problems were found. Messages and
 * details name fields, never values.
 *
 * Schema notes: `format: "uri"` is not asserted (as in GS1's own and most
 * draft-07 validators, which ship no RFC 3986 checker): it would make every
 * non-standard bizStep a schema error and, in this schema version, refuse
 * `persistentDisposition` on AggregationEvents; URIs and user vocabulary are
 * checked by the CBV rules below instead. `date-time` is asserted (RFC 3339).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import { MedchainError } from "../../../kernel/errors.ts";
import schema from "./schema/EPCIS-JSON-Schema.json" with { type: "json" };
import type { EpcisDocument } from "./types.ts";
import { EPCIS_EVENT_TYPES } from "./types.ts";
import { declaredPrefixes, RESERVED_VOCABULARY_PREFIXES, standardCbvTerm, type CbvVocabulary } from "./vocabulary.ts";
import "../errors.ts";

/** Options of {@link validateEpcisDocument}. */
export interface ValidateEpcisOptions {
  /**
   * Prefixes declared by remote JSON-LD contexts other than the EPCIS one
   * (which cannot be fetched here), by context URL, e.g. an industry
   * extension context: `{ "https://…/hc-context.jsonld": { gs1egypthc: "https://…/voc/" } }`.
   */
  knownContexts?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One problem found in a document (the first one is reported). */
export interface EpcisProblem {
  /** Index of the event in the event list, or null for document-level problems. */
  event: number | null;
  /** JSON pointer of the offending field. */
  path: string;
  /** Stable rule id: `schema:<keyword>`, `cbv:<field>`, `namespace:<where>`, `epcis:<field>`, `time:<field>`. */
  rule: string;
  /** One-line description, naming the field, never its value. */
  message: string;
}

// ajv-formats is CommonJS: its plugin is both `module.exports` and `.default`.
const addFormats = addFormatsPlugin.default;

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv, ["date-time"]);
    ajv.addFormat("uri", true);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

const COMBINATORS = new Set(["if", "then", "else", "anyOf", "oneOf", "allOf", "not"]);

function eventIndexOf(path: string): number | null {
  const m = /^\/epcisBody\/(?:queryResults\/resultsBody\/)?eventList\/(\d+)(?:\/|$)/.exec(path);
  return m === null ? null : Number(m[1]);
}

function schemaProblem(e: ErrorObject): EpcisProblem {
  const params = e.params as Record<string, unknown>;
  const extra =
    e.keyword === "required"
      ? params.missingProperty
      : e.keyword === "additionalProperties"
        ? params.additionalProperty
        : e.keyword === "propertyNames"
          ? params.propertyName
          : undefined;
  const path =
    typeof extra === "string"
      ? `${e.instancePath}/${extra.replaceAll("~", "~0").replaceAll("/", "~1")}`
      : e.instancePath;
  const what: Record<string, string> = {
    required: "a required field is missing",
    additionalProperties: "a field is not allowed here",
    type: "a field has the wrong JSON type",
    enum: "a field has a value outside the allowed set",
    format: "a field is not in the required format",
    pattern: "a field does not match the required pattern",
  };
  return {
    event: eventIndexOf(e.instancePath),
    path,
    rule: `schema:${e.keyword}`,
    message:
      `EPCIS document does not match the EPCIS 2.0 JSON schema: ` + `${what[e.keyword] ?? `${e.keyword} check failed`}`,
  };
}

// ---------------------------------------------------------------------------
// Rules beyond the schema.

const COMMON_EVENT_KEYS = [
  "@context",
  "type",
  "eventTime",
  "recordTime",
  "eventTimeZoneOffset",
  "eventID",
  "certificationInfo",
  "errorDeclaration",
  "bizStep",
  "disposition",
  "persistentDisposition",
  "readPoint",
  "bizLocation",
  "bizTransactionList",
  "sourceList",
  "destinationList",
  "sensorElementList",
];
const EVENT_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  ObjectEvent: new Set([...COMMON_EVENT_KEYS, "action", "epcList", "quantityList", "ilmd"]),
  AggregationEvent: new Set([...COMMON_EVENT_KEYS, "action", "parentID", "childEPCs", "childQuantityList"]),
  TransactionEvent: new Set([...COMMON_EVENT_KEYS, "action", "parentID", "epcList", "quantityList"]),
  TransformationEvent: new Set([
    ...COMMON_EVENT_KEYS,
    "transformationID",
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "ilmd",
  ]),
  AssociationEvent: new Set([...COMMON_EVENT_KEYS, "action", "parentID", "childEPCs", "childQuantityList"]),
};
const NESTED_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  readPoint: new Set(["id"]),
  bizLocation: new Set(["id"]),
  errorDeclaration: new Set(["declarationTime", "reason", "correctiveEventIDs"]),
  sensorElement: new Set(["sensorMetadata", "sensorReport"]),
  sensorMetadata: new Set([
    "time",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "startTime",
    "endTime",
    "dataProcessingMethod",
    "bizRules",
  ]),
  sensorReport: new Set([
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
    "time",
    "microorganism",
    "chemicalSubstance",
    "coordinateReferenceSystem",
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
  ]),
};
const ACTIONS = new Set(["ADD", "OBSERVE", "DELETE"]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const TZ_OFFSET = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;
const ABSOLUTE_SCHEMES = new Set(["http", "https", "urn"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const pointer = (...parts: (string | number)[]): string =>
  parts.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");

class Checker {
  readonly problems: EpcisProblem[] = [];
  constructor(private prefixes: Map<string, string>) {}

  add(event: number | null, path: string, rule: string, message: string): void {
    this.problems.push({ event, path, rule, message });
  }

  /** A key is namespaced when it is `prefix:local` with a declared prefix, or a full http(s)/urn IRI. */
  namespaced(key: string): boolean {
    const colon = key.indexOf(":");
    if (colon <= 0 || colon === key.length - 1) return false;
    const prefix = key.slice(0, colon);
    return this.prefixes.has(prefix) || ABSOLUTE_SCHEMES.has(prefix);
  }

  /**
   * User vocabulary: an absolute http(s)/urn IRI or a CURIE with a declared prefix, outside GS1's own CBV namespaces.
   */
  userVocabulary(value: string): boolean {
    const colon = value.indexOf(":");
    if (colon <= 0 || colon === value.length - 1) return false;
    const prefix = value.slice(0, colon);
    let iri: string;
    if (ABSOLUTE_SCHEMES.has(prefix)) iri = value;
    else {
      const ns = this.prefixes.get(prefix);
      if (ns === undefined) return false;
      iri = ns + value.slice(colon + 1);
    }
    return !RESERVED_VOCABULARY_PREFIXES.some((r) => iri.startsWith(r));
  }

  vocabulary(event: number, path: string, vocabulary: CbvVocabulary, value: unknown, rule: string, what: string): void {
    if (typeof value !== "string") return; // the schema reports wrong types
    if (standardCbvTerm(vocabulary, value) !== undefined || this.userVocabulary(value)) return;
    this.add(event, path, rule, `${what} is neither a CBV 2.0 standard value nor a URI of a declared user vocabulary`);
  }

  extensions(
    event: number,
    base: string,
    obj: Record<string, unknown>,
    standard: ReadonlySet<string>,
    rule: string,
    what: string,
  ): void {
    for (const key of Object.keys(obj)) {
      if (standard.has(key) || this.namespaced(key)) continue;
      this.add(
        event,
        `${base}${pointer(key)}`,
        rule,
        `${what} field has no declared namespace (prefix:name with a prefix from @context)`,
      );
    }
  }

  time(event: number, path: string, value: unknown, rule: string, what: string): void {
    if (typeof value === "string" && !RFC3339.test(value))
      this.add(event, path, rule, `${what} is not an RFC 3339 date-time with a UTC offset`);
  }

  event(i: number, base: string, e: Record<string, unknown>): void {
    const type = e.type;
    if (typeof type !== "string" || !(EPCIS_EVENT_TYPES as readonly string[]).includes(type)) {
      throw new MedchainError("UnsupportedEpcis", "only the five EPCIS 2.0 event types are supported", {
        details: { event: i, path: `${base}/type`, rule: "epcis:eventType", count: 1 },
      });
    }
    const saved = this.prefixes;
    if (e["@context"] !== undefined) this.prefixes = new Map([...saved, ...declaredPrefixes(e["@context"])]);
    try {
      this.extensions(i, base, e, EVENT_KEYS[type] ?? new Set(), "namespace:extension", "event");
      this.time(i, `${base}/eventTime`, e.eventTime, "time:eventTime", "eventTime");
      this.time(i, `${base}/recordTime`, e.recordTime, "time:recordTime", "recordTime");
      if (typeof e.eventTimeZoneOffset === "string" && !TZ_OFFSET.test(e.eventTimeZoneOffset)) {
        this.add(
          i,
          `${base}/eventTimeZoneOffset`,
          "time:eventTimeZoneOffset",
          "eventTimeZoneOffset is not " + "±hh:mm within -14:00..+14:00",
        );
      }
      if (type !== "TransformationEvent") {
        if (typeof e.action !== "string" || !ACTIONS.has(e.action))
          this.add(i, `${base}/action`, "epcis:action", "action must be ADD, " + "OBSERVE or DELETE");
      }
      if (type === "AggregationEvent" && e.action !== "DELETE" && e.parentID === undefined) {
        this.add(
          i,
          `${base}/parentID`,
          "epcis:parentID",
          "an AggregationEvent with action " + "ADD or OBSERVE needs a parentID",
        );
      }
      if (e.bizStep !== undefined)
        this.vocabulary(i, `${base}/bizStep`, "BizStep", e.bizStep, "cbv:bizStep", "bizStep");
      if (e.disposition !== undefined)
        this.vocabulary(i, `${base}/disposition`, "Disp", e.disposition, "cbv:disposition", "disposition");
      if (isRecord(e.persistentDisposition)) {
        for (const which of ["set", "unset"] as const) {
          const list = e.persistentDisposition[which];
          if (!Array.isArray(list)) continue;
          list.forEach((d, j) =>
            this.vocabulary(
              i,
              `${base}/persistentDisposition/${which}/${j}`,
              "Disp",
              d,
              "cbv:persistentDisposition",
              "persistentDisposition",
            ),
          );
        }
      }
      for (const [list, vocab, rule] of [
        ["bizTransactionList", "BTT", "cbv:bizTransactionType"],
        ["sourceList", "SDT", "cbv:sourceDestinationType"],
        ["destinationList", "SDT", "cbv:sourceDestinationType"],
      ] as const) {
        const items = e[list];
        if (!Array.isArray(items)) continue;
        items.forEach((item, j) => {
          if (isRecord(item) && item.type !== undefined)
            this.vocabulary(i, `${base}/${list}/${j}/type`, vocab, item.type, rule, `${list} type`);
        });
      }
      for (const where of ["readPoint", "bizLocation"] as const) {
        const loc = e[where];
        if (isRecord(loc))
          this.extensions(i, `${base}/${where}`, loc, NESTED_KEYS[where] ?? new Set(), "namespace:extension", where);
      }
      if (isRecord(e.errorDeclaration)) {
        const ed = e.errorDeclaration;
        this.extensions(
          i,
          `${base}/errorDeclaration`,
          ed,
          NESTED_KEYS.errorDeclaration ?? new Set(),
          "namespace:extension",
          "errorDeclaration",
        );
        this.time(
          i,
          `${base}/errorDeclaration/declarationTime`,
          ed.declarationTime,
          "time:declarationTime",
          "declarationTime",
        );
        if (ed.reason !== undefined)
          this.vocabulary(i, `${base}/errorDeclaration/reason`, "ER", ed.reason, "cbv:errorReason", "error reason");
      }
      if (isRecord(e.ilmd)) this.extensions(i, `${base}/ilmd`, e.ilmd, new Set(), "namespace:ilmd", "ILMD");
      if (Array.isArray(e.sensorElementList)) {
        e.sensorElementList.forEach((se, j) => {
          if (!isRecord(se)) return;
          const sp = `${base}/sensorElementList/${j}`;
          this.extensions(i, sp, se, NESTED_KEYS.sensorElement ?? new Set(), "namespace:extension", "sensorElement");
          if (isRecord(se.sensorMetadata)) {
            this.extensions(
              i,
              `${sp}/sensorMetadata`,
              se.sensorMetadata,
              NESTED_KEYS.sensorMetadata ?? new Set(),
              "namespace:extension",
              "sensorMetadata",
            );
          }
          if (Array.isArray(se.sensorReport)) {
            se.sensorReport.forEach((r, k) => {
              if (isRecord(r))
                this.extensions(
                  i,
                  `${sp}/sensorReport/${k}`,
                  r,
                  NESTED_KEYS.sensorReport ?? new Set(),
                  "namespace:extension",
                  "sensorReport",
                );
            });
          }
        });
      }
    } finally {
      this.prefixes = saved;
    }
  }
}

function contextPrefixes(context: unknown, options: ValidateEpcisOptions): Map<string, string> {
  const known: Record<string, string> = {};
  const urls = (Array.isArray(context) ? context : [context]).filter((c): c is string => typeof c === "string");
  for (const url of urls) Object.assign(known, options.knownContexts?.[url] ?? {});
  return declaredPrefixes(context, known);
}

/**
 * Every problem of an EPCIS document, schema problems first (if the schema
 * fails, CBV rules are not run). Empty when the document is valid. Throws
 * `UnsupportedEpcis` for documents medchain does not take at all.
 */
export function epcisProblems(json: unknown, options: ValidateEpcisOptions = {}): EpcisProblem[] {
  if (!isRecord(json)) {
    return [{ event: null, path: "", rule: "schema:type", message: "an EPCIS document is a JSON object" }];
  }
  const validate = schemaValidator();
  if (!validate(json)) {
    const seen = new Set<string>();
    return (validate.errors ?? [])
      .filter((e) => !COMBINATORS.has(e.keyword))
      .map(schemaProblem)
      .filter((p) => !seen.has(`${p.rule} ${p.path}`) && seen.add(`${p.rule} ${p.path}`) !== undefined);
  }
  if (json.type !== "EPCISDocument" && json.type !== "EPCISQueryDocument") {
    throw new MedchainError("UnsupportedEpcis", "only EPCISDocument and EPCISQueryDocument are taken", {
      details: { event: null, path: "/type", rule: "epcis:documentType", count: 1 },
    });
  }
  const checker = new Checker(contextPrefixes(json["@context"], options));
  const body = json.epcisBody as Record<string, unknown>;
  const [base, list] =
    json.type === "EPCISQueryDocument"
      ? [
          "/epcisBody/queryResults/resultsBody/eventList",
          ((body.queryResults as Record<string, unknown>).resultsBody as Record<string, unknown>).eventList,
        ]
      : ["/epcisBody/eventList", body.eventList];
  if (Array.isArray(list)) list.forEach((e, i) => isRecord(e) && checker.event(i, `${base}/${i}`, e));
  return checker.problems;
}

/**
 * Validates an EPCIS 2.0 JSON/JSON-LD document (capture `EPCISDocument` or
 * `EPCISQueryDocument`) and returns it typed. Throws `InvalidEpcis` with
 * `details: { event, path, rule, count }` for the first problem, or
 * `UnsupportedEpcis`. Pure: nothing is stored or changed.
 */
export function validateEpcisDocument(json: unknown, options: ValidateEpcisOptions = {}): EpcisDocument {
  const problems = epcisProblems(json, options);
  const first = problems[0];
  if (first !== undefined) {
    throw new MedchainError("InvalidEpcis", first.message, {
      details: { event: first.event, path: first.path, rule: first.rule, count: problems.length },
    });
  }
  return json as EpcisDocument;
}
