/**
 * Human renderings of the common FHIR R4 resources: what a patient or a
 * clinician reads, not JSON. Observation values come with units, the
 * reference range (the record's own, or a labelled typical range) and a
 * worded flag; a DiagnosticReport lists its results inline.
 */
import type {
  AllergyIntolerance,
  CarePlan,
  Claim,
  Condition,
  DiagnosticReport,
  Encounter,
  ExplanationOfBenefit,
  Goal,
  Immunization,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Quantity,
  Resource,
} from "@medplum/fhirtypes";
import { conceptText, loincOf, resourceDate } from "./codes.ts";
import { observationRange, rangeFlag, rangeFor, type RangeInfo } from "./referenceRanges.ts";
import type { Timeline } from "./timeline.ts";
import { formatDate, formatNumber } from "../lib/format.ts";
import { unitDisplay } from "./units.ts";

function quantity(q: Quantity | undefined): string {
  if (q?.value === undefined) return "";
  const unit = unitDisplay(q.code ?? q.unit);
  return `${formatNumber(q.value, 2)}${unit === "" ? "" : ` ${unit}`}`;
}

function rangeText(r: RangeInfo): string {
  if (r.text !== undefined) return r.text;
  const unit = unitDisplay(r.unit);
  if (r.low !== undefined && r.high !== undefined)
    return `${formatNumber(r.low, 2)}–${formatNumber(r.high, 2)} ${unit}`;
  if (r.high !== undefined) return `below ${formatNumber(r.high, 2)} ${unit}`;
  if (r.low !== undefined) return `above ${formatNumber(r.low, 2)} ${unit}`;
  return "";
}

const FLAG_WORDS = { low: "below range", high: "above range", normal: "in range" } as const;

function ValueWithRange({ q, range }: { q: Quantity | undefined; range: RangeInfo | undefined }) {
  const flag = q?.value === undefined ? undefined : rangeFlag(q.value, range);
  return (
    <>
      <span className="value">{quantity(q)}</span>
      {flag === undefined ? null : (
        <>
          {" "}
          <span className={`flag-${flag}`}>({FLAG_WORDS[flag]})</span>
        </>
      )}
      {range === undefined ? null : (
        <span className="entry-meta">
          {" "}
          · {range.source === "record" ? "reference range" : "typical adult range"} {rangeText(range)}
        </span>
      )}
    </>
  );
}

function ObservationValue({ o }: { o: Observation }) {
  if (o.valueQuantity !== undefined)
    return <ValueWithRange q={o.valueQuantity} range={observationRange(o, loincOf(o.code))} />;
  if (o.component !== undefined && o.component.length > 0) {
    return (
      <ul className="entries">
        {o.component.map((c, i) => (
          <li key={i}>
            {conceptText(c.code)}:{" "}
            {c.valueQuantity !== undefined ? (
              <ValueWithRange
                q={c.valueQuantity}
                range={rangeFor(loincOf(c.code), c.valueQuantity, c.referenceRange)}
              />
            ) : (
              <span className="value">{conceptText(c.valueCodeableConcept) || c.valueString}</span>
            )}
          </li>
        ))}
      </ul>
    );
  }
  const text =
    conceptText(o.valueCodeableConcept) ||
    o.valueString ||
    (o.valueBoolean === undefined ? "" : o.valueBoolean ? "yes" : "no");
  return text === "" ? null : <span className="value">{text}</span>;
}

function Title({ children }: { children: string }) {
  return <span className="entry-title">{children === "" ? "Unnamed entry" : children}</span>;
}

function Meta({ parts }: { parts: Array<string | undefined | false> }) {
  const shown = parts.filter((p): p is string => typeof p === "string" && p !== "");
  return shown.length === 0 ? null : <div className="entry-meta">{shown.join(" · ")}</div>;
}

/** One Observation (used on its own and inside a report). */
export function ObservationView({ o }: { o: Observation }) {
  return (
    <div>
      <Title>{conceptText(o.code)}</Title>: <ObservationValue o={o} />
      <Meta parts={[formatDate(resourceDate(o)), o.status !== "final" && o.status]} />
    </div>
  );
}

function DiagnosticReportView({ r, timeline }: { r: DiagnosticReport; timeline: Timeline }) {
  const results = (r.result ?? [])
    .map((ref) => (ref.reference === undefined ? undefined : timeline.byRef.get(ref.reference)?.resource))
    .filter((x): x is Observation => x?.resourceType === "Observation");
  return (
    <div>
      <Title>{conceptText(r.code)}</Title>
      <Meta
        parts={[
          conceptText(r.category?.[0]),
          formatDate(resourceDate(r)),
          `${results.length} result${results.length === 1 ? "" : "s"}`,
        ]}
      />
      {results.length > 0 ? (
        <ul className="entries">
          {results.map((o, i) => (
            <li key={o.id ?? i}>
              <ObservationView o={o} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ConditionView({ c }: { c: Condition }) {
  const status = conceptText(c.clinicalStatus);
  const abatement = c.abatementDateTime;
  return (
    <div>
      <Title>{conceptText(c.code)}</Title>
      {status === "" ? null : (
        <>
          {" "}
          <span className={`badge ${status === "active" ? "warn" : "plain"}`}>{status}</span>
        </>
      )}
      <Meta
        parts={[
          `since ${formatDate(c.onsetDateTime ?? c.recordedDate)}`,
          abatement !== undefined && `resolved ${formatDate(abatement)}`,
          conceptText(c.verificationStatus),
        ]}
      />
    </div>
  );
}

function MedicationRequestView({ m }: { m: MedicationRequest }) {
  const name = conceptText(m.medicationCodeableConcept) || m.medicationReference?.display || "Medication";
  const dose = m.dosageInstruction?.[0]?.text;
  return (
    <div>
      <Title>{name}</Title>{" "}
      <span className={`badge ${m.status === "active" ? "info" : "plain"}`}>{m.status ?? "unknown"}</span>
      <Meta parts={[`prescribed ${formatDate(m.authoredOn)}`, m.intent, dose]} />
    </div>
  );
}

function ImmunizationView({ i }: { i: Immunization }) {
  return (
    <div>
      <Title>{conceptText(i.vaccineCode)}</Title>
      <Meta
        parts={[
          `given ${formatDate(i.occurrenceDateTime)}`,
          i.status !== "completed" && i.status,
          i.lotNumber !== undefined && `lot ${i.lotNumber}`,
        ]}
      />
    </div>
  );
}

function AllergyView({ a }: { a: AllergyIntolerance }) {
  const reactions = (a.reaction ?? []).flatMap((r) => (r.manifestation ?? []).map(conceptText)).filter((x) => x !== "");
  return (
    <div>
      <Title>{conceptText(a.code)}</Title>
      {a.criticality === "high" ? (
        <>
          {" "}
          <span className="badge bad">high risk</span>
        </>
      ) : null}
      <Meta
        parts={[
          a.category?.join(", "),
          a.type,
          conceptText(a.clinicalStatus),
          reactions.length > 0 && `reactions: ${reactions.join(", ")}`,
          `recorded ${formatDate(a.recordedDate ?? a.onsetDateTime)}`,
        ]}
      />
    </div>
  );
}

function ProcedureView({ p }: { p: Procedure }) {
  return (
    <div>
      <Title>{conceptText(p.code)}</Title>
      <Meta
        parts={[formatDate(resourceDate(p)), p.status !== "completed" && p.status, conceptText(p.reasonCode?.[0])]}
      />
    </div>
  );
}

function CarePlanView({ c }: { c: CarePlan }) {
  const activities = (c.activity ?? []).map((a) => conceptText(a.detail?.code)).filter((x) => x !== "");
  return (
    <div>
      <Title>{conceptText(c.category?.[0]) || "Care plan"}</Title> <span className="badge plain">{c.status}</span>
      <Meta
        parts={[`from ${formatDate(c.period?.start)}`, activities.length > 0 && activities.slice(0, 4).join(", ")]}
      />
    </div>
  );
}

function GoalView({ g }: { g: Goal }) {
  return (
    <div>
      <Title>{conceptText(g.description) || "Goal"}</Title>
      <Meta parts={[g.lifecycleStatus]} />
    </div>
  );
}

function ClaimView({ c }: { c: Claim | ExplanationOfBenefit }) {
  const total = c.resourceType === "Claim" ? c.total : c.total?.[0]?.amount;
  return (
    <div>
      <Title>{c.resourceType === "Claim" ? "Insurance claim" : "Explanation of benefit"}</Title>
      <Meta
        parts={[
          formatDate(c.billablePeriod?.start ?? c.created),
          total?.value === undefined ? undefined : `${formatNumber(total.value, 2)} ${total.currency ?? ""}`.trim(),
          c.status,
        ]}
      />
    </div>
  );
}

/** Any resource, rendered for people. */
export function ResourceView({ resource, timeline }: { resource: Resource; timeline: Timeline }) {
  switch (resource.resourceType) {
    case "Observation":
      return <ObservationView o={resource} />;
    case "DiagnosticReport":
      return <DiagnosticReportView r={resource} timeline={timeline} />;
    case "Condition":
      return <ConditionView c={resource} />;
    case "MedicationRequest":
      return <MedicationRequestView m={resource} />;
    case "Immunization":
      return <ImmunizationView i={resource} />;
    case "AllergyIntolerance":
      return <AllergyView a={resource} />;
    case "Procedure":
      return <ProcedureView p={resource} />;
    case "CarePlan":
      return <CarePlanView c={resource} />;
    case "Goal":
      return <GoalView g={resource} />;
    case "Claim":
    case "ExplanationOfBenefit":
      return <ClaimView c={resource} />;
    default:
      return (
        <div>
          <Title>{resource.resourceType}</Title>
          <Meta parts={[formatDate(resourceDate(resource))]} />
        </div>
      );
  }
}

/** A visit's heading: type, class and dates. */
export function encounterTitle(e: Encounter | undefined): string {
  if (e === undefined) return "Not linked to a visit";
  return conceptText(e.type?.[0]) || e.class?.display || e.class?.code || "Visit";
}

/** The patient's name and facts, as a line. */
export function patientLine(p: Patient | undefined): { name: string; facts: string } {
  if (p === undefined) return { name: "", facts: "" };
  const n = p.name?.find((x) => x.use === "official") ?? p.name?.[0];
  const name = n === undefined ? "" : (n.text ?? [...(n.given ?? []), n.family ?? ""].join(" ").trim());
  const facts = [p.gender, p.birthDate === undefined ? undefined : `born ${formatDate(p.birthDate)}`]
    .filter(Boolean)
    .join(", ");
  return { name, facts };
}
