/** Paths and loaders of the shared public fixtures (../shared/fixtures). */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Root of the shared fixtures. */
export const FIXTURES = resolve(import.meta.dirname, "../../../shared/fixtures");

/** The six Synthea patient bundles (not the practitioner/hospital information bundles). */
export function syntheaPatientFiles(): string[] {
  const dir = join(FIXTURES, "fhir-synthea");
  return readdirSync(dir).filter((f) => f.endsWith(".json") && !/Information/.test(f)).sort().map((f) => join(dir, f));
}

/** The largest Synthea bundle (Josue Sipes, 959 resources). */
export function largestSyntheaFile(): string {
  return syntheaPatientFiles().find((f) => f.includes("Josue_Sipes")) ?? "";
}

/** The smallest Synthea bundle (Clemente Kreiger, 70 resources). */
export function smallSyntheaFile(): string {
  return syntheaPatientFiles().find((f) => f.includes("Clemente_Kreiger")) ?? "";
}

/** Reads a JSON fixture. */
export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}
