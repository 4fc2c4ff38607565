/** Charts of the record's observation series: blood pressure, BMI and HbA1c first, then any other numeric series. */
import { useMemo, useState, useId } from "react";
import type { Resource } from "@medplum/fhirtypes";
import { BMI, HBA1C, observationSeries } from "../../fhir/series.ts";
import { SeriesChart } from "../../components/SeriesChart.tsx";

const FEATURED: Array<[string, string]> = [
  ["bp", "Blood pressure"],
  [BMI, "BMI"],
  [HBA1C, "HbA1c"],
];

/** The charts tab. */
export default function ChartsPanel({ resources }: { resources: readonly Resource[] }) {
  const all = useMemo(() => observationSeries(resources), [resources]);
  const featured = FEATURED.filter(([id]) => all.some((s) => s.id === id));
  const others = all.filter((s) => !FEATURED.some(([id]) => id === s.id));
  const [selected, setSelected] = useState<string>(featured[0]?.[0] ?? others[0]?.id ?? "");
  const pickId = useId();
  const series = all.find((s) => s.id === selected);
  if (all.length === 0)
    return <p>No measurement appears more than once in this record yet, so there is nothing to chart.</p>;
  return (
    <div>
      <div className="row" style={{ marginBottom: "0.75rem" }}>
        <div className="tabs" role="tablist" aria-label="Featured charts" style={{ marginBottom: 0, borderBottom: 0 }}>
          {featured.map(([id, label]) => (
            <button key={id} type="button" role="tab" aria-selected={selected === id} onClick={() => setSelected(id)}>
              {label}
            </button>
          ))}
        </div>
        {others.length > 0 ? (
          <div>
            <label htmlFor={pickId} className="visually-hidden">
              Other measurements
            </label>
            <select
              id={pickId}
              value={others.some((s) => s.id === selected) ? selected : ""}
              onChange={(e) => setSelected(e.target.value)}
            >
              <option value="">Other measurements ({others.length})…</option>
              {others.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label} ({s.points.length})
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <div role="tabpanel">{series === undefined ? null : <SeriesChart key={series.id} series={series} />}</div>
    </div>
  );
}
