/**
 * CBV 2.0 EPCIS event hash: conformance with published vectors, and the
 * properties medchain relies on (deterministic; independent of key order,
 * list order, time zone and identifier form; distinct for distinct events).
 *
 * Published vectors: GS1's reference implementation of the algorithm,
 * RalphTro/epcis-event-hash-generator (MIT, © 2019-2021 Ralph Tröger,
 * Sebastian Schmittner), files `tests/examples/documents/*` with their
 * expected hashes in `tests/examples/expected/CBV2.0/*.hashes`. Two of its
 * documents are our shared fixtures verbatim (ObjectEvent_all_possible_fields,
 * epcisDocWithAllGS1Keys); the smaller ones are inlined below (the first three
 * are the worked examples of the algorithm's specification).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  canonicalDigitalLink,
  canonicalNumber,
  canonicalTimestamp,
  documentEventHashes,
  epcisEvents,
  eventHash,
  eventPreHash,
  hashNamespaces,
  readEpcisXml,
  validateEpcisDocument,
  type EpcisDocument,
  type EpcisEvent,
} from "../../src/supply/sdk/epcis/index.ts";
import { readFileSync } from "node:fs";
import { FIXTURES, readJson } from "../support/fixtures.ts";

const CTX = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
const ni = (hex: string): string => `ni:///sha-256;${hex}?ver=CBV2.0`;
const doc = (events: EpcisEvent[], context: Record<string, string>[] = []): EpcisDocument => ({
  "@context": [CTX, ...context],
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: "2022-02-17T11:30:47.0Z",
  epcisBody: { eventList: events },
});
const EXAMPLE = { example: "https://ns.example.com/epcis/" };

/** [name, document, expected hashes] from the reference implementation's CBV2.0 expectations. */
const VECTORS: readonly (readonly [string, () => EpcisDocument, readonly string[]])[] = [
  [
    "ObjectEvent_all_possible_fields (shared fixture)",
    () => readJson(join(FIXTURES, "epcis/openepcis/ObjectEvent_all_possible_fields.json")) as EpcisDocument,
    ["9811bfb2672e9c3a0f6151be339d22b60db375c8b23d2740f6137cc6539f0639"],
  ],
  [
    "epcisDocWithAllGS1Keys (shared fixture)",
    () => readJson(join(FIXTURES, "epcis/openepcis/epcisDocWithAllGS1Keys.json")) as EpcisDocument,
    ["40744f32beff53a4bf5bb5956d465cb52de5bbcc9f131409d8efb903b04d9351"],
  ],
  [
    "ReferenceEventHashAlgorithm (user extensions)",
    () =>
      doc(
        [
          {
            type: "ObjectEvent",
            eventTime: "2020-03-04T11:00:30.000+01:00",
            eventTimeZoneOffset: "+01:00",
            recordTime: "2020-03-04T11:00:30.999+01:00",
            epcList: [
              "urn:epc:id:sscc:4012345.0000000333",
              "urn:epc:id:sscc:4012345.0000000111",
              "urn:epc:id:sscc:4012345.0000000222",
            ],
            action: "OBSERVE",
            bizStep: "departing",
            readPoint: { id: "urn:epc:id:sgln:4012345.00011.987" },
            "example:myField1": { "example:mySubField1": "2", "example:mySubField2": "5" },
            "example:myField2": "0",
            "example:myField3": { "example:mySubField3": ["3", "1"] },
          },
        ],
        [EXAMPLE],
      ),
    ["6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7"],
  ],
  [
    "ReferenceEventHashAlgorithm2 (sensor reports)",
    () =>
      doc([
        {
          type: "ObjectEvent",
          eventTime: "2020-04-01T15:00:00+01:00",
          eventTimeZoneOffset: "+01:00",
          epcList: ["urn:epc:id:sgtin:4012345.011111.9876"],
          action: "OBSERVE",
          bizStep: "inspecting",
          readPoint: { id: "urn:epc:id:sgln:4012345.00005.0" },
          sensorElementList: [
            {
              sensorMetadata: {
                deviceID: "urn:epc:id:giai:4000001.111",
                deviceMetadata: "https://id.gs1.org/8004/4000001111",
              },
              sensorReport: [
                { type: "Temperature", value: 26, sDev: 0.1, uom: "CEL" },
                { type: "AbsoluteHumidity", value: 12.1, uom: "A93" },
                {
                  type: "Dimensionless",
                  microorganism: "https://www.ncbi.nlm.nih.gov/taxonomy/1126011",
                  value: 0.05,
                  uom: "C35",
                },
                {
                  type: "Dimensionless",
                  chemicalSubstance: "https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N",
                  value: 0.18,
                  uom: "C35",
                },
              ],
            },
          ],
        },
      ]),
    ["271565c346ae2fb28c4583c4dca4ab4772d465eb4e0b6e548d77d8b49377d95c"],
  ],
  [
    "ReferenceEventHashAlgorithm3 (transactions, sources, extension in readPoint)",
    () =>
      doc(
        [
          {
            type: "ObjectEvent",
            eventTime: "2020-03-04T11:00:30+01:00",
            eventTimeZoneOffset: "+01:00",
            epcList: ["urn:epc:id:sgtin:0614141.011111.987"],
            action: "OBSERVE",
            bizStep: "departing",
            disposition: "in_transit",
            readPoint: { id: "urn:epc:id:sgln:4012345.00011.0", "example:myField1": "AB-12" },
            bizTransactionList: [{ type: "po", bizTransaction: "urn:epc:id:gdti:4012345.11111.123" }],
            sourceList: [{ type: "owning_party", source: "urn:epc:id:pgln:4012345.00000" }],
            destinationList: [{ type: "owning_party", destination: "urn:epc:id:pgln:0614141.00000" }],
            "example:userExt": "CD-34",
          },
        ],
        [EXAMPLE],
      ),
    ["3ae14c02c4bdc220cc31942cf804f6845eb8dec96ba6483391c92a9b165f9329"],
  ],
  [
    "TimeStampRoundOff (ms rounding, custom Digital Link domain)",
    () =>
      doc([
        {
          type: "ObjectEvent",
          eventTime: "2023-02-02T11:04:03.1415Z",
          eventTimeZoneOffset: "+01:00",
          epcList: ["https://id.gs1.de/00/040123451111111110"],
          action: "OBSERVE",
          bizStep: "shipping",
          disposition: "in_transit",
          readPoint: { id: "https://id.gs1.de/414/4012345000115" },
        },
        {
          type: "ObjectEvent",
          eventTime: "2023-02-02T11:04:03.1414Z",
          eventTimeZoneOffset: "+01:00",
          epcList: ["https://id.gs1.de/00/040123451111111110"],
          action: "OBSERVE",
          bizStep: "transporting",
          readPoint: { id: "geo:50.947573340894124,6.922120147375441" },
        },
        {
          type: "ObjectEvent",
          eventTime: "2023-02-12T11:04:03.1415Z",
          eventTimeZoneOffset: "+01:00",
          certificationInfo: "https://accreditation-council.example.org/certificate/ABC12345",
          epcList: ["https://id.gs1.de/01/04012345999990/21/XYZ-1234"],
          action: "OBSERVE",
          bizStep: "receiving",
          disposition: "in_progress",
          readPoint: { id: "https://id.gs1.de/414/4012345000115" },
          sensorElementList: [
            {
              sensorMetadata: {
                time: "2023-02-12T11:04:03.1007Z",
                bizRules: "https://id.example.com/253/4012345000054987",
              },
              sensorReport: [
                {
                  type: "Dimensionless",
                  exception: "ALARM_CONDITION",
                  coordinateReferenceSystem: "http://www.opengis.net/def/crs/EPSG/0/27700",
                },
              ],
            },
          ],
        },
      ]),
    [
      "af7658e711574363633f20b3dadc7bc4c13c6f612cf96d95e03c421c0e58f3c6",
      "0550df44527332c1fe417c5837fe61b9e71eaa93307b88519dac549bf2d4dcf9",
      "bf052637920f56c28bd6bc4ce10bb296203fcddc543f1e293d5a77b07592dcec",
    ],
  ],
  [
    "epcisDocWithSensorComponent (CURIE values)",
    () =>
      doc(
        [
          {
            type: "ObjectEvent",
            eventTime: "2022-04-07T10:00:00.000Z",
            eventTimeZoneOffset: "+01:00",
            epcList: ["https://id.example.com/8003/040123450007718765"],
            action: "OBSERVE",
            bizStep: "sensor_reporting",
            readPoint: { id: "https://id.example.com/414/4012345000054" },
            sensorElementList: [
              {
                sensorReport: [
                  {
                    type: "gs1:Angle",
                    value: 42.698334,
                    component: "cbv:Comp-latitude",
                    uom: "DD",
                    coordinateReferenceSystem: "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                  },
                  {
                    type: "gs1:Angle",
                    value: 23.319941,
                    component: "cbv:Comp-longitude",
                    uom: "DD",
                    coordinateReferenceSystem: "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                  },
                ],
              },
            ],
          },
        ],
        [{ cbv: "https://ref.gs1.org/cbv/" }],
      ),
    ["14faa21345eb49fa31e5578aed52a2c291b7dc8ded0d53c88135955173ea91fc"],
  ],
  [
    "epcisDocWithXMLstartTagAndErrorDeclaration (TransformationEvent, errorDeclaration not hashed)",
    () =>
      doc(
        [
          {
            type: "TransformationEvent",
            eventTime: "2020-01-14T00:00:00.000+01:00",
            eventTimeZoneOffset: "+01:00",
            eventID: "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
            inputEPCList: ["urn:epc:id:sgtin:4012345.011111.987"],
            outputEPCList: ["urn:epc:id:sgtin:4012345.033333.AGHFG"],
            inputQuantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.022222.87545GHGH" }],
            outputQuantityList: [{ epcClass: "urn:epc:idpat:sgtin:4012345.044444.*", quantity: 452.0, uom: "KGM" }],
            bizStep: "commissioning",
            readPoint: { id: "urn:epc:id:sgln:4012345.00000.0" },
            errorDeclaration: {
              declarationTime: "2020-01-15T00:00:00.000+01:00",
              reason: "incorrect_data",
              "example:vendorExtension": "Test1",
            },
          },
        ],
        [EXAMPLE],
      ),
    ["e16ce101f3d7383612e00b74419b2d88f12baa6a124b0e390252d396687d5cf7"],
  ],
];

describe("CBV 2.0 event hash: published vectors", () => {
  for (const [name, make, expected] of VECTORS) {
    it(`matches ${name}`, () => {
      const d = make();
      validateEpcisDocument(d); // every vector is also a valid capture document
      assert.deepEqual(documentEventHashes(d), expected.map(ni));
    });
  }

  it("matches the specification's pre-hash string of the first worked example", () => {
    const d = (VECTORS[2] as (typeof VECTORS)[number])[1]();
    assert.equal(
      eventPreHash(epcisEvents(d)[0] as EpcisEvent, hashNamespaces(d["@context"])),
      "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00" +
        "epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/040123450000002225epc=h" +
        "ttps://id.gs1.org/00/040123450000003338" +
        "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/40" +
        "12345000115/254/987" +
        "{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2{https://ns.examp" +
        "le.com/epcis/}mySubField2=5" +
        "{https://ns.example.com/epcis/}myField2=0{https://ns.example.com/epcis/}myField3{https://ns.example." +
        "com/epcis/}mySubField3=1{https://ns.example.com/epcis/}mySubField3=3",
    );
  });
});

/** Reverses the key order of every object (deeply). */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reorder(x)]),
    );
  return v;
}

describe("CBV 2.0 event hash: properties", () => {
  const allValid: EpcisDocument[] = [];
  for (const dir of ["gs1-standard-examples", "openepcis"]) {
    for (const f of readdirSync(join(FIXTURES, "epcis", dir)).filter(
      (x) => /\.json(ld)?$/.test(x) && x !== "SensorData_with_combined_events.json",
    )) {
      allValid.push(readJson(join(FIXTURES, "epcis", dir, f)) as EpcisDocument);
    }
  }

  it("is deterministic and independent of key order (every valid fixture)", () => {
    let n = 0;
    for (const d of allValid) {
      const h = documentEventHashes(d);
      assert.deepEqual(documentEventHashes(d), h);
      assert.deepEqual(documentEventHashes(reorder(d) as EpcisDocument), h);
      for (const x of h) assert.match(x, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      n += h.length;
    }
    assert.ok(n >= 30, `${n} events hashed`);
  });

  it("is independent of list order, time zone, CBV form and identifier form", () => {
    const a = {
      type: "ObjectEvent",
      eventTime: "2023-04-01T07:48:16.5Z",
      eventTimeZoneOffset: "-05:00",
      epcList: ["urn:epc:id:sscc:030001.41234567890", "urn:epc:id:sgtin:030001.0012345.11"],
      action: "OBSERVE",
      bizStep: "shipping",
      disposition: "in_transit",
      readPoint: { id: "urn:epc:id:sgln:030001.111121.0" },
      bizTransactionList: [
        { type: "po", bizTransaction: "urn:epcglobal:cbv:bt:0399999999991:XYZPO189" },
        { type: "desadv", bizTransaction: "urn:epcglobal:cbv:bt:0300011111215:DEL100" },
      ],
      quantityList: [{ epcClass: "urn:epc:class:lgtin:030001.0012345.A123", quantity: 2.5, uom: "KGM" }],
    };
    const b = {
      type: "ObjectEvent",
      eventTime: "2023-04-01T02:48:16.500-05:00",
      eventTimeZoneOffset: "-05:00",
      epcList: [
        "https://example.com/01/00300010123455/21/11?linkType=all",
        "https://id.gs1.org/sscc/403000112345678901",
      ],
      action: "OBSERVE",
      bizStep: "https://ref.gs1.org/cbv/BizStep-shipping",
      disposition: "https://ref.gs1.org/cbv/Disp-in_transit",
      readPoint: { id: "https://id.gs1.org/414/0300011111215" },
      bizTransactionList: [
        { type: "https://ref.gs1.org/cbv/BTT-desadv", bizTransaction: "urn:epcglobal:cbv:bt:0300011111215:DEL100" },
        { type: "urn:epcglobal:cbv:btt:po", bizTransaction: "urn:epcglobal:cbv:bt:0399999999991:XYZPO189" },
      ],
      quantityList: [{ epcClass: "https://id.gs1.org/01/00300010123455/10/A123", quantity: 2.5, uom: "KGM" }],
    };
    assert.equal(eventPreHash(b), eventPreHash(a));
    assert.equal(eventHash(b), eventHash(a));
    // recordTime, eventID, errorDeclaration are not part of the event's identity
    assert.equal(eventHash({ ...a, recordTime: "2024-01-01T00:00:00Z", eventID: "urn:uuid:1" }), eventHash(a));
  });

  it("hashes an EPCIS 2.0 XML document and its JSON-LD twin the same (openepcis ObjectEvent.xml vs .json)", () => {
    const fromXml = readEpcisXml(readFileSync(join(FIXTURES, "epcis/openepcis/ObjectEvent.xml"), "utf8"));
    const fromJson = readJson(join(FIXTURES, "epcis/openepcis/ObjectEvent.json")) as EpcisDocument;
    assert.deepEqual(documentEventHashes(fromXml), documentEventHashes(fromJson));
  });

  it("is distinct for distinct events", () => {
    const base = {
      type: "ObjectEvent",
      eventTime: "2023-04-01T07:48:16Z",
      eventTimeZoneOffset: "-05:00",
      epcList: ["urn:epc:id:sgtin:030001.0012345.11"],
      action: "OBSERVE",
      bizStep: "shipping",
    };
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, eventTime: "2023-04-01T07:48:16.001Z" },
      { ...base, eventTimeZoneOffset: "-04:00" },
      { ...base, epcList: ["urn:epc:id:sgtin:030001.0012345.12"] },
      { ...base, epcList: ["urn:epc:id:sgtin:030001.0012345.11", "urn:epc:id:sgtin:030001.0012345.12"] },
      { ...base, action: "ADD" },
      { ...base, bizStep: "receiving" },
      { ...base, disposition: "in_transit" },
      { ...base, type: "TransactionEvent" },
      { ...base, readPoint: { id: "urn:epc:id:sgln:030001.111121.0" } },
      { ...base, ilmd: { "cbvmda:lotNumber": "A123" } },
      { ...base, ilmd: { "cbvmda:lotNumber": "A124" } },
      { ...base, "ex:note": "x" },
    ];
    const hashes = variants.map((v) => eventHash(v, hashNamespaces([CTX, { ex: "https://example.org/" }])));
    assert.equal(new Set(hashes).size, variants.length);
    // Across the fixtures, two events share a hash only when they are the same event
    // (GS1's examples are repeated in the openepcis set; an error declaration re-states its event;
    // the rail example writes one boolean as JSON true in one copy and "true" in the other).
    const sameEvent = (e: EpcisEvent): string => {
      const drop = new Set(["eventID", "recordTime", "errorDeclaration", "certificationInfo"]);
      const norm = (v: unknown): unknown =>
        Array.isArray(v)
          ? v.map(norm)
          : typeof v === "object" && v !== null
            ? Object.fromEntries(
                Object.entries(v)
                  .filter(([k]) => !drop.has(k))
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([k, x]) => [k, norm(x)]),
              )
            : String(v); // values are text in the algorithm (XML has no JSON types): true ≡ "true"
      return JSON.stringify(norm({ ...e, eventTime: canonicalTimestamp(e.eventTime) }));
    };
    const byHash = new Map<string, Set<string>>();
    for (const d of allValid) {
      const hs = documentEventHashes(d);
      epcisEvents(d).forEach((e, i) =>
        byHash.set(hs[i] as string, (byHash.get(hs[i] as string) ?? new Set()).add(sameEvent(e))),
      );
    }
    for (const [h, events] of byHash) assert.equal(events.size, 1, `${h} is shared by different events`);
  });
});

describe("event hash building blocks", () => {
  it("canonical timestamps: UTC, milliseconds, half-up rounding with carry", () => {
    assert.equal(canonicalTimestamp("2020-03-04T11:00:30+01:00"), "2020-03-04T10:00:30.000Z");
    assert.equal(canonicalTimestamp("2023-02-02T11:04:03.1415Z"), "2023-02-02T11:04:03.142Z");
    assert.equal(canonicalTimestamp("2023-02-02T11:04:03.1414Z"), "2023-02-02T11:04:03.141Z");
    assert.equal(canonicalTimestamp("2023-12-31T23:59:59.9996Z"), "2024-01-01T00:00:00.000Z");
    assert.equal(canonicalTimestamp("not a time"), "not a time");
  });

  it("canonical numbers: no trailing zeros, integral values as integers", () => {
    for (const [input, out] of [
      ["200", "200"],
      ["452.0", "452"],
      ["200.50", "200.5"],
      ["+5", "5"],
      ["0.000015", "0.000015"],
      ["1.5e-7", "0.00000015"],
      ["007", "7"],
      ["-0.10", "-0.1"],
      ["1E+3", "1E+3"],
    ]) {
      assert.equal(canonicalNumber(input as string), out, input);
    }
    assert.equal(canonicalNumber("12a"), undefined);
    assert.equal(canonicalNumber("+01:00"), undefined);
  });

  it("canonical Digital Links from EPC URIs, class and pattern URIs, and Digital Links on other domains", () => {
    const cases: Record<string, string> = {
      "urn:epc:id:sgtin:030001.0012345.11": "https://id.gs1.org/01/00300010123455/21/11",
      "urn:epc:id:sscc:030001.41234567890": "https://id.gs1.org/00/403000112345678901",
      "urn:epc:id:sgln:030001.111111.0": "https://id.gs1.org/414/0300011111116",
      "urn:epc:class:lgtin:4012345.012345.998877": "https://id.gs1.org/01/04012345123456/10/998877",
      "urn:epc:idpat:sgtin:4012345.098765.*": "https://id.gs1.org/01/04012345987652",
      "https://brand.example.com/gtin/00300010123455/lot/A1/ser/11?x=1": "https://id.gs1.org/01/00300010123455/21/11",
      "https://id.gs1.org/01/300010123455/21/11": "https://id.gs1.org/01/00300010123455/21/11",
    };
    for (const [input, out] of Object.entries(cases)) assert.equal(canonicalDigitalLink(input), out, input);
    assert.equal(canonicalDigitalLink("urn:epcglobal:cbv:bt:0399999999991:XYZPO189"), undefined);
    assert.equal(canonicalDigitalLink("https://example.com/no/gs1/key"), undefined);
  });
});
