/**
 * GS1 element strings: parsing and validation of AI data in its three textual
 * forms, and formatting back.
 *
 * - bracketed human-readable form: `(01)09506000134352(21)ABC` (`\(` is a
 *   literal bracket in a value); the same with square brackets, as zint writes
 *   it, is accepted too (no escapes there);
 * - raw element string as a scanner sends it once the symbology identifier is
 *   gone: FNC1 in first position implied, GS (0x1D) after a variable-length
 *   value that is followed by another AI;
 * - the normalised form of the GS1 Syntax Engine, where `^` stands for FNC1
 *   (leading `^` = FNC1 in first position).
 *
 * Every value is checked against the AI table: length, character set per
 * component and the component's syntax tests (check digits, dates, code
 * lists). AI associations (`req=`, `ex=`, repeated AIs, digital signature
 * keys) are a separate step, {@link validateAssociations}, because they apply
 * to the whole data carried on an item.
 */
import {
  aiAtStartOf,
  aiMatchesPattern,
  lookupAi,
  valueLengthRange,
  type AiEntry,
  type AiLookupOptions,
} from "./aiTable.ts";
import { invalidBarcode, invalidGs1 } from "./gs1Errors.ts";
import { CHARSET_LINTERS, linterNamed } from "./linters.ts";

/** ASCII GS (group separator, 0x1D): FNC1 as transmitted inside scan data. */
export const GS = "\u001d";

/** One AI and its value. */
export interface AiElement {
  /** The Application Identifier (2-4 digits). */
  readonly ai: string;
  /** The value, exactly as carried (no check digit added or removed). */
  readonly value: string;
}

/** Options of the element-string parsers. */
export type ElementStringOptions = AiLookupOptions;

function describe(rule: string): string {
  return rule.toLowerCase().replaceAll("_", " ");
}

/**
 * Checks the components of `data` (a value, possibly followed by more data in
 * the raw forms) against `entry` and returns how many characters the value
 * takes. Throws `InvalidGs1` naming the AI, the rule and the position.
 */
function lintComponents(entry: AiEntry, data: string): number {
  let p = 0;
  for (const component of entry.components) {
    const len = Math.min(data.length - p, component.max);
    if (component.optional && len === 0) continue;
    if (len < component.min) {
      throw invalidGs1(`AI (${entry.ai}) value is too short`, { ai: entry.ai, rule: "VALUE_TOO_SHORT", position: p });
    }
    const part = data.slice(p, p + len);
    const linters = [
      CHARSET_LINTERS[component.cset],
      ...component.linters.map((name) => {
        const linter = linterNamed(name);
        if (linter === undefined) throw new Error(`GS1 syntax test "${name}" is not implemented`);
        return linter;
      }),
    ];
    for (const linter of linters) {
      const failure = linter(part);
      if (failure !== undefined) {
        throw invalidGs1(`AI (${entry.ai}): ${describe(failure.rule)}`, {
          ai: entry.ai,
          rule: failure.rule,
          position: p + failure.offset,
        });
      }
    }
    p += len;
  }
  return p;
}

/**
 * Validates a complete (delimited) AI value: not empty, length within the AI's
 * range, then every component's character set and syntax tests. Throws
 * `InvalidGs1`.
 */
export function checkAiValue(entry: AiEntry, value: string): void {
  if (value === "") throw invalidGs1(`AI (${entry.ai}) has an empty value`, { ai: entry.ai, rule: "EMPTY_VALUE" });
  const { min, max } = valueLengthRange(entry);
  if (value.length < min)
    throw invalidGs1(`AI (${entry.ai}) value is too short`, { ai: entry.ai, rule: "VALUE_TOO_SHORT" });
  if (value.length > max)
    throw invalidGs1(`AI (${entry.ai}) value is too long`, { ai: entry.ai, rule: "VALUE_TOO_LONG" });
  if (lintComponents(entry, value) !== value.length) {
    throw invalidGs1(`AI (${entry.ai}) value is too long`, { ai: entry.ai, rule: "VALUE_TOO_LONG" });
  }
}

/** The AI entry for `ai`, or `InvalidGs1` (`UNKNOWN_AI` / `MALFORMED_AI`). */
export function requireAi(ai: string, options: AiLookupOptions, position?: number): AiEntry {
  const entry = lookupAi(ai, options);
  if (entry !== undefined) return entry;
  const wellFormed = /^\d{2,4}$/.test(ai);
  throw invalidGs1(wellFormed ? `unknown AI (${ai})` : "malformed AI", {
    rule: wellFormed ? "UNKNOWN_AI" : "MALFORMED_AI",
    ...(wellFormed ? { ai } : {}),
    ...(position === undefined ? {} : { position }),
  });
}

/**
 * Parses the bracketed form, `(01)09506000134352(10)LOT(21)SER` (or with
 * square brackets). Throws `InvalidBarcode` when the input does not start with
 * a bracket and `InvalidGs1` for any AI, length or content error.
 */
export function parseBracketed(input: string, options: ElementStringOptions = {}): AiElement[] {
  const open = input.charAt(0);
  if (open !== "(" && open !== "[")
    throw invalidBarcode("not a bracketed " + "GS1 element string", { rule: "NOT_BRACKETED", position: 0 });
  const close = open === "(" ? ")" : "]";
  const escapes = open === "(";
  const out: AiElement[] = [];
  let pos = 0;
  while (pos < input.length) {
    if (input.charAt(pos) !== open) throw invalidGs1("expected a bracketed AI", { rule: "MISSING_AI", position: pos });
    const end = input.indexOf(close, pos + 1);
    if (end < 0) throw invalidGs1("unterminated AI", { rule: "UNTERMINATED_AI", position: pos });
    const entry = requireAi(input.slice(pos + 1, end), options, pos + 1);
    let value = "";
    let p = end + 1;
    for (;;) {
      const next = input.indexOf(open, p);
      if (escapes && next > p && input.charAt(next - 1) === "\\") {
        value += input.slice(p, next - 1) + open;
        p = next + 1;
        continue;
      }
      const stop = next < 0 ? input.length : next;
      value += input.slice(p, stop);
      p = stop;
      break;
    }
    checkAiValue(entry, value);
    out.push({ ai: entry.ai, value });
    pos = p;
  }
  return out;
}

function parseUnbracketed(data: string, separator: string, base: number, options: ElementStringOptions): AiElement[] {
  if (data === "") throw invalidGs1("no AI data", { rule: "NO_AI_DATA", position: base });
  const out: AiElement[] = [];
  let pos = 0;
  while (pos < data.length) {
    const entry = aiAtStartOf(data.slice(pos, pos + 4), options);
    if (entry === undefined) {
      const head = data.slice(pos, pos + 4);
      const digits = /^\d{2,4}/.test(head);
      throw invalidGs1(digits ? "no known AI here" : "expected an AI", {
        rule: digits ? "UNKNOWN_AI" : "MALFORMED_AI",
        position: base + pos,
      });
    }
    pos += entry.ai.length;
    const end = data.indexOf(separator, pos);
    const candidate = data.slice(pos, end < 0 ? data.length : end);
    if (candidate === "")
      throw invalidGs1(`AI (${entry.ai}) has an empty value`, { ai: entry.ai, rule: "EMPTY_VALUE" });
    const consumed = lintComponents(entry, candidate);
    out.push({ ai: entry.ai, value: candidate.slice(0, consumed) });
    pos += consumed;
    const next = data.charAt(pos);
    if (entry.fnc1 && pos < data.length && next !== separator) {
      throw invalidGs1(`AI (${entry.ai}) value is too long`, { ai: entry.ai, rule: "VALUE_TOO_LONG" });
    }
    if (next === separator) pos++; // tolerated after fixed-length values too
  }
  return out;
}

/**
 * Parses a raw element string as a scanner transmits it after the symbology
 * identifier: AIs and values run together, FNC1 in first position implied, a
 * GS (0x1D) after each variable-length value that is followed by another AI
 * (a superfluous GS after a fixed-length value is tolerated).
 */
export function parseElementString(data: string, options: ElementStringOptions = {}): AiElement[] {
  return parseUnbracketed(data, GS, 0, options);
}

/**
 * Parses the GS1 Syntax Engine's normalised form, where `^` is FNC1 and the
 * data must start with it (`^0109506000134352^10LOT`).
 */
export function parseNormalised(input: string, options: ElementStringOptions = {}): AiElement[] {
  if (!input.startsWith("^"))
    throw invalidBarcode("normalised AI data must " + "start with FNC1 (^)", {
      rule: "MISSING_FNC1_IN_FIRST",
      position: 0,
    });
  return parseUnbracketed(input.slice(1), "^", 1, options);
}

function entryOf(ai: string): AiEntry | undefined {
  return lookupAi(ai, { permitUnknownAis: true });
}

function joinElements(elements: readonly AiElement[], separator: string): string {
  let out = "";
  elements.forEach((e, i) => {
    out += e.ai + e.value;
    if (i < elements.length - 1 && entryOf(e.ai)?.fnc1 !== false) out += separator;
  });
  return out;
}

/**
 * The raw element string (no symbology identifier; GS only where a variable-length value is followed by another AI).
 */
export function toElementString(elements: readonly AiElement[]): string {
  return joinElements(elements, GS);
}

/** The GS1 Syntax Engine normalised form (`^` = FNC1, leading `^`). */
export function toNormalised(elements: readonly AiElement[]): string {
  return `^${joinElements(elements, "^")}`;
}

/** The bracketed human-readable form, with `(` in values escaped as `\(`. */
export function toBracketed(elements: readonly AiElement[]): string {
  return elements.map((e) => `(${e.ai})${e.value.replaceAll("(", "\\(")}`).join("");
}

/** Which association checks {@link validateAssociations} runs (all by default). */
export interface AssociationChecks {
  /** The same AI twice must carry the same value. */
  repeats?: boolean;
  /** `ex=`: AIs that must not appear together. */
  exclusions?: boolean;
  /** `req=`: AIs that need others (e.g. a serial needs a GTIN). */
  requisites?: boolean;
  /** A digital signature (8030) needs a serialised key (GDTI, GCN, GRAI with serial component). */
  digitalSignature?: boolean;
}

function present(elements: readonly AiElement[], pattern: string, self: string): boolean {
  return elements.some((e) => e.ai !== self && aiMatchesPattern(e.ai, pattern));
}

/**
 * Checks the AI associations of the GS1 General Specifications over all the
 * AIs carried on one item: repeated AIs agree, no mutually exclusive pair
 * (`ex=`), every mandatory association (`req=`) satisfied, and a digital
 * signature only with a serialised key. Throws `InvalidGs1`.
 */
export function validateAssociations(elements: readonly AiElement[], checks: AssociationChecks = {}): void {
  const { repeats = true, exclusions = true, requisites = true, digitalSignature = true } = checks;
  if (repeats) {
    const seen = new Map<string, string>();
    for (const e of elements) {
      const before = seen.get(e.ai);
      if (before !== undefined && before !== e.value) {
        throw invalidGs1(`AI (${e.ai}) appears twice with different values`, {
          ai: e.ai,
          rule: "REPEATED_AI_MISMATCH",
        });
      }
      seen.set(e.ai, e.value);
    }
  }
  for (const e of elements) {
    const entry = entryOf(e.ai);
    if (entry === undefined) continue;
    if (exclusions) {
      const clash = entry.excludes.find((pattern) => present(elements, pattern, e.ai));
      if (clash !== undefined) {
        throw invalidGs1(`AI (${e.ai}) must not be combined with AI (${clash})`, {
          ai: e.ai,
          rule: "MUTUALLY_EXCLUSIVE_AIS",
          with: clash,
        });
      }
    }
    if (requisites) {
      for (const rule of entry.requires) {
        const satisfied = rule.some((alternative) => alternative.every((pattern) => present(elements, pattern, e.ai)));
        if (!satisfied) {
          throw invalidGs1(`AI (${e.ai}) needs AI ${rule.map((alt) => alt.join("+")).join(" or ")}`, {
            ai: e.ai,
            rule: "REQUIRED_AI_MISSING",
            required: rule.map((alt) => alt.join("+")),
          });
        }
      }
    }
  }
  if (digitalSignature && elements.some((e) => e.ai === "8030")) {
    const serialised: Record<string, number> = { "253": 13, "255": 13, "8003": 14 };
    for (const e of elements) {
      const keyLength = serialised[e.ai];
      if (keyLength !== undefined && e.value.length <= keyLength) {
        throw invalidGs1(`a digital signature needs AI (${e.ai}) with its serial component`, {
          ai: e.ai,
          rule: "DIGSIG_REQUIRES_SERIALISED_KEY",
        });
      }
    }
  }
}
