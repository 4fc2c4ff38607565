/**
 * The record as a timeline of visits, newest first, each a disclosure
 * (keyboard: Tab to the summary, Enter/Space to open). A row of toggle chips
 * filters by resource type. Visit bodies render only when opened, so a
 * 959-resource record shows at once.
 */
import { useMemo, useState } from "react";
import { filterTimeline, type Timeline, type TimelineVisit } from "../fhir/timeline.ts";
import { encounterTitle, ResourceView } from "../fhir/ResourceView.tsx";
import { formatDate } from "../lib/format.ts";

const TYPE_LABELS: Record<string, string> = {
  Observation: "Observations",
  DiagnosticReport: "Lab reports",
  Condition: "Conditions",
  MedicationRequest: "Medications",
  Immunization: "Immunizations",
  AllergyIntolerance: "Allergies",
  Procedure: "Procedures",
  CarePlan: "Care plans",
  Goal: "Goals",
  Claim: "Claims",
  ExplanationOfBenefit: "Benefits",
};

/** Plural human label of a resource type. */
export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

const PAGE = 40;

function Visit({
  visit,
  timeline,
  initiallyOpen,
}: {
  visit: TimelineVisit;
  timeline: Timeline;
  initiallyOpen: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const e = visit.encounter;
  const when = e?.period?.start ?? visit.start;
  const provider = e?.serviceProvider?.display;
  return (
    <li className="visit">
      <details open={open} onToggle={(ev) => setOpen((ev.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <span className="visit-date">{visit.key === "unlinked" ? "Other records" : formatDate(when)}</span>
          <span>{encounterTitle(e)}</span>
          <span className="entry-meta">
            {[e?.class?.code, provider, `${visit.count} entr${visit.count === 1 ? "y" : "ies"}`]
              .filter(Boolean)
              .join(" · ")}
          </span>
        </summary>
        {open ? (
          <div className="visit-body">
            {[...visit.byType].map(([type, items]) => (
              <section key={type} className="type-group" aria-label={typeLabel(type)}>
                <h4>
                  {typeLabel(type)} ({items.length})
                </h4>
                <ul className="entries">
                  {items.map((it) => (
                    <li key={it.key}>
                      <ResourceView resource={it.resource} timeline={timeline} />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        ) : null}
      </details>
    </li>
  );
}

/** The timeline with its type filter. */
export function TimelineView({ timeline }: { timeline: Timeline }) {
  const types = useMemo(() => {
    const set = new Set<string>();
    for (const v of timeline.visits) for (const t of v.byType.keys()) set.add(t);
    return [...set].sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)));
  }, [timeline]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(PAGE);
  const visits = useMemo(
    () => filterTimeline(timeline.visits, new Set(types.filter((t) => !hidden.has(t)))),
    [timeline, types, hidden],
  );
  const toggle = (t: string): void =>
    setHidden((old) => {
      const next = new Set(old);
      if (next.has(t)) next.delete(t);
      else next.add(t);
      return next;
    });
  return (
    <div data-testid="timeline">
      <div className="type-filter" role="group" aria-label="Show record types">
        {types.map((t) => {
          const count = timeline.visits.reduce((n, v) => n + (v.byType.get(t)?.length ?? 0), 0);
          return (
            <button key={t} type="button" className="chip" aria-pressed={!hidden.has(t)} onClick={() => toggle(t)}>
              {typeLabel(t)} ({count})
            </button>
          );
        })}
      </div>
      {visits.length === 0 ? (
        <p>Nothing to show with these filters.</p>
      ) : (
        <ol className="timeline" aria-label="Visits, newest first">
          {visits.slice(0, shown).map((v, i) => (
            <Visit key={v.key} visit={v} timeline={timeline} initiallyOpen={i === 0} />
          ))}
        </ol>
      )}
      {visits.length > shown ? (
        <button type="button" className="button secondary" onClick={() => setShown((n) => n + PAGE)}>
          Show older visits ({visits.length - shown} more)
        </button>
      ) : null}
    </div>
  );
}
