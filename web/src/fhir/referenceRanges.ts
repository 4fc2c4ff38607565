/**
 * Reference ranges of Observations: the record's own `referenceRange` when it
 * has one; otherwise, for a handful of common LOINC codes, a typical adult
 * range (general guidance, labelled as such in the UI, never mixed up with
 * the lab's own range), used only when the units match exactly.
 */
import type { Observation, ObservationReferenceRange, Quantity } from "@medplum/fhirtypes";

/** A range to show next to a value. */
export interface RangeInfo {
  low?: number;
  high?: number;
  unit: string;
  text?: string;
  /** `record`: from the Observation itself; `typical`: medchain's general adult guide. */
  source: "record" | "typical";
}

/** Typical adult ranges by LOINC code (UCUM unit). */
export const TYPICAL_RANGES: Readonly<Record<string, { low?: number; high?: number; unit: string }>> = {
  "8480-6": { low: 90, high: 120, unit: "mm[Hg]" }, // systolic blood pressure
  "8462-4": { low: 60, high: 80, unit: "mm[Hg]" }, // diastolic blood pressure
  "39156-5": { low: 18.5, high: 25, unit: "kg/m2" }, // body mass index
  "4548-4": { low: 4, high: 5.7, unit: "%" }, // hemoglobin A1c
  "2339-0": { low: 70, high: 99, unit: "mg/dL" }, // glucose (fasting)
  "2093-3": { high: 200, unit: "mg/dL" }, // total cholesterol
  "2571-8": { high: 150, unit: "mg/dL" }, // triglycerides
  "18262-6": { high: 100, unit: "mg/dL" }, // LDL cholesterol
  "2085-9": { low: 40, unit: "mg/dL" }, // HDL cholesterol
  "8867-4": { low: 60, high: 100, unit: "/min" }, // heart rate
  "9279-1": { low: 12, high: 20, unit: "/min" }, // respiratory rate
  "8310-5": { low: 36.1, high: 37.2, unit: "Cel" }, // body temperature
  "2947-0": { low: 136, high: 145, unit: "mmol/L" }, // sodium
  "6298-4": { low: 3.5, high: 5.1, unit: "mmol/L" }, // potassium
  "2069-3": { low: 98, high: 107, unit: "mmol/L" }, // chloride
  "20565-8": { low: 22, high: 29, unit: "mmol/L" }, // carbon dioxide
  "6299-2": { low: 7, high: 20, unit: "mg/dL" }, // urea nitrogen
  "38483-4": { low: 0.6, high: 1.3, unit: "mg/dL" }, // creatinine
  "49765-1": { low: 8.5, high: 10.2, unit: "mg/dL" }, // calcium
  "718-7": { low: 12, high: 17.5, unit: "g/dL" }, // hemoglobin
  "6690-2": { low: 4.5, high: 11, unit: "10*3/uL" }, // leukocytes
};

function fromRecord(r: ObservationReferenceRange, unit: string): RangeInfo {
  return {
    ...(r.low?.value === undefined ? {} : { low: r.low.value }),
    ...(r.high?.value === undefined ? {} : { high: r.high.value }),
    unit: r.low?.unit ?? r.high?.unit ?? unit,
    ...(r.text === undefined ? {} : { text: r.text }),
    source: "record",
  };
}

/** The range for a value measured under `loinc`, from `ranges` (the record) or the typical table. */
export function rangeFor(
  loinc: string | undefined,
  q: Quantity | undefined,
  ranges: readonly ObservationReferenceRange[] | undefined,
): RangeInfo | undefined {
  const unit = q?.code ?? q?.unit ?? "";
  const own = ranges?.[0];
  if (own !== undefined) return fromRecord(own, unit);
  const typical = loinc === undefined ? undefined : TYPICAL_RANGES[loinc];
  if (typical === undefined || typical.unit !== unit) return undefined;
  return { ...typical, source: "typical" };
}

/** The reference range of an Observation's main value. */
export function observationRange(o: Observation, loinc: string | undefined): RangeInfo | undefined {
  return rangeFor(loinc, o.valueQuantity, o.referenceRange);
}

/** Where a value sits against a range. */
export function rangeFlag(value: number, range: RangeInfo | undefined): "low" | "high" | "normal" | undefined {
  if (range === undefined) return undefined;
  if (range.low !== undefined && value < range.low) return "low";
  if (range.high !== undefined && value > range.high) return "high";
  return "normal";
}
