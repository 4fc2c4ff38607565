/**
 * GS1 vectors from ../shared/fixtures/gs1-barcodes and gs1-digital-link: every
 * vector whose expectation the fixture states is run, and must give that
 * result (parse values or rejection). A vector outside this module's scope is
 * counted and listed with its reason, never dropped silently; the number of
 * such vectors per file is pinned below so that any change shows.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MedchainError } from "../../src/kernel/errors.ts";
import {
  aiTable,
  DL_LEGACY_OPTIONS,
  decimalValue,
  decodeScanData,
  gs1Date,
  hasValidCheckDigit,
  isCompressedDigitalLink,
  lookupAi,
  parseBracketed,
  parseDigitalLink,
  parseElementString,
  parseNormalised,
  toDigitalLink,
  toElementString,
  toNormalised,
  toScanData,
  validateAssociations,
  type AiElement,
  type AssociationChecks,
  type DigitalLinkOptions,
  type ScanDataTarget,
} from "../../src/supply/sdk/gs1/index.ts";
import { FIXTURES } from "../support/fixtures.ts";

type Vector = Record<string, unknown>;
type Verdict = { kind: "pass" } | { kind: "fail"; why: string } | { kind: "out-of-scope"; why: string };

const PASS: Verdict = { kind: "pass" };
const fail = (why: string): Verdict => ({ kind: "fail", why });
const outOfScope = (why: string): Verdict => ({ kind: "out-of-scope", why });

const BARCODES = join(FIXTURES, "gs1-barcodes");
const DIGITAL_LINK = join(FIXTURES, "gs1-digital-link");
const NOW = new Date("2026-06-01T00:00:00Z");

function vectorsOf(file: string): Vector[] {
  const doc = JSON.parse(readFileSync(file, "utf8")) as { vectors?: Vector[] };
  assert.ok(Array.isArray(doc.vectors), `${file} has a vectors array`);
  return doc.vectors;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Runs `f`; a `MedchainError` (InvalidGs1 / InvalidBarcode) counts as rejection, anything else is a bug. */
function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: MedchainError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof MedchainError && (e.code === "InvalidGs1" || e.code === "InvalidBarcode"))
      return { ok: false, error: e };
    throw e;
  }
}

function expectOutcome<T>(shouldSucceed: boolean, f: () => T, check?: (value: T) => string | undefined): Verdict {
  const r = attempt(f);
  if (!r.ok) return shouldSucceed ? fail(`rejected: ${r.error.shortMessage} ${JSON.stringify(r.error.details)}`) : PASS;
  if (!shouldSucceed) return fail("accepted, expected rejection");
  const problem = check?.(r.value);
  return problem === undefined ? PASS : fail(problem);
}

const same = (got: string, expected: string): string | undefined =>
  got === expected ? undefined : `got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`;

// ---------------------------------------------------------------------------------------------
// GS1 Barcode Syntax Engine (element strings, scan data, linters, associations, Digital Link)

/** The North American retail coupon AIs, whose internal structure is not checked (see linters.ts). */
const COUPON_AIS = ["8110", "8112"];

/** The engine shows plain (non-GS1) data with a leading `^` escaped as `\^`. */
function unescapePlain(s: string): string {
  return /^\\+\^/.test(s) ? s.slice(1) : s;
}

const ENGINE_SYMBOLOGY: Record<string, string[]> = {
  QR: ["]Q1", "]Q3"],
  DM: ["]d1", "]d2"],
  DotCode: ["]J0", "]J1"],
  DataBarExpanded: ["]e0"],
  GS1_128_CCA: ["]C1"],
  EAN13: ["]E0"],
  EAN8: ["]E4"],
};

function runProcessScanData(v: Vector): Verdict {
  const expected = v.expected === null ? "" : str(v.expected);
  return expectOutcome(
    v.shouldSucceed === true,
    () => decodeScanData(str(v.input)),
    (scan) => {
      const aims = ENGINE_SYMBOLOGY[str(v.expectedSymbology)] ?? [];
      if (!aims.includes(scan.aim)) return `symbology ${scan.aim}, expected ${str(v.expectedSymbology)}`;
      if (scan.kind !== "gs1") return same(scan.data, unescapePlain(expected));
      if (scan.primary !== undefined) {
        const [primary = "", composite] = expected.split("|");
        return (
          same(scan.primary, primary) ??
          (composite === undefined ? undefined : same(toNormalised(scan.elements.slice(1)), composite))
        );
      }
      return same(toNormalised(scan.elements), expected);
    },
  );
}

const GENERATE_TARGETS: Record<string, ScanDataTarget> = {
  DM: "]d2",
  QR: "]Q3",
  DotCode: "]J1",
  GS1_128_CCA: "]C1",
  DataBarExpanded: "]e0",
};

function runGenerateScanData(v: Vector): Verdict {
  const input = str(v.input);
  const target = GENERATE_TARGETS[str(v.symbology)];
  if (target === undefined || !input.startsWith("^") || input.includes("|") || input.endsWith("^")) {
    return outOfScope(
      "scan-data generation (AI data -> scanner output) is only provided for GS1 2D codes, GS1-128 and GS1 DataBar " +
        "Expanded without composite; plain-data, EAN/UPC, DataBar linear, " +
        "composite and trailing-FNC1 encodings are not part of parsing",
    );
  }
  return expectOutcome(
    v.shouldSucceed === true,
    () => toScanData(parseNormalised(input), target),
    (out) => same(out, str(v.expected)),
  );
}

const VALIDATIONS: Record<string, AssociationChecks> = {
  validateAIrepeats: { repeats: true, exclusions: false, requisites: false, digitalSignature: false },
  validateAImutex: { repeats: false, exclusions: true, requisites: false, digitalSignature: false },
  validateAIrequisites: { repeats: false, exclusions: false, requisites: true, digitalSignature: false },
  validateDigSigRequiresSerialisedKey: { repeats: false, exclusions: false, requisites: false, digitalSignature: true },
};

function runEngineVector(v: Vector, dlOptions: (v: Vector) => DigitalLinkOptions): Verdict {
  const input = str(v.input);
  const ok = v.shouldSucceed === true;
  switch (v.test) {
    case "parseAIdata":
      return expectOutcome(
        ok,
        () => parseBracketed(input),
        (els) => same(toNormalised(els), str(v.expected)),
      );
    case "processAIdata":
      if (input === "buf")
        return outOfScope(
          "input built at run time by the C test (90 characters / " +
            "64 AIs); the fixture holds only the placeholder 'buf'",
        );
      return expectOutcome(ok, () => parseNormalised(input));
    case "validateAIs": {
      // The engine runs these with unknown AIs permitted (AIs 89 and 3338 appear).
      const checks = VALIDATIONS[str(v.validation)];
      if (checks === undefined) return fail(`unknown validation ${str(v.validation)}`);
      return expectOutcome(ok, () => validateAssociations(parseBracketed(input, { permitUnknownAis: true }), checks));
    }
    case "linter": {
      const expected = str(v.expectedLintResult).replace(/^GS1_LINTER_/, "");
      const r = attempt(() => parseBracketed(input));
      if (expected === "OK") return r.ok ? PASS : fail(`rejected: ${JSON.stringify(r.error.details)}`);
      if (r.ok) {
        return expected.startsWith("COUPON_")
          ? outOfScope("North American retail coupon structure (AIs 8110/8112) is not checked")
          : fail("accepted");
      }
      return r.error.details?.rule === expected
        ? PASS
        : fail(`rule ${String(r.error.details?.rule)}, expected ${expected}`);
    }
    case "processScanData":
      return runProcessScanData(v);
    case "generateScanData":
      return runGenerateScanData(v);
    case "parseDLuri":
      return expectOutcome(
        ok,
        () => parseDigitalLink(input, dlOptions(v)),
        (dl) => same(toNormalised(dl.elements), str(v.expected)),
      );
    case "generateDLuri": {
      const stem = typeof v.stem === "string" ? v.stem : undefined;
      const options = dlOptions(v);
      return expectOutcome(
        ok,
        () => toDigitalLink(parseBracketed(input, options), stem, options),
        (uri) => same(uri, str(v.expected)),
      );
    }
    default:
      return fail(`unknown test ${String(v.test)}`);
  }
}

/**
 * The engine's Digital Link tests switch parser flags around some vectors (dl.c,
 * by source line): the same URI is expected to parse with the flag and fail
 * without it.
 */
const DL_FLAGS: Record<string, DigitalLinkOptions> = {
  ...Object.fromEntries(["L1437", "L1438", "L1439"].map((l) => [l, { permitConvenienceAlphas: true }])),
  ...Object.fromEntries(
    ["L1449", "L1459", "L1469", "L1484", "L1494", "L1635", "L1641", "L1669", "L1679", "L1689", "L1699"].map((l) => [
      l,
      { permitZeroSuppressedGtin: true },
    ]),
  ),
  L1763: { permitUnknownAis: true },
  L1767: { permitUnknownAis: true, permitUnknownAiAttributes: true },
  L2203: { permitUnknownAis: true },
  L2206: { permitUnknownAis: true, permitUnknownAiAttributes: true },
};

function engineDlOptions(v: Vector): DigitalLinkOptions {
  const line = str(v.source).split("#")[1] ?? "";
  return str(v.source).includes("dl.c") ? (DL_FLAGS[line] ?? {}) : {};
}

// ---------------------------------------------------------------------------------------------
// zint (backend/tests/test_gs1.c): ok / warning-noncompliant / error-invalid-data

function zintParse(v: Vector): AiElement[] {
  const data = str(v.data);
  if (v.input_mode === "GS1RAW_MODE") return parseElementString(data);
  return data.startsWith("^") ? parseNormalised(data) : parseBracketed(data);
}

function runZint(v: Vector): Verdict {
  const expectOk = v.outcome === "ok";
  const r = attempt(() => zintParse(v));
  if (r.ok && expectOk)
    return same(toElementString(r.value), str(v.expected)) === undefined
      ? PASS
      : fail(same(toElementString(r.value), str(v.expected)) ?? "");
  if (!r.ok && !expectOk) return PASS;
  if (r.ok && COUPON_AIS.some((ai) => str(v.expected_errtxt).includes(`AI (${ai})`))) {
    return outOfScope("North American retail coupon structure (AIs 8110/8112) is not checked");
  }
  return fail(
    r.ok
      ? `accepted, expected ${String(v.outcome)} (${str(v.expected_errtxt)})`
      : `rejected: ${JSON.stringify(r.error.details)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// BarcodeParser (Brockfeld): decoded GS1-128 values

function runBrockfeld(v: Vector): Verdict {
  const expected = v.expected as { ai: string; dataTitle: string; data: string | number; unit?: string }[];
  return expectOutcome(
    true,
    () => decodeScanData(str(v.input)),
    (scan) => {
      if (typeof v.expectedElementCount === "number" && scan.elements.length !== v.expectedElementCount)
        return `got ${scan.elements.length} elements`;
      if (scan.elements.length !== expected.length)
        return `got ${scan.elements.length} elements, expected ${expected.length}`;
      // The spec matches items with jasmine.arrayContaining: by content, not by position.
      for (const want of expected) {
        const got = scan.elements.find((e) => e.ai === want.ai);
        if (got === undefined) return `no AI ${want.ai}`;
        if (lookupAi(got.ai)?.title.toUpperCase() !== want.dataTitle.toUpperCase())
          return `AI ${got.ai}: title ${String(lookupAi(got.ai)?.title)}`;
        const decimal = decimalValue(got.ai, got.value);
        let value: string | number = got.value;
        let unit: string | undefined;
        if (got.ai === "17") value = gs1Date(got.value, NOW);
        else if (decimal !== undefined) [value, unit] = [Number(decimal.amount), decimal.currency];
        else if (got.ai === "421") [value, unit] = [got.value.slice(3), got.value.slice(0, 3)];
        if (value !== want.data) return `AI ${got.ai}: value ${String(value)}, expected ${String(want.data)}`;
        // Units of measure (KGM) are implied by the AI itself; currencies and countries are in the value.
        if (want.unit !== undefined && unit !== undefined && unit !== want.unit)
          return `AI ${got.ai}: unit ${unit}, expected ${want.unit}`;
      }
      return undefined;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// digital-link.js (GS1): grammar validity, check digits, compression

const DLJS_BASE = "https://id.gs1.org/01/09520123456788";

function dljsParses(uri: string, options: DigitalLinkOptions = DL_LEGACY_OPTIONS): boolean {
  return attempt(() => parseDigitalLink(uri, options)).ok;
}

function runDigitalLinkJs(v: Vector): Verdict {
  const input = str(v.input);
  const expected = v.expected;
  const verdict = (got: boolean): Verdict =>
    got === expected ? PASS : fail(`got ${String(got)}, expected ${String(expected)}`);
  switch (v.test) {
    case "isValid":
      if (isCompressedDigitalLink(input))
        return outOfScope("compressed GS1 Digital Link URIs are not supported (uncompressed form only)");
      if (/\/(giai|8004)\//.test(input) && expected === false) {
        return outOfScope(
          "digital-link.js reports a key without a check digit as invalid; GIAI (8004) has none in the GS1 General " +
            "Specifications and the GS1 Syntax Engine accepts it (see its (8030)...(8004) vectors)",
        );
      }
      // digital-link.js reads legacy Digital Link 1.x URIs: convenience alphas, GTIN-8/12/13, trailing slash, sorted
      // qualifiers.
      return verdict(dljsParses(input));
    case "isCheckDigitValid": {
      const r = attempt(() => parseDigitalLink(input, DL_LEGACY_OPTIONS));
      return verdict(r.ok || r.error.details?.rule !== "INCORRECT_CHECK_DIGIT");
    }
    case "isCompressedWebUri":
      return verdict(isCompressedDigitalLink(input));
    case "compressWebUri":
    case "decompressWebUri":
      return outOfScope("compressed GS1 Digital Link URIs are not supported (uncompressed form only)");
    case "constructorThrows":
      return verdict(!dljsParses(input));
    case "validateCheckDigit": {
      const position = Number(v.args);
      return verdict(hasValidCheckDigit(position > 0 ? input.slice(0, position) : input));
    }
    case "testRule": {
      // A grammar rule is checked as the matching part of a complete Digital Link URI.
      const rule = str(v.args);
      const uri =
        rule === "gtin"
          ? `https://id.gs1.org/01/${input}`
          : rule === "ser"
            ? `${DLJS_BASE}/21/${input}`
            : rule === "cpv"
              ? `${DLJS_BASE}/22/${input}`
              : rule === "extensionParameter"
                ? `${DLJS_BASE}?${input}`
                : undefined;
      if (uri === undefined) return fail(`no mapping for grammar rule ${rule}`);
      return verdict(dljsParses(uri));
    }
    default:
      return fail(`unknown test ${String(v.test)}`);
  }
}

// ---------------------------------------------------------------------------------------------

/** How each vector file is run. */
const RUNNERS: Record<string, (v: Vector) => Verdict> = {
  "gs1-barcodes/gs1-syntax-engine-element-string-vectors.json": (v) => runEngineVector(v, engineDlOptions),
  "gs1-barcodes/zint-gs1-verify-lint-vectors.json": runZint,
  "gs1-barcodes/brockfeld-barcodeparser-spec-vectors.json": runBrockfeld,
  "gs1-barcodes/pharma-focused-selection.json": (v) =>
    str(v.test).startsWith("gs1_") ? runZint(v) : runEngineVector(v, engineDlOptions),
  "gs1-digital-link/gs1-syntax-engine-digital-link-vectors.json": (v) => runEngineVector(v, engineDlOptions),
  "gs1-digital-link/digital-link-js-test-vectors.json": runDigitalLinkJs,
};

/** Files in those folders that hold no vectors, and what is done with them instead. */
const NOT_VECTOR_FILES: Record<string, string> = {
  "gs1-barcodes/gs1-syntax-dictionary.txt":
    "the AI dictionary itself: checked below to be the table embedded in aiTable.ts",
  "gs1-digital-link/GS1_Digital_Link_Grammar_1_2.abnf":
    "the Digital Link ABNF grammar: its rules are exercised through the digital-link.js grammar vectors",
};

/** Out-of-scope vectors per file (pinned: a change in either direction must be looked at). */
const EXPECTED_OUT_OF_SCOPE: Record<string, number> = {
  "gs1-barcodes/gs1-syntax-engine-element-string-vectors.json": 98,
  "gs1-barcodes/zint-gs1-verify-lint-vectors.json": 100,
  "gs1-barcodes/brockfeld-barcodeparser-spec-vectors.json": 0,
  "gs1-barcodes/pharma-focused-selection.json": 0,
  "gs1-digital-link/gs1-syntax-engine-digital-link-vectors.json": 0,
  "gs1-digital-link/digital-link-js-test-vectors.json": 10,
};

describe("GS1 fixture vectors", () => {
  const files = [BARCODES, DIGITAL_LINK].flatMap((dir) =>
    readdirSync(dir)
      .sort()
      .map((f) => `${dir === BARCODES ? "gs1-barcodes" : "gs1-digital-link"}/${f}`),
  );

  it("knows every file in the GS1 fixture folders", () => {
    for (const f of files)
      assert.ok(RUNNERS[f] !== undefined || NOT_VECTOR_FILES[f] !== undefined, `no runner for ${f}`);
  });

  for (const file of files.filter((f) => RUNNERS[f] !== undefined)) {
    it(`gives the stated result for every vector of ${file}`, () => {
      const runner = RUNNERS[file];
      assert.ok(runner);
      const vectors = vectorsOf(join(FIXTURES, file));
      let passed = 0;
      const failures: string[] = [];
      const skipped: { where: string; why: string }[] = [];
      for (const v of vectors) {
        const verdict = runner(v);
        const where = str(v.source).split("/").pop() ?? "";
        if (verdict.kind === "pass") passed++;
        else if (verdict.kind === "fail")
          failures.push(`${where} ${JSON.stringify(v.input ?? v.data)}: ${verdict.why}`);
        else skipped.push({ where, why: verdict.why });
      }
      const stated = vectors.length - skipped.length;
      console.log(
        `${file}: ${passed}/${stated} vectors with a stated expectation pass; ${skipped.length} out of scope`,
      );
      const byReason = new Map<string, string[]>();
      for (const { where, why } of skipped) byReason.set(why, [...(byReason.get(why) ?? []), where]);
      for (const [why, wheres] of byReason)
        console.log(`  out of scope (${wheres.length}): ${why}\n    ${wheres.join(", ")}`);
      assert.deepEqual(failures, [], `${failures.length} failing vectors`);
      assert.equal(passed, stated);
      assert.equal(skipped.length, EXPECTED_OUT_OF_SCOPE[file], "number of out-of-scope vectors changed");
    });
  }

  it("embeds exactly the fixture's GS1 Barcode Syntax Dictionary", () => {
    const text = readFileSync(join(BARCODES, "gs1-syntax-dictionary.txt"), "utf8");
    const ais = new Set<string>();
    for (const line of text.split("\n")) {
      if (line.startsWith("#") || line.trim() === "") continue;
      const spec = line.trim().split(/\s+/)[0] ?? "";
      const [from = "", to] = spec.split("-");
      for (let n = Number(from); n <= Number(to ?? from); n++) ais.add(String(n).padStart(from.length, "0"));
    }
    assert.deepEqual([...aiTable().keys()].sort(), [...ais].sort());
  });
});
