/**
 * FHIR R4 Consent <-> on-chain grants.
 *
 * A grant permits one grantee address to obtain the keys of some coarse
 * categories of a patient's record, for some purposes of use, in a time
 * window. There are no deny grants: whatever is not granted is denied. So a
 * Consent maps to grants only when its permits can be written as such
 * windows exactly; anything else is refused with `UnsupportedConsent`
 * (details: `provision`, the FHIRPath-like path of the provision, and
 * `element`, the element inside it) rather than approximated. Every
 * provision of an accepted Consent appears in the returned `mapping`.
 *
 * Import semantics ({@link consentToGrants}):
 * - The resource must be a Consent (`InvalidFhir` otherwise; malformed
 *   elements are `InvalidFhir` naming the path), `status` active, `scope`
 *   patient-privacy, no `implicitRules` and no `modifierExtension` anywhere.
 *   `Consent.patient` is returned for the caller to check, never judged here.
 *   `category`, `dateTime`, `performer`, `organization`, `source[x]`,
 *   `policy`, `verification` are provenance of the consent, not rules.
 * - Effects. `policyRule` OPTIN is a base permit, OPTOUT a base deny (any
 *   other code is refused). The root provision takes its `type`, or when it
 *   has none the base's effect. A nested provision is an exception to its
 *   parent: its `type`, or when it has none the opposite of its parent's.
 *   (Caution: some R4 examples, e.g. consent-example-notThem, put a typeless
 *   root under OPTIN and mean "withhold"; all of them are refused for other
 *   reasons, but a producer that writes such consents should state `type`.)
 *   What a base policy permits to parties no provision names is never
 *   granted: a grant needs a named grantee.
 * - Actors. Only an actor whose role names the receiver of the data (v3
 *   ParticipationType PRCP or IRCP, v3 RoleCode GRANTEE) is a grantee. Any
 *   other role (author AUT, custodian CST, informant INF...) selects data by
 *   who wrote or holds it, which grants cannot express.
 * - A permit becomes one grant per resolved recipient (its own actors,
 *   intersected with those of enclosing provisions; a recipient who is the
 *   patient needs no grant and is noted). Categories come from `class`
 *   (resource-type codings; the categories of the listed types; no class =
 *   all categories). A class that lists only part of a category is refused
 *   unless `allowCategoryWidening` is set, because the grant would also open
 *   the category's other types (the widening is then noted). Purposes come
 *   from `purpose` (none = `defaultPurposes`), the window from `period`
 *   (none = now .. now + `defaultDurationSeconds`; a start without an end
 *   ends `defaultDurationSeconds` after max(start, now)). Conditions of
 *   enclosing provisions narrow (intersect) those of nested ones. Actions,
 *   when listed, must be among access, use, collect (a grant allows exactly
 *   these); none listed = access, use, collect.
 * - A permit that contains permits is a frame: its conditions narrow the
 *   nested permits and the grants come from them. (R4 reads nested rules as
 *   exceptions, which would make a nested permit redundant; the R4 examples
 *   use it as a narrowing. Granting the intersection is safe under both.)
 * - A deny directly inside a permit is subtracted from that permit's grants
 *   and from the exception grants of its sibling denies; a deny next to
 *   permits inside a deny is subtracted from their exception grants (deny
 *   wins among siblings). It removes a grant, or narrows its categories,
 *   purposes or window, when what remains is still one grant; a deny that
 *   removes part of a category, narrows two dimensions of one grant, splits
 *   a window in two, or denies use/collect but not access is refused. A deny
 *   of actions no grant allows (disclose, correct) or of purposes with no
 *   bit matches nothing and is noted; so does one whose recipient has no
 *   medchain address (it cannot hold a grant).
 * - A deny with no permit above or beside it (the root of an OPTOUT
 *   consent, or a deny inside such a deny) holds by absence: nothing is
 *   written, whatever it is limited to, so its elements are not judged. A
 *   permit inside it is an exception grant whose conditions include the
 *   deny's.
 * - Dates without a time zone are read as UTC; an end is inclusive at its
 *   precision (end "2015-02-01" = until 2015-02-02T00:00:00Z). A permit whose
 *   window has ended by `now` is refused ("would grant nothing: period ended").
 * - Order of refusal: first everything that makes the consent inexpressible
 *   whatever the date or the address book (tree in pre-order; in each
 *   provision the R4 element order actor, action, securityLabel, purpose,
 *   class, code, dataPeriod, data, then inherited conditions, then a missing
 *   recipient), then, building the grants, unresolvable recipients, ended
 *   windows and inexact deny subtractions.
 * Messages and details name element paths and terminology codes only; an
 * actor is shown by its resource type and role, never its id or name.
 *
 * Export ({@link grantsToConsents}) writes one OPTIN Consent per grant whose
 * single permit provision imports back to the same grant.
 */
import type { Coding, Consent, ConsentProvision, ConsentProvisionActor, Identifier } from "@medplum/fhirtypes";
import { MedchainError } from "../../kernel/errors.ts";
import { CATEGORY, categoryOf, type CategoryName } from "../../kernel/categories.ts";
import { FHIR_R4_RESOURCE_TYPES } from "../../kernel/fhirResourceTypes.ts";
import { normalizeGrantSpec, validateGrantSpec, type GrantSpec } from "./grantSpec.ts";
import {
  PURPOSE_CODES,
  PURPOSE_SYSTEM,
  isPurposeCode,
  purposeFromCoding,
  sortPurposes,
  type PurposeCode,
} from "../../kernel/purposes.ts";
import "./errors.ts";

/** Code system of `Consent.scope`. */
export const CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
/** Code system of `policyRule` (OPTIN, OPTOUT). */
export const ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/** Code system of actor roles (PRCP, IRCP, AUT, CST...). */
export const PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
/** Code system of `provision.action`. */
export const CONSENT_ACTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction";
/** Code system of `provision.class` codings that name resource types. */
export const RESOURCE_TYPES_SYSTEM = "http://hl7.org/fhir/resource-types";
/** Prefix of the identifier value an exported Consent carries: `urn:medchain:grant:<grantId>`. */
export const GRANT_URN_PREFIX = "urn:medchain:grant:";
/** The `meta.tag` that marks an exported break-glass grant. */
export const BREAK_GLASS_TAG: Readonly<Coding> = { system: PURPOSE_SYSTEM, code: "BTG", display: "break the glass" };

const LEGACY_SYSTEMS: Record<string, string> = {
  "http://hl7.org/fhir/consentscope": CONSENT_SCOPE_SYSTEM,
  "http://hl7.org/fhir/v3/ActCode": ACT_CODE_SYSTEM,
  "http://hl7.org/fhir/v3/ParticipationType": PARTICIPATION_TYPE_SYSTEM,
  "http://hl7.org/fhir/v3/RoleCode": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
  "http://hl7.org/fhir/consentaction": CONSENT_ACTION_SYSTEM,
};
const ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
const LOINC_SYSTEM = "http://loinc.org";
const PRIVACY_CONSENT_LOINC = "59284-0";
const GRANTABLE_ACTIONS: ReadonlySet<string> = new Set(["access", "use", "collect"]);
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(["collect", "access", "use", "disclose", "correct"]);
const DEFAULT_ACTIONS = ["access", "use", "collect"] as const;
/** What a non-recipient participation role selects data by (for messages). */
const ROLE_MEANING: Record<string, string> = {
  AUT: "author",
  CST: "custodian",
  INF: "informant",
  ENT: "data enterer",
  WIT: "witness",
  VRF: "verifier",
  LA: "legal authenticator",
  AUTHEN: "authenticator",
  TRC: "tracker",
  SBJ: "subject",
  DIR: "direct target",
};
const MAX_DEPTH = 16;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const ALL_CATEGORIES = Object.keys(CATEGORY) as CategoryName[];

// ---------------------------------------------------------------- resource types

const TYPES_BY_CATEGORY: ReadonlyMap<CategoryName, readonly string[]> = (() => {
  const m = new Map<CategoryName, string[]>(ALL_CATEGORIES.map((c) => [c, []]));
  for (const t of [...FHIR_R4_RESOURCE_TYPES].sort()) m.get(categoryOf(t))?.push(t);
  return m;
})();

/** Every FHIR R4 resource type whose coarse category is `category`, sorted (the inverse of `categoryOf`). */
export function resourceTypesOf(category: CategoryName): readonly string[] {
  return TYPES_BY_CATEGORY.get(category) ?? [];
}

// ---------------------------------------------------------------- public types

/** The reference of a `Consent.provision.actor`, as handed to the resolver. */
export interface ActorReference {
  /** Literal reference, e.g. "Practitioner/123". */
  reference?: string;
  /** Logical reference. */
  identifier?: { system?: string; value?: string };
  /** Text only; never used to resolve. */
  display?: string;
}

/** Inputs of {@link consentToGrants}. */
export interface ConsentImportContext {
  /** The patient (record owner) the grants are written for. */
  patient: `0x${string}`;
  /** Maps an actor reference to the medchain address of that person or organization, or undefined when unknown. */
  resolveActor(reference: ActorReference): `0x${string}` | undefined;
  /** Current time, unix seconds. */
  now: number;
  /** Length of a grant whose provision has no end, in seconds. */
  defaultDurationSeconds: number;
  /** Purposes of a grant whose provisions list none. */
  defaultPurposes: PurposeCode[];
  /** Accept a class listing part of a category, granting the whole category (noted). Default: refuse. */
  allowCategoryWidening?: boolean;
}

/** How one provision of the imported Consent was mapped. */
export interface ConsentMappingEntry {
  /**
   * FHIRPath-like path of the provision, e.g. "Consent.provision.provision[1]" ("Consent.policyRule" when there is
   * none).
   */
  provision: string;
  /** "grant": the provision is expressed by grants; "deny-by-absence": by grants not written or narrowed. */
  effect: "grant" | "deny-by-absence";
  /** Indices into `grants` created (permit) or narrowed (deny) by this provision. */
  grants: number[];
  /** What was done and from which elements, in words (no patient data). */
  note: string;
}

/** Result of {@link consentToGrants}. */
export interface ConsentImport {
  /** Grants to write, in provision order. */
  grants: GrantSpec[];
  /** One entry per provision, in document (pre-)order. */
  mapping: ConsentMappingEntry[];
  /** `Consent.patient` as found (reference and identifier only), for the caller to check against `ctx.patient`. */
  patient: { reference?: string; identifier?: { system?: string; value?: string } } | undefined;
}

/** A grant as read from the chain, to export. */
export interface ActiveGrant extends GrantSpec {
  /** The chain's id of the grant. */
  grantId: string;
  /** The patient (owner) the grant belongs to. */
  patient: `0x${string}`;
  /** True for an emergency (break-glass) grant. */
  breakGlass: boolean;
}

/** Inputs of {@link grantsToConsents}. */
export interface ConsentExportContext {
  /** The FHIR reference of the patient, e.g. "Patient/123" (the caller's choice: may be a pseudonym). */
  patientReference: string;
  /** The FHIR reference of a grantee address (must resolve back to it on import). */
  actorReference(address: `0x${string}`): { reference?: string; identifier?: { system: string; value: string } };
}

// ---------------------------------------------------------------- errors and small helpers

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function invalid(message: string, path: string): never {
  throw new MedchainError("InvalidFhir", message, { details: { path } });
}

function unsupported(provision: string, element: string, message: string): never {
  throw new MedchainError("UnsupportedConsent", `${provision}.${element}: ${message}`, {
    details: { provision, element },
  });
}

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,63}$/;

/** A code as shown in messages: terminology codes only, so anything that does not look like one is not echoed. */
function codeLabel(code: string | undefined): string {
  if (code === undefined) return "(no code)";
  return CODE_RE.test(code) ? code : "(code not shown)";
}

function canonicalSystem(system: string | undefined): string | undefined {
  return system !== undefined && Object.hasOwn(LEGACY_SYSTEMS, system) ? (LEGACY_SYSTEMS[system] ?? system) : system;
}

function fmtTime(t: number): string {
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

function intersect<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  return new Set([...a].filter((x) => b.has(x)));
}

function isSubset<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return [...a].every((x) => b.has(x));
}

// ---------------------------------------------------------------- parsing

interface Code {
  system: string | undefined;
  code: string | undefined;
}

interface Bound {
  /** Unix seconds (start: inclusive; end: exclusive). */
  t: number;
  /** The FHIR value as written. */
  text: string;
  /** Path of the provision it comes from. */
  from: string;
}

interface Interval {
  start: Bound | undefined;
  end: Bound | undefined;
}

interface ActorInfo {
  index: number;
  kind: "recipient" | "filter" | "unknown";
  /** Role code(s) as written, for notes. */
  role: string;
  /** What a filter role selects data by. */
  meaning: string;
  reference: ActorReference;
  /** Resource type of the reference (never its id). */
  label: string;
}

interface Item {
  index: number;
  /** Set key: the code when understood, else "?system|code". */
  key: string;
  /** For messages. */
  label: string;
  known: boolean;
}

type Role = "grant" | "frame" | "subtract" | "absence" | "redundant";

interface Node {
  path: string;
  effect: "permit" | "deny";
  effectWhy: string;
  period: Interval | undefined;
  actors: ActorInfo[];
  actions: Item[] | undefined;
  securityLabel: boolean;
  purposes: Item[] | undefined;
  /** key = resource type when `known`. */
  classes: Item[] | undefined;
  code: boolean;
  dataPeriod: boolean;
  data: boolean;
  parent: Node | undefined;
  children: Node[];
  role: Role;
}

function rejectModifiers(obj: Json, path: string, provision: string): void {
  if (obj.modifierExtension !== undefined) {
    unsupported(
      provision,
      path === provision ? "modifierExtension" : `${path.slice(provision.length + 1)}.modifierExtension`,
      "modifier extensions change the meaning of " + "what they sit on and are not understood here",
    );
  }
}

function arrayAt(obj: Json, key: string, path: string): unknown[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) invalid(`${key} must be an array`, `${path}.${key}`);
  return v;
}

function parseCoding(v: unknown, path: string): Code {
  if (!isObject(v)) invalid("coding is not an object", path);
  if (v.system !== undefined && typeof v.system !== "string")
    invalid("coding.system " + "must be a string", `${path}.system`);
  if (v.code !== undefined && typeof v.code !== "string") invalid("coding.code must be a string", `${path}.code`);
  return { system: canonicalSystem(v.system as string | undefined), code: v.code as string | undefined };
}

function parseCodeable(v: unknown, path: string): Code[] {
  if (!isObject(v)) invalid("CodeableConcept is not an object", path);
  const codings = arrayAt(v, "coding", path) ?? [];
  return codings.map((c, i) => parseCoding(c, `${path}.coding[${i}]`));
}

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** [first second, first second after] of a FHIR date/dateTime at its precision. */
function parseDateTime(v: unknown, path: string): { first: number; after: number; text: string } {
  if (typeof v !== "string") invalid("dateTime must be a string", path);
  const m = DATE_RE.exec(v);
  if (m === null) invalid("not a FHIR dateTime", path);
  const y = Number(m[1]);
  if (m[2] === undefined) return { first: Date.UTC(y, 0, 1) / 1000, after: Date.UTC(y + 1, 0, 1) / 1000, text: v };
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) invalid("not a FHIR dateTime", path);
  if (m[3] === undefined) return { first: Date.UTC(y, mo - 1, 1) / 1000, after: Date.UTC(y, mo, 1) / 1000, text: v };
  const d = Number(m[3]);
  if (d < 1 || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) invalid("not a FHIR dateTime", path);
  if (m[4] === undefined)
    return { first: Date.UTC(y, mo - 1, d) / 1000, after: Date.UTC(y, mo - 1, d + 1) / 1000, text: v };
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) invalid("not a FHIR dateTime", path);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) invalid("not a FHIR dateTime", path);
  return { first: Math.floor(ms / 1000), after: Math.ceil(ms / 1000), text: v };
}

function parsePeriod(v: unknown, path: string, provision: string): Interval | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) invalid("period is not an object", path);
  const s = v.start === undefined ? undefined : parseDateTime(v.start, `${path}.start`);
  const e = v.end === undefined ? undefined : parseDateTime(v.end, `${path}.end`);
  if (s !== undefined && e !== undefined && s.first >= e.after) invalid("period start is after its end", path);
  return {
    start: s === undefined ? undefined : { t: s.first, text: s.text, from: provision },
    end: e === undefined ? undefined : { t: e.after, text: e.text, from: provision },
  };
}

/** Resource type of a literal reference, or a neutral word: never the id. */
function referenceLabel(ref: ActorReference): string {
  if (typeof ref.reference === "string") {
    const parts = ref.reference.split(/[/?#]/).filter((p) => p.length > 0);
    for (let i = parts.length - 2; i >= 0; i--) {
      const p = parts[i];
      if (p !== undefined && FHIR_R4_RESOURCE_TYPES.has(p)) return p;
    }
    return ref.reference.startsWith("#") ? "contained resource" : "reference";
  }
  return ref.identifier !== undefined ? "identifier" : "reference";
}

function parseActor(v: unknown, i: number, provision: string): ActorInfo {
  const path = `${provision}.actor[${i}]`;
  if (!isObject(v)) invalid("actor is not an object", path);
  rejectModifiers(v, path, provision);
  if (v.role === undefined) invalid("actor.role is required", `${path}.role`);
  const role = parseCodeable(v.role, `${path}.role`);
  const r = v.reference;
  if (!isObject(r)) invalid("actor.reference is required", `${path}.reference`);
  const reference: ActorReference = {};
  if (r.reference !== undefined) {
    if (typeof r.reference !== "string") invalid("reference must be a string", `${path}.reference.reference`);
    reference.reference = r.reference;
  }
  if (r.identifier !== undefined) {
    if (!isObject(r.identifier)) invalid("identifier is not an object", `${path}.reference.identifier`);
    const { system, value } = r.identifier;
    if ((system !== undefined && typeof system !== "string") || (value !== undefined && typeof value !== "string")) {
      invalid("identifier.system and value must be strings", `${path}.reference.identifier`);
    }
    reference.identifier = { ...(system === undefined ? {} : { system }), ...(value === undefined ? {} : { value }) };
  }
  if (typeof r.display === "string") reference.display = r.display;
  const codes = role.filter((c) => c.code !== undefined);
  const recipient = codes.some(
    (c) =>
      (c.system === PARTICIPATION_TYPE_SYSTEM && (c.code === "PRCP" || c.code === "IRCP")) ||
      (c.system === ROLE_CODE_SYSTEM && c.code === "GRANTEE"),
  );
  const participation = codes.find((c) => c.system === PARTICIPATION_TYPE_SYSTEM);
  const kind = recipient ? "recipient" : participation !== undefined ? "filter" : "unknown";
  const roleText = codes.map((c) => codeLabel(c.code)).join("/") || "(no code)";
  const pcode = participation?.code;
  const meaning =
    pcode === undefined
      ? "participation"
      : Object.hasOwn(ROLE_MEANING, pcode)
        ? (ROLE_MEANING[pcode] ?? pcode)
        : `participation ${codeLabel(pcode)}`;
  return { index: i, kind, role: roleText, meaning, reference, label: referenceLabel(reference) };
}

function parseProvision(
  v: unknown,
  path: string,
  parent: Node | undefined,
  base: "permit" | "deny" | undefined,
  baseCode: string | undefined,
  depth: number,
): Node {
  if (!isObject(v)) invalid("provision is not an object", path);
  if (depth > MAX_DEPTH) unsupported(path, "provision", `provisions nest deeper than ${MAX_DEPTH} levels`);
  rejectModifiers(v, path, path);
  const type = v.type;
  if (type !== undefined && type !== "permit" && type !== "deny")
    invalid("provision.type must " + "be permit or deny", `${path}.type`);
  let effect: "permit" | "deny";
  let effectWhy: string;
  if (type !== undefined) {
    effect = type;
    effectWhy = "";
  } else if (parent === undefined) {
    if (base === undefined)
      unsupported(
        "Consent",
        "policyRule",
        "the root provision has no type and there is " + "no OPTIN/OPTOUT policyRule to take it from",
      );
    effect = base;
    effectWhy = ` (no type: read as ${base} from policyRule ${baseCode ?? ""})`;
  } else {
    effect = parent.effect === "permit" ? "deny" : "permit";
    effectWhy = ` (no type: read as ${effect}, an exception to its parent)`;
  }
  const node: Node = {
    path,
    effect,
    effectWhy,
    period: parsePeriod(v.period, `${path}.period`, path),
    actors: (arrayAt(v, "actor", path) ?? []).map((a, i) => parseActor(a, i, path)),
    actions: undefined,
    securityLabel: false,
    purposes: undefined,
    classes: undefined,
    code: false,
    dataPeriod: false,
    data: false,
    parent,
    children: [],
    role: "grant",
  };
  const actions = arrayAt(v, "action", path);
  if (actions !== undefined) {
    node.actions = actions.map((a, i) => {
      const codes = parseCodeable(a, `${path}.action[${i}]`);
      const c = codes.find(
        (x) => x.system === CONSENT_ACTION_SYSTEM && x.code !== undefined && KNOWN_ACTIONS.has(x.code),
      );
      if (c?.code !== undefined) return { index: i, key: c.code, label: c.code, known: true };
      const first = codes[0];
      return {
        index: i,
        key: `?${first?.system ?? ""}|${first?.code ?? ""}`,
        label: codeLabel(first?.code),
        known: false,
      };
    });
  }
  const labels = arrayAt(v, "securityLabel", path);
  if (labels !== undefined) {
    labels.forEach((c, i) => parseCoding(c, `${path}.securityLabel[${i}]`));
    node.securityLabel = labels.length > 0;
  }
  const purposes = arrayAt(v, "purpose", path);
  if (purposes !== undefined) {
    node.purposes = purposes.map((p, i) => {
      const c = parseCoding(p, `${path}.purpose[${i}]`);
      const code = purposeFromCoding(c.system, c.code);
      return code !== undefined
        ? { index: i, key: code, label: code, known: true }
        : { index: i, key: `?${c.system ?? ""}|${c.code ?? ""}`, label: codeLabel(c.code), known: false };
    });
  }
  const classes = arrayAt(v, "class", path);
  if (classes !== undefined) {
    node.classes = classes.map((p, i) => {
      const c = parseCoding(p, `${path}.class[${i}]`);
      const known = c.system === RESOURCE_TYPES_SYSTEM && c.code !== undefined && FHIR_R4_RESOURCE_TYPES.has(c.code);
      return {
        index: i,
        key: known ? (c.code ?? "") : `?${c.system ?? ""}|${c.code ?? ""}`,
        label: codeLabel(c.code),
        known,
      };
    });
  }
  const code = arrayAt(v, "code", path);
  if (code !== undefined) {
    code.forEach((c, i) => parseCodeable(c, `${path}.code[${i}]`));
    node.code = code.length > 0;
  }
  if (v.dataPeriod !== undefined) {
    parsePeriod(v.dataPeriod, `${path}.dataPeriod`, path);
    node.dataPeriod = true;
  }
  const data = arrayAt(v, "data", path);
  if (data !== undefined) {
    data.forEach((d, i) => {
      if (!isObject(d)) invalid("data is not an object", `${path}.data[${i}]`);
      rejectModifiers(d, `${path}.data[${i}]`, path);
    });
    node.data = data.length > 0;
  }
  const kids = arrayAt(v, "provision", path) ?? [];
  node.children = kids.map((k, i) => parseProvision(k, `${path}.provision[${i}]`, node, base, baseCode, depth + 1));
  return node;
}

/**
 * How each provision is expressed: a permit with nested permits is a frame,
 * else it makes grants; a deny is subtracted from the grants of its permit
 * parent or of its permit siblings (deny wins among siblings), is redundant
 * inside a deny, or holds by absence at the root.
 */
function assignRoles(n: Node): void {
  const hasPermitChild = (x: Node): boolean => x.children.some((c) => c.effect === "permit");
  if (n.effect === "permit") n.role = hasPermitChild(n) ? "frame" : "grant";
  else if (n.parent === undefined) n.role = "absence";
  else n.role = n.parent.effect === "permit" || hasPermitChild(n.parent) ? "subtract" : "redundant";
  n.children.forEach(assignRoles);
}

function preorder(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Root-first chain of `node` and its ancestors. */
function chainOf(node: Node): Node[] {
  const out: Node[] = [];
  for (let n: Node | undefined = node; n !== undefined; n = n.parent) out.unshift(n);
  return out;
}

// ---------------------------------------------------------------- pass 1: can it be expressed at all?

/** Elements that select data in ways grants cannot (actor roles other than recipient, labels, codes, data). */
function checkFilters(n: Node, asDeny: boolean): void {
  const what = asDeny ? "a deny limited" : "a permit limited";
  const cannot = asDeny ? "cannot be subtracted from grants, which" : "cannot be a grant, which";
  for (const a of n.actors) {
    if (a.kind === "filter") {
      unsupported(
        n.path,
        `actor[${a.index}].role`,
        `actor[${a.index}] (${a.label}) has role ${a.role}: it selects data ` +
          `by its ${a.meaning}, and grants cannot filter data by ${a.meaning}`,
      );
    }
    if (a.kind === "unknown") {
      unsupported(
        n.path,
        `actor[${a.index}].role`,
        `actor[${a.index}] role ${a.role} is not understood (a grantee ` +
          `has v3-ParticipationType PRCP or IRCP, or v3-RoleCode GRANTEE)`,
      );
    }
  }
  for (const a of n.actions ?? []) {
    if (!a.known) unsupported(n.path, `action[${a.index}]`, `action ${a.label} is not a consentaction code`);
  }
  if (n.securityLabel)
    unsupported(
      n.path,
      "securityLabel",
      `${what} to data with given security labels ${cannot} select data by coarse category only`,
    );
  for (const c of n.classes ?? []) {
    if (!c.known)
      unsupported(
        n.path,
        `class[${c.index}]`,
        `class ${c.label} is not a FHIR R4 resource type ` +
          `(${RESOURCE_TYPES_SYSTEM}): grants are scoped by resource category`,
      );
  }
  if (n.code)
    unsupported(n.path, "code", `${what} to data with given codes ${cannot} select data by coarse category only`);
  if (n.dataPeriod)
    unsupported(n.path, "dataPeriod", `${what} to data from a time range ${cannot} select data by its date`);
  if (n.data)
    unsupported(n.path, "data", `${what} to named resources ${cannot} cover whole categories, not single resources`);
}

/** A permit's own elements, in R4 element order. */
function checkOwnPermit(n: Node): void {
  checkFilters(n, false);
  for (const a of n.actions ?? []) {
    if (!GRANTABLE_ACTIONS.has(a.key))
      unsupported(
        n.path,
        `action[${a.index}]`,
        `action ${a.label} cannot be granted: a grant lets its grantee access, use and collect, nothing else`,
      );
  }
  for (const p of n.purposes ?? []) {
    if (!p.known)
      unsupported(
        n.path,
        `purpose[${p.index}]`,
        `purpose ${p.label} has no bit on chain (grantable: ${PURPOSE_CODES.join(", ")})`,
      );
  }
}

/** Intersection of the keys listed by the chain's provisions for one element; undefined when none lists any. */
function effectiveKeys(chain: Node[], get: (n: Node) => Item[] | undefined): Set<string> | undefined {
  let acc: Set<string> | undefined;
  for (const n of chain) {
    const items = get(n);
    if (items === undefined) continue;
    const keys = new Set(items.map((i) => i.key));
    acc = acc === undefined ? keys : intersect(acc, keys);
  }
  return acc;
}

/** The provision nearest to the end of `chain` listing `key`, with the item. */
function nearestListing(
  chain: Node[],
  get: (n: Node) => Item[] | undefined,
  key: string,
): { node: Node; item: Item } | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i];
    const item = n === undefined ? undefined : get(n)?.find((x) => x.key === key);
    if (n !== undefined && item !== undefined) return { node: n, item };
  }
  return undefined;
}

function nearestWith(chain: Node[], get: (n: Node) => unknown): Node | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i];
    if (n !== undefined && get(n) !== undefined) return n;
  }
  return undefined;
}

/** Categories fully covered and categories partly covered by a set of resource types. */
function coverage(types: ReadonlySet<string>): { full: Set<CategoryName>; partial: Set<CategoryName> } {
  const full = new Set<CategoryName>();
  const partial = new Set<CategoryName>();
  for (const c of ALL_CATEGORIES) {
    const all = resourceTypesOf(c);
    const n = all.filter((t) => types.has(t)).length;
    if (n === all.length && n > 0) full.add(c);
    else if (n > 0) partial.add(c);
  }
  return { full, partial };
}

/** Everything a grant-producing permit inherits must also be expressible. */
function checkGrantChain(n: Node, widen: boolean): void {
  const chain = chainOf(n);
  for (let i = chain.length - 2; i >= 0; i--) {
    const a = chain[i];
    if (a !== undefined && (a.role === "absence" || a.role === "redundant")) checkFilters(a, false);
  }
  const acts = effectiveKeys(chain, (x) => x.actions);
  if (acts !== undefined) {
    for (const k of acts) {
      if (!GRANTABLE_ACTIONS.has(k)) {
        const at = nearestListing(chain, (x) => x.actions, k);
        if (at !== undefined)
          unsupported(
            at.node.path,
            `action[${at.item.index}]`,
            `action ${at.item.label} cannot be granted: a grant lets its grantee access, use and collect, nothing else`,
          );
      }
    }
    if (acts.size === 0)
      unsupported(
        n.path,
        "action",
        "its actions do not overlap those of the " + "enclosing provisions: it would grant nothing",
      );
  }
  const purposes = effectiveKeys(chain, (x) => x.purposes);
  if (purposes !== undefined) {
    for (const k of purposes) {
      if (!isPurposeCode(k)) {
        const at = nearestListing(chain, (x) => x.purposes, k);
        if (at !== undefined)
          unsupported(
            at.node.path,
            `purpose[${at.item.index}]`,
            `purpose ${at.item.label} has no bit on chain (grantable: ${PURPOSE_CODES.join(", ")})`,
          );
      }
    }
    if (purposes.size === 0)
      unsupported(
        n.path,
        "purpose",
        "its purposes do not overlap those of the " + "enclosing provisions: it would grant nothing",
      );
  }
  const types = effectiveKeys(chain, (x) => x.classes);
  if (types !== undefined) {
    const at = nearestWith(chain, (x) => x.classes) ?? n;
    if (types.size === 0)
      unsupported(
        at.path,
        "class",
        "its classes do not overlap those of the " + "enclosing provisions: it would grant nothing",
      );
    const { partial } = coverage(types);
    if (!widen) {
      for (const c of ALL_CATEGORIES) {
        if (!partial.has(c)) continue;
        const listed = resourceTypesOf(c).filter((t) => types.has(t));
        const first = at.classes?.find((x) => listed.includes(x.key));
        const rest = resourceTypesOf(c).filter((t) => !types.has(t));
        unsupported(
          at.path,
          `class[${first?.index ?? 0}]`,
          `${listed.join(", ")} is only part of category ${c}: a grant would also open ` +
            `${rest.length > 6 ? `${rest.slice(0, 6).join(", ")} and ${rest.length - 6} more types` : rest.join(", ")}`,
        );
      }
    }
  }
  if (!chain.some((x) => x.actors.some((a) => a.kind === "recipient"))) {
    unsupported(
      n.path,
      "actor",
      "the permit names no recipient (an actor with role " + "PRCP, IRCP or GRANTEE): a grant needs a grantee",
    );
  }
}

function checkExpressible(root: Node, widen: boolean): void {
  for (const n of preorder(root)) {
    if (n.role === "grant" || n.role === "frame") checkOwnPermit(n);
    if (n.role === "grant") checkGrantChain(n, widen);
    if (n.role === "subtract") checkFilters(n, true);
  }
}

// ---------------------------------------------------------------- pass 2: build grants

interface WorkGrant {
  id: number;
  grantee: `0x${string}`;
  key: string;
  categories: Set<CategoryName>;
  purposes: Set<PurposeCode>;
  notBefore: number;
  expiresAt: number;
  actions: Set<string>;
  removed: boolean;
}

type NotePart = string | ((ref: (id: number) => string) => string);

interface EntryWork {
  entry: ConsentMappingEntry;
  ids: number[];
  notes: NotePart[];
}

function describeActors(n: Node, kinds?: ReadonlyArray<ActorInfo["kind"]>): string {
  return n.actors
    .filter((a) => kinds === undefined || kinds.includes(a.kind))
    .map((a) => `actor[${a.index}] ${a.label} (${a.role})`)
    .join(", ");
}

function describeConditions(n: Node): string {
  const parts: string[] = [];
  if (n.actors.length > 0) parts.push(describeActors(n));
  if (n.actions !== undefined) parts.push(`action ${n.actions.map((a) => a.label).join(", ")}`);
  if (n.securityLabel) parts.push("securityLabel");
  if (n.purposes !== undefined) parts.push(`purpose ${n.purposes.map((p) => p.label).join(", ")}`);
  if (n.classes !== undefined) parts.push(`class ${n.classes.map((c) => c.label).join(", ")}`);
  if (n.code) parts.push("code");
  if (n.period !== undefined) parts.push(`period ${n.period.start?.text ?? ""}..${n.period.end?.text ?? ""}`);
  if (n.dataPeriod) parts.push("dataPeriod");
  if (n.data) parts.push("data");
  return parts.length === 0 ? "everything" : parts.join("; ");
}

class Builder {
  readonly grants: WorkGrant[] = [];
  readonly work = new Map<Node, EntryWork>();
  private readonly resolved = new Map<Node, Array<{ actor: ActorInfo; address: `0x${string}` | undefined }>>();

  constructor(private readonly ctx: ConsentImportContext) {}

  entry(n: Node): EntryWork {
    const w = this.work.get(n);
    if (w === undefined) throw new MedchainError("Internal", "consent mapping lost a provision");
    return w;
  }

  private resolve(n: Node): Array<{ actor: ActorInfo; address: `0x${string}` | undefined }> {
    const cached = this.resolved.get(n);
    if (cached !== undefined) return cached;
    const out = n.actors
      .filter((a) => a.kind === "recipient")
      .map((actor) => {
        const address = this.ctx.resolveActor(actor.reference);
        if (address !== undefined && (typeof address !== "string" || !ADDRESS_RE.test(address))) {
          throw new MedchainError("InvalidInput", "resolveActor returned something " + "that is not an address", {
            details: { provision: n.path, element: `actor[${actor.index}]` },
          });
        }
        return { actor, address };
      });
    this.resolved.set(n, out);
    return out;
  }

  /** Grants of a permit and of everything inside it. */
  buildPermit(n: Node): number[] {
    const w = this.entry(n);
    const own: number[] = [];
    const permits = n.children.filter((c) => c.effect === "permit");
    if (permits.length > 0) {
      for (const c of permits) own.push(...this.buildPermit(c));
      w.notes.unshift(
        `permit${n.effectWhy} with nested permits: its conditions (${describeConditions(n)}) ` +
          `narrow them, and its grants are theirs (${permits.map((c) => c.path).join(", ")})`,
      );
    } else {
      own.push(...this.makeGrants(n));
    }
    w.ids.push(...own);
    const denies = n.children.filter((c) => c.effect === "deny");
    const exceptions = new Map<Node, number[]>(denies.map((d) => [d, this.buildDeny(d)]));
    for (const d of denies) {
      const others = denies.filter((x) => x !== d).flatMap((x) => exceptions.get(x) ?? []);
      this.subtract(d, [...own, ...others]);
    }
    return [...own, ...denies.flatMap((d) => exceptions.get(d) ?? [])];
  }

  /** Exception grants inside a deny; records the deny's entry unless it is subtracted by its parent. */
  buildDeny(n: Node): number[] {
    const w = this.entry(n);
    if (n.role === "absence") {
      w.notes.push(
        `deny${n.effectWhy} of ${describeConditions(n)}: holds by absence (nothing ` +
          `above it grants access, and medchain denies whatever is not granted)`,
      );
    } else if (n.role === "redundant") {
      w.notes.push(`deny${n.effectWhy} inside the deny at ${n.parent?.path ?? ""}: already denied, holds by absence`);
    }
    const permits = n.children.filter((c) => c.effect === "permit");
    const denies = n.children.filter((c) => c.effect === "deny");
    const own = permits.flatMap((c) => this.buildPermit(c));
    const exceptions = new Map<Node, number[]>(denies.map((d) => [d, this.buildDeny(d)]));
    if (permits.length > 0) {
      for (const d of denies)
        this.subtract(d, [...own, ...denies.filter((x) => x !== d).flatMap((x) => exceptions.get(x) ?? [])]);
    }
    return [...own, ...denies.flatMap((d) => exceptions.get(d) ?? [])];
  }

  private makeGrants(n: Node): number[] {
    const { ctx } = this;
    const w = this.entry(n);
    const chain = chainOf(n);
    // Recipients: each provision of the chain that names some narrows the set.
    let allowed: Set<string> | undefined;
    let order: Array<{ actor: ActorInfo; address: `0x${string}` }> = [];
    let namedBy: Node | undefined;
    for (const c of chain) {
      const rs = this.resolve(c);
      if (rs.length === 0) continue;
      for (const r of rs) {
        if (r.address === undefined) {
          unsupported(
            c.path,
            `actor[${r.actor.index}].reference`,
            `actor[${r.actor.index}] (${r.actor.label}, role ${r.actor.role}) ` +
              `has no medchain address: the grant would have no grantee`,
          );
        }
      }
      const here = rs.filter((r): r is { actor: ActorInfo; address: `0x${string}` } => r.address !== undefined);
      const keys = new Set(here.map((r) => r.address.toLowerCase()));
      allowed = allowed === undefined ? keys : intersect(allowed, keys);
      order = here;
      namedBy = c;
    }
    const recipients = order.filter((r) => allowed?.has(r.address.toLowerCase()) ?? false);
    if (recipients.length === 0) {
      unsupported(
        n.path,
        "actor",
        "its recipients are not among those of the " + "enclosing provisions: it would grant nothing",
      );
    }
    // Categories.
    const types = effectiveKeys(chain, (x) => x.classes);
    let categories: Set<CategoryName>;
    let catWhy: string;
    if (types === undefined) {
      categories = new Set(ALL_CATEGORIES);
      catWhy = "all (no class)";
    } else {
      const { full, partial } = coverage(types);
      categories = new Set([...full, ...partial]);
      catWhy = `${[...categories].join(", ")} (from class)`;
      if (partial.size > 0)
        catWhy += `; widened to whole categories: ${[...partial].join(", ")} (allowCategoryWidening)`;
    }
    // Purposes.
    const pkeys = effectiveKeys(chain, (x) => x.purposes);
    const purposes = new Set<PurposeCode>(pkeys === undefined ? ctx.defaultPurposes : [...pkeys].filter(isPurposeCode));
    const purWhy = pkeys === undefined ? "(default: no purpose)" : "(from purpose)";
    // Actions.
    const akeys = effectiveKeys(chain, (x) => x.actions);
    const actions = new Set<string>(akeys ?? DEFAULT_ACTIONS);
    // Window.
    let start: Bound | undefined;
    let end: Bound | undefined;
    for (const c of chain) {
      const p = c.period;
      if (p?.start !== undefined && (start === undefined || p.start.t > start.t)) start = p.start;
      if (p?.end !== undefined && (end === undefined || p.end.t < end.t)) end = p.end;
    }
    const notBefore = start?.t ?? ctx.now;
    const expiresAt = end?.t ?? Math.max(notBefore, ctx.now) + ctx.defaultDurationSeconds;
    if (end !== undefined && end.t <= ctx.now)
      unsupported(end.from, "period", `would grant nothing: period ended ${end.text}`);
    if (notBefore >= expiresAt)
      unsupported(
        n.path,
        "period",
        "its period does not overlap those of the " + "enclosing provisions: it would grant nothing",
      );
    const winWhy =
      start === undefined && end === undefined
        ? "(default: no period)"
        : end === undefined
          ? "(start from period, " + "default length)"
          : start === undefined
            ? "(from now, end from period)"
            : "(from period)";

    const ids: number[] = [];
    const seen = new Set<string>();
    const skipped: string[] = [];
    for (const r of recipients) {
      const key = r.address.toLowerCase();
      if (key === ctx.patient.toLowerCase()) {
        skipped.push(`actor[${r.actor.index}] is the patient, who needs no grant`);
        continue;
      }
      if (seen.has(key)) {
        skipped.push(`actor[${r.actor.index}] resolves to the same address as an earlier actor (one grant)`);
        continue;
      }
      seen.add(key);
      const g: WorkGrant = {
        id: this.grants.length,
        grantee: r.address,
        key,
        categories: new Set(categories),
        purposes: new Set(purposes),
        notBefore,
        expiresAt,
        actions: new Set(actions),
        removed: false,
      };
      this.grants.push(g);
      ids.push(g.id);
    }
    const granted = [...ids];
    const who =
      namedBy === n
        ? describeActors(n, ["recipient"])
        : `${recipients.map((r) => `actor[${r.actor.index}]`).join(", ")} of ${namedBy?.path ?? ""}`;
    w.notes.push(
      (ref) =>
        `permit${n.effectWhy} for ${who} -> ${granted.length === 0 ? "no grant" : granted.map(ref).join(", ")}; ` +
        `categories: ${catWhy}; purposes: ${sortPurposes(purposes).join(", ")} ` +
        `${purWhy}; period: ${fmtTime(notBefore)}..${fmtTime(expiresAt)} ${winWhy}; actions: ` +
        `${[...actions].join(", ")}${akeys === undefined ? " (default: no action)" : ""}`,
    );
    for (const s of skipped) w.notes.push(s);
    return ids;
  }

  /** Subtracts a deny nested in a permit from `targets`. */
  private subtract(d: Node, targets: number[]): void {
    const w = this.entry(d);
    const parts: NotePart[] = [];
    let applies: (g: WorkGrant) => boolean = () => true;
    const recips = this.resolve(d);
    if (recips.length > 0) {
      const keys = new Set(recips.flatMap((r) => (r.address === undefined ? [] : [r.address.toLowerCase()])));
      applies = (g) => keys.has(g.key);
      for (const r of recips)
        if (r.address === undefined) parts.push(`actor[${r.actor.index}] has no medchain address, so holds no grant`);
    }
    const dActions = d.actions === undefined ? undefined : new Set(d.actions.map((a) => a.key));
    const neverGranted = d.actions?.filter((a) => !GRANTABLE_ACTIONS.has(a.key)).map((a) => a.label) ?? [];
    if (neverGranted.length > 0) parts.push(`action ${neverGranted.join(", ")} is never granted`);
    const dPurposes =
      d.purposes === undefined
        ? undefined
        : new Set(d.purposes.filter((p) => p.known).map((p) => p.key as PurposeCode));
    const noBit = d.purposes?.filter((p) => !p.known).map((p) => p.label) ?? [];
    if (noBit.length > 0) parts.push(`purpose ${noBit.join(", ")} is never granted (no bit on chain)`);
    const dTypes = d.classes === undefined ? undefined : new Set(d.classes.map((c) => c.key));
    const dCov = dTypes === undefined ? undefined : coverage(dTypes);
    const ds = d.period?.start?.t ?? -Infinity;
    const de = d.period?.end?.t ?? Infinity;
    const touched: number[] = [];
    let removedCount = 0;
    for (const id of targets) {
      const g = this.grants[id];
      if (g === undefined || g.removed || !applies(g)) continue;
      const uncovered: Array<"action" | "purpose" | "class" | "period"> = [];
      if (dActions !== undefined) {
        const overlap = [...g.actions].filter((a) => dActions.has(a));
        if (overlap.length === 0) continue;
        if (!dActions.has("access") && !isSubset(g.actions, dActions)) uncovered.push("action");
      }
      if (dPurposes !== undefined) {
        if (intersect(g.purposes, dPurposes).size === 0) continue;
        if (!isSubset(g.purposes, dPurposes)) uncovered.push("purpose");
      }
      if (dCov !== undefined) {
        for (const c of dCov.partial) {
          if (!g.categories.has(c)) continue;
          const listed = resourceTypesOf(c).filter((t) => dTypes?.has(t));
          const first = d.classes?.find((x) => listed.includes(x.key));
          unsupported(
            d.path,
            `class[${first?.index ?? 0}]`,
            `the deny removes ${listed.join(", ")} but not the rest of ` +
              `category ${c} from a grant: grants cover whole categories`,
          );
        }
        if (intersect(g.categories, dCov.full).size === 0) continue;
        if (!isSubset(g.categories, dCov.full)) uncovered.push("class");
      }
      if (d.period !== undefined) {
        if (Math.max(ds, g.notBefore) >= Math.min(de, g.expiresAt)) continue;
        if (!(ds <= g.notBefore && de >= g.expiresAt)) uncovered.push("period");
      }
      const [first, second] = uncovered;
      if (second !== undefined) {
        unsupported(
          d.path,
          second,
          `the deny narrows both the ${first ?? ""} and the ${second} of a grant: what remains is not one grant`,
        );
      }
      const gid = g.id;
      if (first === undefined) {
        g.removed = true;
        removedCount++;
        parts.push(`removes the grant of ${g.grantee}`);
        continue;
      }
      if (first === "action") {
        unsupported(
          d.path,
          "action",
          `the deny of ${[...(dActions ?? [])].join(", ")} without access leaves a grant ` +
            `that allows access but not all of use and collect, which a grant cannot say`,
        );
      } else if (first === "purpose") {
        const removed = [...g.purposes].filter((p) => dPurposes?.has(p));
        for (const p of removed) g.purposes.delete(p);
        parts.push((ref) => `removes purpose ${sortPurposes(removed).join(", ")} from ${ref(gid)}`);
      } else if (first === "class") {
        const removed = [...g.categories].filter((c) => dCov?.full.has(c));
        for (const c of removed) g.categories.delete(c);
        parts.push((ref) => `removes category ${removed.join(", ")} from ${ref(gid)}`);
      } else {
        if (ds <= g.notBefore) g.notBefore = de;
        else if (de >= g.expiresAt) g.expiresAt = ds;
        else
          unsupported(
            d.path,
            "period",
            "the deny's period falls inside a grant's period and " +
              "would split it in two: what remains is not one grant",
          );
        if (g.expiresAt <= this.ctx.now) {
          g.removed = true;
          removedCount++;
          parts.push(`leaves the grant of ${g.grantee} only a window that has ended: removed`);
          continue;
        }
        const nb = g.notBefore;
        const ex = g.expiresAt;
        parts.push((ref) => `narrows the period of ${ref(gid)} to ${fmtTime(nb)}..${fmtTime(ex)}`);
      }
      touched.push(gid);
    }
    w.ids.push(...touched);
    const where =
      d.parent?.effect === "permit"
        ? `inside the permit at ${d.parent.path}`
        : `next to the exceptions of the deny at ${d.parent?.path ?? ""} (deny wins among siblings)`;
    const head = `deny${d.effectWhy} of ${describeConditions(d)} ${where}`;
    w.notes.push(touched.length === 0 && removedCount === 0 ? `${head}: matches no grant, holds by absence` : head);
    w.notes.push(...parts);
  }
}

// ---------------------------------------------------------------- import

function checkContext(ctx: ConsentImportContext): void {
  const bad = (what: string): never => {
    throw new MedchainError("InvalidInput", `consent import context: ${what}`, {
      details: { field: what.split(" ")[0] },
    });
  };
  if (typeof ctx.patient !== "string" || !ADDRESS_RE.test(ctx.patient)) bad("patient must be an address");
  if (!Number.isSafeInteger(ctx.now) || ctx.now < 0) bad("now must be unix seconds");
  if (!Number.isSafeInteger(ctx.defaultDurationSeconds) || ctx.defaultDurationSeconds <= 0)
    bad("defaultDurationSeconds " + "must be a positive integer");
  if (
    !Array.isArray(ctx.defaultPurposes) ||
    ctx.defaultPurposes.length === 0 ||
    !ctx.defaultPurposes.every(isPurposeCode)
  ) {
    bad("defaultPurposes must be a non-empty list of purpose codes");
  }
}

function hasBreakGlassTag(consent: Json): boolean {
  const meta = consent.meta;
  if (!isObject(meta) || !Array.isArray(meta.tag)) return false;
  return meta.tag.some((t) => isObject(t) && t.system === BREAK_GLASS_TAG.system && t.code === BREAK_GLASS_TAG.code);
}

/**
 * Turns an R4 Consent into the grants that express it, with a mapping entry
 * for every provision, or refuses it with `UnsupportedConsent` naming the
 * provision and element that cannot be expressed. See the module comment
 * for the semantics.
 */
export function consentToGrants(consent: unknown, ctx: ConsentImportContext): ConsentImport {
  checkContext(ctx);
  if (!isObject(consent) || consent.resourceType !== "Consent")
    invalid("not a FHIR Consent (resourceType " + 'must be "Consent")', "Consent.resourceType");
  if (consent.implicitRules !== undefined)
    unsupported("Consent", "implicitRules", "the consent declares implicit rules, " + "which are not understood here");
  rejectModifiers(consent, "Consent", "Consent");
  if (typeof consent.status !== "string") invalid("Consent.status is required", "Consent.status");
  if (consent.status !== "active")
    unsupported("Consent", "status", `status is ${codeLabel(consent.status)}: only an active consent becomes grants`);
  if (consent.scope === undefined) invalid("Consent.scope is required", "Consent.scope");
  const scope = parseCodeable(consent.scope, "Consent.scope");
  if (!scope.some((c) => c.system === CONSENT_SCOPE_SYSTEM && c.code === "patient-privacy")) {
    unsupported("Consent", "scope", "scope is not patient-privacy: only privacy consents become access grants");
  }
  let base: "permit" | "deny" | undefined;
  let baseCode: string | undefined;
  if (consent.policyRule !== undefined) {
    const rule = parseCodeable(consent.policyRule, "Consent.policyRule").find(
      (c) => c.system === ACT_CODE_SYSTEM && (c.code === "OPTIN" || c.code === "OPTOUT"),
    );
    if (rule === undefined)
      unsupported(
        "Consent",
        "policyRule",
        "policyRule is not OPTIN or OPTOUT " + "(v3-ActCode): its base rules are not known here",
      );
    baseCode = rule.code;
    base = rule.code === "OPTIN" ? "permit" : "deny";
  }
  let patient: ConsentImport["patient"];
  if (isObject(consent.patient)) {
    const p = consent.patient;
    patient = {};
    if (typeof p.reference === "string") patient.reference = p.reference;
    if (isObject(p.identifier)) {
      const { system, value } = p.identifier;
      patient.identifier = {
        ...(typeof system === "string" ? { system } : {}),
        ...(typeof value === "string" ? { value } : {}),
      };
    }
  }

  if (consent.provision === undefined) {
    if (base === "deny") {
      return {
        grants: [],
        mapping: [
          {
            provision: "Consent.policyRule",
            effect: "deny-by-absence",
            grants: [],
            note: "policyRule OPTOUT and no " + "provision: nothing is granted",
          },
        ],
        patient,
      };
    }
    unsupported(
      "Consent",
      "provision",
      base === "permit"
        ? "policyRule OPTIN without a provision names " + "no recipient: a grant needs a grantee"
        : "there is neither a policyRule nor a provision",
    );
  }
  const root = parseProvision(consent.provision, "Consent.provision", undefined, base, baseCode, 0);
  assignRoles(root);
  checkExpressible(root, ctx.allowCategoryWidening === true);

  const b = new Builder(ctx);
  for (const n of preorder(root)) {
    b.work.set(n, {
      entry: { provision: n.path, effect: n.effect === "permit" ? "grant" : "deny-by-absence", grants: [], note: "" },
      ids: [],
      notes: [],
    });
  }
  if (root.effect === "permit") b.buildPermit(root);
  else b.buildDeny(root);
  if (hasBreakGlassTag(consent)) {
    b.entry(root).notes.push(
      "break-glass marker (meta.tag BTG): imported as an ordinary grant; " +
        "emergency access itself is opened by the break-glass flow, not by a consent",
    );
  }

  const index = new Map<number, number>();
  const grants: GrantSpec[] = [];
  for (const g of b.grants) {
    if (g.removed) continue;
    index.set(g.id, grants.length);
    grants.push(
      validateGrantSpec({
        grantee: g.grantee,
        categories: [...g.categories],
        purposes: [...g.purposes],
        notBefore: g.notBefore,
        expiresAt: g.expiresAt,
      }),
    );
  }
  const ref = (id: number): string => {
    const i = index.get(id);
    return i === undefined ? "a grant removed later" : `grant ${i}`;
  };
  const mapping = preorder(root).map((n) => {
    const w = b.entry(n);
    const ids = [...new Set(w.ids.flatMap((id) => (index.has(id) ? [index.get(id) ?? 0] : [])))];
    return { ...w.entry, grants: ids, note: w.notes.map((p) => (typeof p === "string" ? p : p(ref))).join("; ") };
  });
  return { grants, mapping, patient };
}

// ---------------------------------------------------------------- export

/**
 * Renders grants as R4 Consents: one per grant, status active, scope
 * patient-privacy, category LOINC 59284-0, policyRule OPTIN, and a single
 * permit provision (actor with role PRCP, action access, purposes, the
 * resource types of the categories or no class when all are granted, the
 * period), identified by `urn:medchain:grant:<grantId>`. A break-glass grant
 * carries purpose ETREAT and `meta.tag` BTG. Pass only active grants.
 * Throws `InvalidInput` for an invalid grant or grants of several patients.
 */
export function grantsToConsents(grants: readonly ActiveGrant[], ctx: ConsentExportContext): Consent[] {
  const owners = new Set(grants.map((g) => String(g.patient).toLowerCase()));
  if (owners.size > 1)
    throw new MedchainError("InvalidInput", "grants of more than one patient " + "cannot share one patient reference", {
      details: { patients: owners.size },
    });
  return grants.map((g, i) => {
    if (typeof g.grantId !== "string" || g.grantId.length === 0) {
      throw new MedchainError("InvalidInput", "grant has no grantId", { details: { path: `grants[${i}].grantId` } });
    }
    const spec = normalizeGrantSpec(
      validateGrantSpec({
        grantee: g.grantee,
        categories: g.categories,
        purposes: g.purposes,
        notBefore: g.notBefore,
        expiresAt: g.expiresAt,
      }),
    );
    const purposes = g.breakGlass ? sortPurposes([...spec.purposes, "ETREAT"]) : spec.purposes;
    const ref = ctx.actorReference(spec.grantee);
    if (ref.reference === undefined && ref.identifier === undefined) {
      throw new MedchainError(
        "InvalidInput",
        "actorReference gave neither a reference " + "nor an identifier for a grantee",
        { details: { path: `grants[${i}].grantee` } },
      );
    }
    const reference: ConsentProvisionActor["reference"] = {};
    if (ref.reference !== undefined) reference.reference = ref.reference;
    if (ref.identifier !== undefined)
      reference.identifier = { system: ref.identifier.system, value: ref.identifier.value } satisfies Identifier;
    const provision: ConsentProvision = {
      type: "permit",
      period: { start: fmtTime(spec.notBefore), end: fmtTime(spec.expiresAt) },
      actor: [{ role: { coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: "PRCP" }] }, reference }],
      action: [{ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "access" }] }],
      purpose: purposes.map((p) => ({ system: PURPOSE_SYSTEM, code: p })),
    };
    if (spec.categories.length < ALL_CATEGORIES.length) {
      provision.class = spec.categories.flatMap((c) =>
        resourceTypesOf(c).map((t) => ({ system: RESOURCE_TYPES_SYSTEM, code: t })),
      );
    }
    const consent: Consent = {
      resourceType: "Consent",
      identifier: [{ system: "urn:ietf:rfc:3986", value: `${GRANT_URN_PREFIX}${g.grantId}` }],
      status: "active",
      scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "patient-privacy" }] },
      category: [{ coding: [{ system: LOINC_SYSTEM, code: PRIVACY_CONSENT_LOINC }] }],
      patient: { reference: ctx.patientReference },
      policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTIN" }] },
      provision,
    };
    if (g.breakGlass) consent.meta = { tag: [{ ...BREAK_GLASS_TAG }] };
    return consent;
  });
}
