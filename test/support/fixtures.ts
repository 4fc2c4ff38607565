/** Paths and loaders of the shared public fixtures (../shared/fixtures). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

function findFixtures(): string {
  const candidates = [
    process.env.MEDCHAIN_FIXTURES,
    resolve(import.meta.dirname, "../../../shared/fixtures"), // the checkout next to ../shared
    "/work/shared/fixtures", // the team machine's shared folder, for clones elsewhere (CI)
  ].filter((c): c is string => c !== undefined && c !== "");
  const found = candidates.find((c) => existsSync(join(c, "SOURCES.md")));
  if (found === undefined)
    throw new Error(`shared fixtures not found (tried ${candidates.join(", ")}); set MEDCHAIN_FIXTURES`);
  return found;
}

/**
 * Root of the shared fixtures: $MEDCHAIN_FIXTURES, else ../shared/fixtures next to the checkout, else
 * /work/shared/fixtures.
 */
export const FIXTURES = findFixtures();

/** The six Synthea patient bundles (not the practitioner/hospital information bundles). */
export function syntheaPatientFiles(): string[] {
  const dir = join(FIXTURES, "fhir-synthea");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !/Information/.test(f))
    .sort()
    .map((f) => join(dir, f));
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
