/**
 * The patient's unified record as a timeline: resources grouped under the
 * encounter (visit) they belong to, newest visit first, and within a visit by
 * resource type; lab results already shown inside their DiagnosticReport are
 * not repeated on their own. Pure (no DOM), so it is unit-tested in Node.
 */
import type { Bundle, DiagnosticReport, Encounter, Patient, Resource } from "@medplum/fhirtypes";
import { refOf, resourceDate } from "./codes.ts";

/** One resource of the timeline with the key other resources reference it by. */
export interface TimelineItem {
  key: string;
  resource: Resource;
  date: string | undefined;
}

/** A visit and what was recorded during it. */
export interface TimelineVisit {
  /** Stable key (the encounter's reference, or "unlinked"). */
  key: string;
  encounter: Encounter | undefined;
  start: string | undefined;
  /** Items by resource type, each list newest first. */
  byType: Map<string, TimelineItem[]>;
  count: number;
}

/** The whole timeline. */
export interface Timeline {
  patient: Patient | undefined;
  visits: TimelineVisit[];
  /** Every item by its reference keys (`urn:uuid:..`, `Type/id`), to resolve DiagnosticReport results and the like. */
  byRef: Map<string, TimelineItem>;
  /** Resource counts by type (over the whole record). */
  typeCounts: Map<string, number>;
  total: number;
}

/** Resource types the timeline shows inside visits (others are counted and listed under "Other records"). */
export const TIMELINE_TYPES = [
  "Observation",
  "DiagnosticReport",
  "Condition",
  "MedicationRequest",
  "Immunization",
  "AllergyIntolerance",
  "Procedure",
  "CarePlan",
  "Goal",
  "Claim",
  "ExplanationOfBenefit",
] as const;

function encounterRef(resource: Resource): string | undefined {
  const r = resource as Resource & {
    encounter?: { reference?: string };
    context?: { reference?: string };
    item?: Array<{ encounter?: Array<{ reference?: string }> }>;
  };
  // Claim and ExplanationOfBenefit name their visit per item
  return (
    refOf(r.encounter) ?? refOf(r.context) ?? r.item?.find((i) => i.encounter !== undefined)?.encounter?.[0]?.reference
  );
}

function newestFirst(a: TimelineItem, b: TimelineItem): number {
  return (b.date ?? "").localeCompare(a.date ?? "");
}

/** Builds the timeline of a FHIR Bundle (type collection, as exported). */
export function buildTimeline(bundle: Bundle): Timeline {
  const byRef = new Map<string, TimelineItem>();
  const items: TimelineItem[] = [];
  const typeCounts = new Map<string, number>();
  let patient: Patient | undefined;
  for (const [i, e] of (bundle.entry ?? []).entries()) {
    const resource = e.resource;
    if (resource === undefined) continue;
    const key = e.fullUrl ?? (resource.id !== undefined ? `${resource.resourceType}/${resource.id}` : `#${i}`);
    const item: TimelineItem = { key, resource, date: resourceDate(resource) };
    items.push(item);
    byRef.set(key, item);
    if (resource.id !== undefined) byRef.set(`${resource.resourceType}/${resource.id}`, item);
    typeCounts.set(resource.resourceType, (typeCounts.get(resource.resourceType) ?? 0) + 1);
    if (resource.resourceType === "Patient" && patient === undefined) patient = resource;
  }
  // results shown inside their report
  const inReport = new Set<string>();
  for (const it of items) {
    if (it.resource.resourceType !== "DiagnosticReport") continue;
    for (const r of (it.resource as DiagnosticReport).result ?? []) {
      const target = r.reference === undefined ? undefined : byRef.get(r.reference);
      if (target !== undefined) inReport.add(target.key);
    }
  }
  const visits = new Map<string, TimelineVisit>();
  const visitOf = (key: string, encounter: Encounter | undefined, start: string | undefined): TimelineVisit => {
    let v = visits.get(key);
    if (v === undefined) {
      v = { key, encounter, start, byType: new Map(), count: 0 };
      visits.set(key, v);
    }
    return v;
  };
  for (const it of items) {
    if (it.resource.resourceType === "Encounter") visitOf(it.key, it.resource, it.date);
  }
  for (const it of items) {
    const type = it.resource.resourceType;
    if (type === "Encounter" || type === "Patient" || inReport.has(it.key)) continue;
    if (type === "Organization" || type === "Practitioner" || type === "Location" || type === "PractitionerRole")
      continue;
    const ref = encounterRef(it.resource);
    const enc = ref === undefined ? undefined : byRef.get(ref);
    const visit =
      enc !== undefined && enc.resource.resourceType === "Encounter"
        ? visitOf(enc.key, enc.resource, enc.date)
        : visitOf("unlinked", undefined, undefined);
    const list = visit.byType.get(type) ?? [];
    list.push(it);
    visit.byType.set(type, list);
    visit.count += 1;
  }
  for (const v of visits.values()) for (const list of v.byType.values()) list.sort(newestFirst);
  const ordered = [...visits.values()].sort((a, b) => {
    if (a.key === "unlinked") return 1;
    if (b.key === "unlinked") return -1;
    return (b.start ?? "").localeCompare(a.start ?? "");
  });
  return { patient, visits: ordered, byRef, typeCounts, total: items.length };
}

/** The visits restricted to `types` (visits left empty are dropped). */
export function filterTimeline(visits: readonly TimelineVisit[], types: ReadonlySet<string>): TimelineVisit[] {
  const out: TimelineVisit[] = [];
  for (const v of visits) {
    const byType = new Map([...v.byType].filter(([t]) => types.has(t)));
    const count = [...byType.values()].reduce((n, l) => n + l.length, 0);
    if (count > 0 || (v.encounter !== undefined && types.has("Encounter"))) out.push({ ...v, byType, count });
  }
  return out;
}
