/** Unit tests of the GS1 identifier module: check digits, dates, the canonical key across forms, EPC URIs, errors. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MedchainError } from "../../src/kernel/errors.ts";
import {
  DL_LEGACY_OPTIONS,
  GS,
  checkCharacterPair,
  decimalValue,
  decodeScanData,
  gs1CheckDigit,
  gs1Date,
  gs1Year,
  hasValidCheckDigit,
  parseBracketed,
  parseDigitalLink,
  parseElementString,
  parseEpcUri,
  parseScan,
  toBracketed,
  toDigitalLink,
  toElementString,
  toEpcUri,
  toScanData,
  validateAssociations,
  withCheckDigit,
  type ParseScanOptions,
} from "../../src/supply/sdk/gs1/index.ts";
import { FIXTURES } from "../support/fixtures.ts";

const NOW = new Date("2026-06-01T00:00:00Z");
const GTIN = "09506000134352";
const SERIAL = "ABC/12";

/** Runs `f` and returns the MedchainError it throws. */
function thrown(f: () => unknown): MedchainError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MedchainError, `expected a MedchainError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("GS1 check digits", () => {
  it("computes and verifies the modulo-10 check digit of GTIN, SSCC and GLN", () => {
    assert.equal(gs1CheckDigit("0950600013435"), 2);
    assert.equal(withCheckDigit("10614141234567890"), "106141412345678908");
    assert.equal(withCheckDigit("061414112345"), "0614141123452");
    assert.ok(hasValidCheckDigit(GTIN));
    assert.ok(!hasValidCheckDigit("09506000134353"));
    assert.ok(hasValidCheckDigit("96385074")); // GTIN-8
    assert.ok(!hasValidCheckDigit("9"));
    assert.ok(!hasValidCheckDigit("0950600013435A"));
  });

  it("computes the check character pair of a GMN", () => {
    assert.equal(checkCharacterPair("1987654Ad4X4bL5ttr2310c"), "2K");
    assert.deepEqual(parseBracketed("(8013)1987654Ad4X4bL5ttr2310c2K"), [
      { ai: "8013", value: "1987654Ad4X4bL5ttr2310c2K" },
    ]);
  });

  it("rejects a wrong check digit in every form, naming the AI and the rule", () => {
    const inputs = [
      "(01)09506000134353(21)X1",
      `]d20109506000134353${"21X1"}`,
      "https://id.gs1.org/01/09506000134353/21/X1",
    ];
    for (const input of inputs) {
      const err = thrown(() => parseScan(input));
      assert.equal(err.code, "InvalidGs1");
      assert.equal(err.status, 422);
      assert.deepEqual(err.details, { ai: "01", rule: "INCORRECT_CHECK_DIGIT", position: 13 });
    }
  });
});

describe("GS1 dates", () => {
  it("reads day 00 as the last day of the month", () => {
    assert.equal(gs1Date("250200", NOW), "2025-02-28");
    assert.equal(gs1Date("240200", NOW), "2024-02-29");
    assert.equal(gs1Date("261100", NOW), "2026-11-30");
    assert.equal(gs1Date("271200", NOW), "2027-12-31");
    assert.equal(gs1Date("270115", NOW), "2027-01-15");
    assert.equal(parseScan(`(01)${GTIN}(17)280200(21)S1`, { now: NOW }).expiry, "2028-02-29");
  });

  it("applies the GS1 century rule to two-digit years", () => {
    assert.equal(gs1Year(26, NOW), 2026);
    assert.equal(gs1Year(76, NOW), 2076); // 50 ahead: this century
    assert.equal(gs1Year(77, NOW), 1977); // 51 ahead: previous century
    assert.equal(gs1Year(0, new Date("2099-01-01T00:00:00Z")), 2100); // 99 behind: next century
  });

  it("takes the expiry from (7003) when (17) is absent", () => {
    assert.equal(parseScan(`(01)${GTIN}(21)S1(7003)2703311200`, { now: NOW }).expiry, "2027-03-31");
  });

  it("rejects impossible dates with the AI and the rule", () => {
    assert.deepEqual(thrown(() => parseScan(`(01)${GTIN}(17)271301(21)S1`)).details, {
      ai: "17",
      rule: "ILLEGAL_MONTH",
      position: 2,
    });
    assert.deepEqual(thrown(() => parseScan(`(01)${GTIN}(17)270230(21)S1`)).details, {
      ai: "17",
      rule: "ILLEGAL_DAY",
      position: 4,
    });
    assert.deepEqual(thrown(() => parseScan(`(01)${GTIN}(17)250229(21)S1`)).details, {
      ai: "17",
      rule: "ILLEGAL_DAY",
      position: 4,
    });
  });
});

describe("the canonical unit key", () => {
  const unitKey = `https://id.gs1.org/01/${GTIN}/21/ABC%2F12`;
  const forms: [string, string, ParseScanOptions?][] = [
    ["scan-data", `]d201${GTIN}17270131${"10LOT42"}${GS}21${SERIAL}`],
    ["scan-data", `]C101${GTIN}21${SERIAL}${GS}10LOT42`],
    ["scan-data", `]Q1https://id.gs1.org/01/${GTIN}/21/ABC%2F12`],
    ["element-string", `01${GTIN}21${SERIAL}`],
    ["element-string", `${GS}01${GTIN}10LOT42${GS}21${SERIAL}`],
    ["bracketed", `(01)${GTIN}(21)${SERIAL}(10)LOT42(17)270131`],
    ["bracketed", `(21)${SERIAL}(01)${GTIN}`],
    ["digital-link", `https://id.gs1.org/01/${GTIN}/10/LOT42/21/ABC%2F12?17=270131`],
    ["digital-link", `https://brand.example.com/some/path/01/${GTIN}/21/ABC%2f12`],
    ["digital-link", "https://brand.example.com/gtin/9506000134352/ser/ABC%2F12", DL_LEGACY_OPTIONS],
    ["epc-uri", "urn:epc:id:sgtin:9506000.013435.ABC%2F12"],
  ];

  it("is identical whichever form of the same pack was scanned", () => {
    for (const [form, input, options] of forms) {
      const scan = parseScan(input, { now: NOW, ...options });
      assert.equal(scan.form, form, input);
      assert.equal(scan.key, unitKey, input);
      assert.equal(scan.keyKind, "unit");
      assert.equal(scan.gtin, GTIN);
      assert.equal(scan.serial, SERIAL);
    }
  });

  it("gives the parsed values of a full pharma DataMatrix", () => {
    const scan = parseScan(`]d201${GTIN}17270100${"10LOT42"}${GS}21${SERIAL}`, { now: NOW });
    assert.deepEqual(
      {
        form: scan.form,
        aim: scan.aim,
        gtin: scan.gtin,
        lot: scan.lot,
        serial: scan.serial,
        expiry: scan.expiry,
        ais: scan.ais,
      },
      {
        form: "scan-data",
        aim: "]d2",
        gtin: GTIN,
        lot: "LOT42",
        serial: SERIAL,
        expiry: "2027-01-31",
        ais: { "01": GTIN, "17": "270100", "10": "LOT42", "21": SERIAL },
      },
    );
  });

  it("keys an SSCC, a lot and a product the same way in every form", () => {
    const cases: [string, string[], string][] = [
      [
        "logistic-unit",
        [
          "(00)106141412345678908",
          "]C100106141412345678908",
          "https://id.gs1.org/00/106141412345678908",
          "urn:epc:id:sscc:0614141.1234567890",
        ],
        "https://id.gs1.org/00/106141412345678908",
      ],
      [
        "lot",
        [
          `(01)${GTIN}(10)LOT/1`,
          `https://example.com/01/${GTIN}/10/LOT%2F1`,
          "urn:epc:class:lgtin:9506000.013435.LOT%2F1",
        ],
        `https://id.gs1.org/01/${GTIN}/10/LOT%2F1`,
      ],
      [
        "product",
        [
          `(01)${GTIN}`,
          "]E09506000134352",
          "9506000134352",
          GTIN,
          `https://id.gs1.org/01/${GTIN}`,
          "https://id.gs1.org/01/9506000134352",
          "urn:epc:idpat:sgtin:9506000.013435.*",
        ],
        `https://id.gs1.org/01/${GTIN}`,
      ],
    ];
    for (const [kind, inputs, key] of cases) {
      for (const input of inputs) {
        const scan = parseScan(input);
        assert.equal(scan.key, key, input);
        assert.equal(scan.keyKind, kind, input);
      }
    }
    assert.equal(parseScan("(00)106141412345678908").sscc, "106141412345678908");
    assert.equal(parseScan("9506000134352").form, "gtin");
    assert.equal(thrown(() => parseScan("9506000134353")).code, "InvalidGs1"); // not a GTIN: read as an element string
    assert.equal(
      thrown(() => parseScan("https://id.gs1.org/01/9506000134352", { permitZeroSuppressedGtin: false })).details?.rule,
      "VALUE_TOO_SHORT",
    );
  });

  it("keys other primary keys by their canonical Digital Link path", () => {
    assert.equal(parseScan("(414)0614141123452(254)400").key, "https://id.gs1.org/414/0614141123452/254/400");
    assert.equal(parseScan("urn:epc:id:sgln:0614141.12345.400").key, "https://id.gs1.org/414/0614141123452/254/400");
    assert.equal(parseScan("urn:epc:id:grai:0614141.12345.400").keyKind, "other");
  });
});

describe("EPC URIs", () => {
  it("reads the Tag Data Standard examples", () => {
    assert.deepEqual(parseEpcUri("urn:epc:id:sgtin:0614141.812345.6789").elements, [
      { ai: "01", value: "80614141123458" },
      { ai: "21", value: "6789" },
    ]);
    assert.deepEqual(parseEpcUri("urn:epc:id:sscc:0614141.1234567890").elements, [
      { ai: "00", value: "106141412345678908" },
    ]);
    assert.deepEqual(parseEpcUri("urn:epc:id:sgln:0614141.12345.400").elements, [
      { ai: "414", value: "0614141123452" },
      { ai: "254", value: "400" },
    ]);
    assert.deepEqual(parseEpcUri("urn:epc:id:sgln:0614141.12345.0").elements, [{ ai: "414", value: "0614141123452" }]);
    assert.deepEqual(parseEpcUri("urn:epc:class:lgtin:4012345.012345.998877").elements, [
      { ai: "01", value: "04012345123456" },
      { ai: "10", value: "998877" },
    ]);
    assert.equal(parseEpcUri("urn:epc:class:lgtin:4012345.012345.998877").kind, "class");
  });

  it("round-trips GTIN + serial, SSCC, GLN and lot through the URN given the company prefix length", () => {
    const urns: [string, number][] = [
      ["urn:epc:id:sgtin:9506000.013435.ABC%2F12", 7],
      ["urn:epc:id:sgtin:0614141.812345.6789", 7],
      ["urn:epc:id:sgtin:061414123.4567.1", 9],
      ["urn:epc:id:sscc:0614141.1234567890", 7],
      ["urn:epc:id:sgln:0614141.12345.400", 7],
      ["urn:epc:id:pgln:0614141.12345", 7],
      ["urn:epc:class:lgtin:4012345.012345.998877", 7],
      ["urn:epc:idpat:sgtin:4012345.012345.*", 7],
      ["urn:epc:id:grai:0614141.12345.400", 7],
      ["urn:epc:id:giai:0614141.12345400", 7],
      ["urn:epc:id:gdti:0614141.12345.400", 7],
      ["urn:epc:id:gsrn:0614141.1234567890", 7],
    ];
    for (const [urn, cpl] of urns) {
      const { elements, companyPrefixLength } = parseEpcUri(urn);
      assert.equal(companyPrefixLength, cpl);
      assert.equal(toEpcUri(elements, cpl), urn);
    }
    const gtinAndSerial = parseBracketed(`(01)${GTIN}(21)${SERIAL}`);
    assert.equal(toEpcUri(gtinAndSerial, 7), "urn:epc:id:sgtin:9506000.013435.ABC%2F12");
    assert.equal(toEpcUri(gtinAndSerial, 9), "urn:epc:id:sgtin:950600013.0435.ABC%2F12");
    assert.deepEqual(parseEpcUri(toEpcUri(gtinAndSerial, 9)).elements, gtinAndSerial);
  });

  it("reads every EPC URI and id.gs1.org identifier in the EPCIS fixtures", () => {
    const found = new Set<string>();
    for (const dir of ["epcis", "dscsa"]) {
      for (const f of readdirSync(join(FIXTURES, dir), { recursive: true, encoding: "utf8" })) {
        if (!/\.(json|jsonld|xml)$/.test(f)) continue;
        const text = readFileSync(join(FIXTURES, dir, f), "utf8");
        for (const m of text.matchAll(/urn:epc:(?:id|class|idpat):[a-z]+:[^"<'\s]+|https:\/\/id\.gs1\.org\/[^"<'\s]+/g))
          found.add(m[0]);
      }
    }
    const unique = [...found];
    assert.ok(unique.length > 100);
    for (const id of unique) assert.doesNotThrow(() => parseScan(id, { associations: false }), id);
  });

  it("refuses malformed URNs", () => {
    assert.equal(thrown(() => parseEpcUri("urn:epc:id:sgtin:0614141.81234.6789")).details?.rule, "EPC_PARTITION");
    assert.equal(thrown(() => parseEpcUri("urn:epc:id:sgtin:0614141.812345")).details?.rule, "EPC_FIELD_COUNT");
    assert.equal(
      thrown(() => parseEpcUri("urn:epc:id:sgtin:0614141.812345.A/B")).details?.rule,
      "EPC_ILLEGAL_CHARACTER",
    );
    assert.equal(thrown(() => parseEpcUri("urn:epc:id:usdod:1.2")).code, "InvalidBarcode");
    assert.equal(thrown(() => toEpcUri([{ ai: "01", value: GTIN }], 13)).details?.rule, "EPC_PARTITION");
  });
});

describe("GS1 errors", () => {
  it("says InvalidBarcode when the input is no GS1 form at all", () => {
    for (const input of [
      "",
      "hello",
      "]Q1hello",
      "]X9123",
      "https://example.com/about",
      "urn:isbn:123",
      "x".repeat(5000),
    ]) {
      assert.equal(thrown(() => parseScan(input)).code, "InvalidBarcode", input.slice(0, 20));
    }
  });

  it("names the AI and the rule for length, character set and association errors, never the scan", () => {
    const secret = "SECRET-SERIAL-0001";
    const cases: [string, Record<string, unknown>][] = [
      [`(01)${GTIN}(21)${secret}XXXXXXXX`, { ai: "21", rule: "VALUE_TOO_LONG" }],
      [`(01)${GTIN}(21)${secret.replace("-", " ")}`, { ai: "21", rule: "INVALID_CSET82_CHARACTER", position: 6 }],
      [`]d201${GTIN}21${secret}XXX${GS}10A`, { ai: "21", rule: "VALUE_TOO_LONG" }],
      [`(21)${secret}`, { ai: "21", rule: "REQUIRED_AI_MISSING", required: ["01", "03", "8006"] }],
      [`(01)${GTIN}(37)1`, { ai: "01", rule: "MUTUALLY_EXCLUSIVE_AIS", with: "37" }],
      [`(01)${GTIN}(21)${secret}(21)OTHER`, { ai: "21", rule: "REPEATED_AI_MISMATCH" }],
      ["(89)ABC", { ai: "89", rule: "UNKNOWN_AI", position: 1 }],
    ];
    for (const [input, details] of cases) {
      const err = thrown(() => parseScan(input));
      assert.equal(err.code, "InvalidGs1", input);
      assert.deepEqual(err.details, details, input);
      const shown = JSON.stringify(err.toJSON()) + err.message;
      assert.ok(
        !shown.includes(secret.slice(0, 10)) && !shown.includes(input),
        `error must not echo the scan: ${shown}`,
      );
    }
  });

  it("lets association checks be turned off, and then needs a key", () => {
    assert.equal(thrown(() => parseScan("(21)ABC", { associations: false })).details?.rule, "NO_PRIMARY_KEY");
    assert.doesNotThrow(() => validateAssociations(parseBracketed("(21)ABC"), { requisites: false }));
  });
});

describe("element strings and Digital Link", () => {
  it("round-trips raw, bracketed and scan-data forms", () => {
    const elements = parseBracketed(`(01)${GTIN}(17)270131(10)LOT\\(42\\((21)${SERIAL}`);
    assert.deepEqual(elements[2], { ai: "10", value: "LOT(42(" });
    assert.equal(toElementString(elements), `01${GTIN}1727013110LOT(42(${GS}21${SERIAL}`);
    assert.deepEqual(parseElementString(toElementString(elements)), elements);
    assert.deepEqual(parseBracketed(toBracketed(elements)), elements);
    assert.deepEqual(decodeScanData(toScanData(elements, "]d2")).elements, elements);
  });

  it("parses unknown AIs only when asked, using the predefined lengths", () => {
    assert.equal(thrown(() => parseBracketed("(89)ABC")).details?.rule, "UNKNOWN_AI");
    assert.deepEqual(parseBracketed("(89)ABC", { permitUnknownAis: true }), [{ ai: "89", value: "ABC" }]);
    // (419) is not allocated, but AIs 41x have three digits and 13-digit values: no GS needed before (10).
    assert.deepEqual(parseElementString(`01${GTIN}419061414112345210LOT`, { permitUnknownAis: true }), [
      { ai: "01", value: GTIN },
      { ai: "419", value: "0614141123452" },
      { ai: "10", value: "LOT" },
    ]);
  });

  it("generates the canonical Digital Link URI", () => {
    const elements = parseBracketed(`(01)${GTIN}(17)270131(10)LOT+1(21)${SERIAL}(3103)000525`);
    assert.equal(toDigitalLink(elements), `https://id.gs1.org/01/${GTIN}/10/LOT%2B1/21/ABC%2F12?17=270131&3103=000525`);
    assert.deepEqual(parseDigitalLink(toDigitalLink(elements)).elements, [
      elements[0],
      elements[2],
      elements[3],
      elements[1],
      elements[4],
    ]);
    assert.equal(parseDigitalLink("https://example.com/a/b/01/09506000134352").stem, "https://example.com/a/b");
  });

  it("refuses compressed Digital Link URIs explicitly", () => {
    assert.equal(
      thrown(() => parseDigitalLink("https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI")).details?.rule,
      "COMPRESSED_DL_UNSUPPORTED",
    );
  });

  it("reads decimal measures and amounts", () => {
    assert.deepEqual(decimalValue("3103", "000525"), { amount: "0.525" });
    assert.deepEqual(decimalValue("3932", "9714711"), { amount: "47.11", currency: "971" });
    assert.deepEqual(decimalValue("3100", "000525"), { amount: "525" });
    assert.equal(decimalValue("17", "270131"), undefined);
  });
});
