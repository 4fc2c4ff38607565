/** Parsers of CLI arguments shared by several slices' commands (categories, purposes of use). */
import { MedchainError } from "../kernel/errors.ts";
import { CATEGORY, type CategoryName } from "../kernel/categories.ts";
import { PURPOSE, type PurposeCode } from "../kernel/purposes.ts";

/** Parses `a,b,c` category names. */
export function parseCategories(v: string): CategoryName[] {
  const names = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!Object.hasOwn(CATEGORY, n))
      throw new MedchainError("InvalidInput", `unknown category "${n}" (known: ${Object.keys(CATEGORY).join(", ")})`);
  }
  if (names.length === 0) throw new MedchainError("InvalidInput", "name at least one category");
  return names as CategoryName[];
}

/** Parses `TREAT,ETREAT` purposes of use. */
export function parsePurposes(v: string): PurposeCode[] {
  const codes = v
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const c of codes) {
    if (!Object.hasOwn(PURPOSE, c))
      throw new MedchainError(
        "InvalidInput",
        `unknown purpose of use "${c}" (known: ${Object.keys(PURPOSE).join(", ")})`,
      );
  }
  if (codes.length === 0) throw new MedchainError("InvalidInput", "name at least one purpose of use");
  return codes as PurposeCode[];
}
