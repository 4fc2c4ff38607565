/** Small readers of FHIR datatypes (R4): the text of a concept, a reference's target, a resource's date. */
import type { CodeableConcept, Coding, Reference, Resource } from "@medplum/fhirtypes";

/** The best human text of a CodeableConcept: its text, else the first display, else the first code. */
export function conceptText(c: CodeableConcept | undefined): string {
  if (c === undefined) return "";
  return c.text ?? c.coding?.find((x) => x.display !== undefined)?.display ?? c.coding?.[0]?.code ?? "";
}

/** The first coding of a concept in `system` (or any). */
export function codingOf(c: CodeableConcept | undefined, system?: string): Coding | undefined {
  return c?.coding?.find((x) => system === undefined || x.system === system);
}

/** LOINC system URI. */
export const LOINC = "http://loinc.org";

/** The LOINC code of a concept, if it has one. */
export function loincOf(c: CodeableConcept | undefined): string | undefined {
  return codingOf(c, LOINC)?.code;
}

/** The reference string of a Reference (`urn:uuid:...` or `Type/id`). */
export function refOf(r: Reference | undefined): string | undefined {
  return r?.reference;
}

type Dated = Resource & Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
function periodStart(v: unknown): string | undefined {
  return typeof v === "object" && v !== null ? str((v as { start?: unknown }).start) : undefined;
}

/** When a clinical resource happened (ISO string), from the usual R4 date fields. */
export function resourceDate(resource: Resource): string | undefined {
  const r = resource as Dated;
  return (
    str(r.effectiveDateTime) ??
    periodStart(r.effectivePeriod) ??
    str(r.occurrenceDateTime) ??
    str(r.performedDateTime) ??
    periodStart(r.performedPeriod) ??
    str(r.onsetDateTime) ??
    str(r.recordedDate) ??
    str(r.authoredOn) ??
    str(r.issued) ??
    periodStart(r.period) ??
    periodStart(r.billablePeriod) ??
    str(r.created) ??
    str(r.date) ??
    str(r.birthDate)
  );
}
