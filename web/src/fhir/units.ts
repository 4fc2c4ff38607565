/**
 * UCUM unit codes as people write them: mm[Hg] → mmHg, kg/m2 → kg/m², 10*3/uL → ×10³/µL, Cel → °C; annotations such as
 * {score} are dropped.
 */
const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** The display form of a UCUM unit (or free-text unit). */
export function unitDisplay(unit: string | undefined): string {
  if (unit === undefined) return "";
  return unit
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[([^\]]*)\]/g, "$1")
    .replace(/^10\*(\d+)/, (_m, e: string) => `×10${[...e].map((d) => SUPERSCRIPT[d] ?? d).join("")}`)
    .replace(/\bu(L|g|mol)\b/g, "µ$1")
    .replace(/^Cel$/, "°C")
    .replace(/([a-zA-Z])2\b/g, "$1²")
    .replace(/([a-zA-Z])3\b/g, "$1³")
    .trim();
}
