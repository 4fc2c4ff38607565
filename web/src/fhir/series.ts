/**
 * Observation series for charts: blood pressure (systolic and diastolic from
 * the components of a blood-pressure panel), and every numeric Observation
 * code with at least two values (BMI, HbA1c, glucose, weight, ...). Pure.
 */
import type { Observation, Resource } from "@medplum/fhirtypes";
import { conceptText, loincOf, resourceDate } from "./codes.ts";
import { TYPICAL_RANGES } from "./referenceRanges.ts";
import { unitDisplay } from "./units.ts";

/** Blood-pressure panels: Synthea's 55284-4 and the FHIR vital-signs profile's 85354-9. */
export const BP_PANELS = new Set(["55284-4", "85354-9"]);
/** Systolic blood pressure (LOINC). */
export const SYSTOLIC = "8480-6";
/** Diastolic blood pressure (LOINC). */
export const DIASTOLIC = "8462-4";
/** Body mass index (LOINC), given its own chart tab. */
export const BMI = "39156-5";
/** Hemoglobin A1c (LOINC), given its own chart tab. */
export const HBA1C = "4548-4";

/** One point of a series (time in ms since epoch). */
export interface SeriesPoint {
  t: number;
  [line: string]: number;
}

/** A chartable series. */
export interface Series {
  /** `bp` or a LOINC code (or the concept text when a code has no LOINC). */
  id: string;
  label: string;
  unit: string;
  /** Names of the lines in each point (besides `t`). */
  lines: Array<{ key: string; label: string }>;
  points: SeriesPoint[];
  /** Typical range of the (single) line, to shade on the chart. */
  typical?: { low?: number; high?: number };
}

function time(o: Resource): number | undefined {
  const d = resourceDate(o);
  const t = d === undefined ? NaN : Date.parse(d);
  return Number.isNaN(t) ? undefined : t;
}

/** Every series in the resources, blood pressure first, then by number of points. */
export function observationSeries(resources: Iterable<Resource>): Series[] {
  const bp: SeriesPoint[] = [];
  const numeric = new Map<string, Series>();
  for (const r of resources) {
    if (r.resourceType !== "Observation") continue;
    const o = r as Observation;
    const t = time(o);
    if (t === undefined) continue;
    const code = loincOf(o.code);
    if (code !== undefined && BP_PANELS.has(code)) {
      const sys = o.component?.find((c) => loincOf(c.code) === SYSTOLIC)?.valueQuantity?.value;
      const dia = o.component?.find((c) => loincOf(c.code) === DIASTOLIC)?.valueQuantity?.value;
      if (sys !== undefined && dia !== undefined) bp.push({ t, systolic: sys, diastolic: dia });
      continue;
    }
    const value = o.valueQuantity?.value;
    if (typeof value !== "number") continue;
    const id = code ?? conceptText(o.code);
    if (id === "") continue;
    const unit = unitDisplay(o.valueQuantity?.code ?? o.valueQuantity?.unit);
    let s = numeric.get(id);
    if (s === undefined) {
      const typical = code === undefined ? undefined : TYPICAL_RANGES[code];
      const sameUnit = typical !== undefined && (o.valueQuantity?.code ?? o.valueQuantity?.unit) === typical.unit;
      s = {
        id,
        label: conceptText(o.code),
        unit,
        lines: [{ key: "value", label: conceptText(o.code) }],
        points: [],
        ...(sameUnit
          ? {
              typical: {
                ...(typical.low === undefined ? {} : { low: typical.low }),
                ...(typical.high === undefined ? {} : { high: typical.high }),
              },
            }
          : {}),
      };
      numeric.set(id, s);
    }
    s.points.push({ t, value });
  }
  const out: Series[] = [];
  if (bp.length > 0) {
    out.push({
      id: "bp",
      label: "Blood pressure",
      unit: "mmHg",
      lines: [
        { key: "systolic", label: "Systolic" },
        { key: "diastolic", label: "Diastolic" },
      ],
      points: bp.sort((a, b) => a.t - b.t),
    });
  }
  const rest = [...numeric.values()].filter((s) => s.points.length >= 2);
  for (const s of rest) s.points.sort((a, b) => a.t - b.t);
  rest.sort((a, b) => b.points.length - a.points.length || a.label.localeCompare(b.label));
  return [...out, ...rest];
}
