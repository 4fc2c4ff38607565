/**
 * W3C Verifiable Credentials Data Model checks (1.1 and 2.0) for JSON
 * credentials and presentations, written with zod. What is checked is what a
 * JSON processor can check without JSON-LD expansion: the base @context first
 * and the other entries URLs or objects, `type` (VerifiableCredential /
 * VerifiablePresentation present, values strings), `id`s single URLs, the
 * issuer (a URL or an object with a URL id), credentialSubject (present, each
 * object holding a claim), the dates (format, and validFrom <= validUntil in
 * 2.0), the shapes of credentialStatus, credentialSchema, evidence,
 * termsOfUse, refreshService and proof (a type, and an id where the version
 * requires one), holder, embedded and enveloped credentials in presentations,
 * and 2.0 names and descriptions (string or language value object).
 *
 * Not checked (needs JSON-LD processing): that terms are defined by the
 * active context, protected-term redefinition, and `@vocab` mappings.
 */
import { z } from "zod";
import { MedchainError } from "../../kernel/errors.ts";
import "./errors.ts";

/** Base context of VC Data Model 1.1. */
export const VC_CONTEXT_V1 = "https://www.w3.org/2018/credentials/v1";
/** Base context of VC Data Model 2.0. */
export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";

/** Which data model a document follows (from its first @context entry). */
export type VcVersion = "1.1" | "2.0";

/** One reason a document fails the data model: where (e.g. `credentialStatus.id`) and which rule. */
export interface DataModelIssue {
  path: string;
  message: string;
}

/** Result of a data-model check. */
export type DataModelResult =
  { ok: true; version: VcVersion } | { ok: false; version: VcVersion | null; issues: DataModelIssue[] };

/** Options of the data-model checks. */
export interface DataModelOptions {
  /**
   * `verify` (default): a complete document as a verifier receives it.
   * `issue`: a credential handed to an issuer, which sets the issuer itself
   * (and, in 1.1, issuanceDate): those may then be absent, and an issuer
   * object may lack its id.
   */
  mode?: "verify" | "issue";
  /** Require an embedded `proof` (documents secured by an embedded proof rather than a JWT envelope). */
  requireEmbeddedProof?: boolean;
}

const URL_SYNTAX = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** True when `s` is an absolute URL (any scheme: https, did, urn, data, eip155 ...) with no whitespace. */
export function isUrl(s: string): boolean {
  return URL_SYNTAX.test(s) && URL.canParse(s);
}

const DATE_TIME =
  /^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/;

function realDate(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return true; // outside the range JS dates can check (expanded or negative years)
  const [y, m, d] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** An XML Schema dateTime; with `requireOffset`, a dateTimeStamp (time zone required, as VC 2.0 asks). */
function zDateTime(requireOffset: boolean): z.ZodType<string> {
  return z
    .string({ error: (i) => (i.input === undefined ? "is required" : "must be a single " + "date-time string") })
    .refine((s) => DATE_TIME.test(s) && realDate(s) && (!requireOffset || /(Z|[+-][0-9]{2}:[0-9]{2})$/.test(s)), {
      message: requireOffset
        ? "must be an XML Schema " + "dateTimeStamp (with a time zone)"
        : "must be an XML Schema dateTime",
    });
}

const zUrl = z
  .string({ error: (i) => (i.input === undefined ? "is required" : "must be a single URL") })
  .refine(isUrl, { message: "must be a URL" });
const zTypeValue = z
  .string({ message: "type values must be strings" })
  .regex(/^\S+$/, { message: "type values must " + "be terms or URLs" });
const zTypes = z.union([zTypeValue, z.array(zTypeValue).min(1, { message: "must hold at least one type" })], {
  message: "must be a type or a " + "non-empty array of types",
});

/** Re-reports the issues of `schema` on `value` at the current path (so nested paths survive a dispatch). */
function delegate(schema: z.ZodType, value: unknown, ctx: z.RefinementCtx): void {
  const r = schema.safeParse(value);
  if (!r.success)
    for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: [...i.path], message: i.message });
}

/** One `item` or a non-empty array of them; issues keep their inner path (e.g. `credentialStatus.type`). */
function oneOrMany(item: z.ZodType): z.ZodType {
  const many = z.array(item).min(1, { message: "must hold at least one entry" });
  return z.unknown().superRefine((v, ctx) => {
    if (v === undefined) ctx.addIssue({ code: "custom", message: "is required" });
    else delegate(Array.isArray(v) ? many : item, v, ctx);
  });
}

/** A URL, or an object checked by `object` (issuer, holder); anything else fails with `message`. */
function urlOrObject(object: z.ZodType, message: string): z.ZodType {
  return z.unknown().superRefine((v, ctx) => {
    if (v === undefined) ctx.addIssue({ code: "custom", message: "is required" });
    else if (typeof v === "string") delegate(zUrl, v, ctx);
    else if (typeof v === "object" && v !== null && !Array.isArray(v)) delegate(object, v, ctx);
    else ctx.addIssue({ code: "custom", message });
  });
}

/** An object that must have a type, and an id (a URL) when `idRequired`. */
function typed(idRequired: boolean): z.ZodType {
  return z.looseObject({ id: idRequired ? zUrl : zUrl.optional(), type: zTypes });
}

const zLanguageValue = z.strictObject({
  "@value": z.string(),
  "@language": z.string().optional(),
  "@direction": z.enum(["ltr", "rtl"]).optional(),
});
const zNameOrDescription = oneOrMany(
  z.union([z.string(), zLanguageValue], { message: "must be a string or a " + "language value object" }),
);
const zProof = z.looseObject({ type: zTypes });
const zSubject = z
  .looseObject({ id: zUrl.optional() })
  .refine((o) => Object.keys(o).length > 0, { message: "each credential subject must hold at least one claim" });

function contextEntries(version: VcVersion): z.ZodType {
  const base = version === "1.1" ? VC_CONTEXT_V1 : VC_CONTEXT_V2;
  const entry = z.union([zUrl, z.record(z.string(), z.unknown())], {
    message: "@context entries must be " + "URLs or context objects",
  });
  return z.union([z.literal(base), z.array(entry).min(1)], {
    message: "must be an ordered set of " + "URLs and context objects",
  });
}

function typesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function credentialSchema(version: VcVersion, options: DataModelOptions): z.ZodType {
  const issue = options.mode === "issue";
  const v1 = version === "1.1";
  const issuerObject = z.looseObject({
    id: issue ? zUrl.optional() : zUrl,
    ...(v1 ? {} : { name: zNameOrDescription.optional(), description: zNameOrDescription.optional() }),
  });
  const issuer = urlOrObject(issuerObject, "must be a single URL or an object whose id is a URL");
  const proof = oneOrMany(zProof);
  const shape = {
    "@context": contextEntries(version),
    id: zUrl.optional(),
    type: zTypes,
    issuer: issue ? issuer.optional() : issuer,
    credentialSubject: oneOrMany(zSubject),
    credentialStatus: oneOrMany(typed(v1)).optional(),
    credentialSchema: oneOrMany(typed(true)).optional(),
    evidence: oneOrMany(typed(false)).optional(),
    termsOfUse: oneOrMany(typed(false)).optional(),
    refreshService: oneOrMany(typed(v1)).optional(),
    proof: options.requireEmbeddedProof === true ? proof : proof.optional(),
    ...(v1
      ? {
          issuanceDate: issue ? zDateTime(false).optional() : zDateTime(false),
          expirationDate: zDateTime(false).optional(),
        }
      : {
          validFrom: zDateTime(true).optional(),
          validUntil: zDateTime(true).optional(),
          name: zNameOrDescription.optional(),
          description: zNameOrDescription.optional(),
        }),
  };
  return z.looseObject(shape).superRefine((doc, ctx) => {
    if (!typesOf(doc.type).includes("VerifiableCredential"))
      ctx.addIssue({ code: "custom", path: ["type"], message: "must include " + "VerifiableCredential" });
    const from = (doc as { validFrom?: unknown }).validFrom;
    const until = (doc as { validUntil?: unknown }).validUntil;
    if (typeof from === "string" && typeof until === "string" && Date.parse(from) > Date.parse(until)) {
      ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must not be earlier than validFrom" });
    }
  });
}

function presentationSchema(version: VcVersion, options: DataModelOptions): z.ZodType {
  const proof = oneOrMany(zProof);
  return z
    .looseObject({
      "@context": contextEntries(version),
      id: zUrl.optional(),
      type: zTypes,
      holder: urlOrObject(
        z.looseObject({ id: zUrl }),
        "must be a single URL or an object whose id is a URL",
      ).optional(),
      proof: options.requireEmbeddedProof === true ? proof : proof.optional(),
    })
    .superRefine((doc, ctx) => {
      if (!typesOf(doc.type).includes("VerifiablePresentation"))
        ctx.addIssue({ code: "custom", path: ["type"], message: "must include " + "VerifiablePresentation" });
    });
}

function pathString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}

function prefixed(prefix: string, issues: DataModelIssue[]): DataModelIssue[] {
  return issues.map((i) => ({
    path: i.path === "" ? prefix : i.path.startsWith("[") ? `${prefix}${i.path}` : `${prefix}.${i.path}`,
    message: i.message,
  }));
}

function detectVersion(doc: unknown): VcVersion | DataModelIssue {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return { path: "", message: "must be a JSON object" };
  const ctx = (doc as Record<string, unknown>)["@context"];
  if (ctx === undefined) return { path: "@context", message: "is required" };
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  if (first === VC_CONTEXT_V1) return "1.1";
  if (first === VC_CONTEXT_V2) return "2.0";
  return {
    path: Array.isArray(ctx) ? "@context[0]" : "@context",
    message: `the first @context entry must be ${VC_CONTEXT_V1} (VC 1.1) or ${VC_CONTEXT_V2} (VC 2.0)`,
  };
}

function run(schema: z.ZodType, doc: unknown): DataModelIssue[] {
  const r = schema.safeParse(doc);
  return r.success ? [] : r.error.issues.map((i) => ({ path: pathString(i.path), message: i.message }));
}

function outcome(version: VcVersion | null, issues: DataModelIssue[]): DataModelResult {
  return issues.length === 0 && version !== null ? { ok: true, version } : { ok: false, version, issues };
}

/** Checks a JSON credential against the VC Data Model version its @context names (1.1 or 2.0). */
export function checkCredential(doc: unknown, options: DataModelOptions = {}): DataModelResult {
  const version = detectVersion(doc);
  if (typeof version !== "string") return outcome(null, [version]);
  return outcome(version, run(credentialSchema(version, options), doc));
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function envelopedIssues(entry: Record<string, unknown>): DataModelIssue[] {
  const issues: DataModelIssue[] = [];
  const ctx = entry["@context"];
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  if (first !== VC_CONTEXT_V2)
    issues.push({ path: "@context", message: `must be present and start with ${VC_CONTEXT_V2}` });
  if (typeof entry.id !== "string" || !/^data:[^,]*,./.test(entry.id))
    issues.push({ path: "id", message: "must be a data: URL holding " + "the secured credential" });
  if (!typesOf(entry.type).includes("EnvelopedVerifiableCredential"))
    issues.push({ path: "type", message: "must be " + "EnvelopedVerifiableCredential" });
  return issues;
}

function embeddedCredentialIssues(version: VcVersion, entry: unknown, options: DataModelOptions): DataModelIssue[] {
  if (typeof entry === "string") {
    if (version === "2.0")
      return [{ path: "", message: "must be a credential object or an " + "enveloped credential, not a string" }];
    return COMPACT_JWS.test(entry) ? [] : [{ path: "", message: "a string entry must be a JWT credential" }];
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return [{ path: "", message: "must be a credential object" }];
  const obj = entry as Record<string, unknown>;
  if (
    version === "2.0" &&
    (typesOf(obj.type).includes("EnvelopedVerifiableCredential") ||
      (typeof obj.id === "string" && obj.id.startsWith("data:")))
  ) {
    return envelopedIssues(obj);
  }
  const r = checkCredential(obj, {
    mode: "verify",
    ...(options.requireEmbeddedProof === undefined ? {} : { requireEmbeddedProof: options.requireEmbeddedProof }),
  });
  return r.ok ? [] : r.issues;
}

/** Checks a JSON presentation (and every credential it embeds) against the VC Data Model version its @context names. */
export function checkPresentation(doc: unknown, options: DataModelOptions = {}): DataModelResult {
  const version = detectVersion(doc);
  if (typeof version !== "string") return outcome(null, [version]);
  const issues = run(presentationSchema(version, options), doc);
  const vcs = (doc as Record<string, unknown>).verifiableCredential;
  if (vcs !== undefined) {
    if (Array.isArray(vcs) && vcs.length === 0)
      issues.push({ path: "verifiableCredential", message: "must hold at least one " + "credential when present" });
    const list = Array.isArray(vcs) ? vcs : [vcs];
    list.forEach((vc, i) => {
      const at = Array.isArray(vcs) ? `verifiableCredential[${i}]` : "verifiableCredential";
      issues.push(...prefixed(at, embeddedCredentialIssues(version, vc, options)));
    });
  }
  return outcome(version, issues);
}

function assertOk(r: DataModelResult, what: string): VcVersion {
  if (r.ok) return r.version;
  const first = r.issues[0] ?? { path: "", message: "is invalid" };
  throw new MedchainError(
    "InvalidCredential",
    `${what} does not follow the VC data model: ${first.path === "" ? "document" : first.path} ${first.message}`,
    {
      details: { path: first.path, issues: r.issues },
    },
  );
}

/** Like {@link checkCredential}, but throws `InvalidCredential` (details.path, details.issues) on the first failure. */
export function assertCredentialDataModel(doc: unknown, options: DataModelOptions = {}): VcVersion {
  return assertOk(checkCredential(doc, options), "credential");
}

/**
 * Like {@link checkPresentation}, but throws `InvalidCredential` (details.path, details.issues) on the first failure.
 */
export function assertPresentationDataModel(doc: unknown, options: DataModelOptions = {}): VcVersion {
  return assertOk(checkPresentation(doc, options), "presentation");
}
