/**
 * EPCIS capture validation against the shared fixtures (SOURCES.md §3–4):
 * every valid GS1 / openepcis document is accepted except the one written for
 * a later schema version, every document of `epcis/invalid/` is refused with
 * its exact reason (the five that pass the JSON schema by the CBV/namespace
 * rules), a refused document changes nothing, and the GS1 US DSCSA example
 * (EPCIS 1.2 XML) replays: 12 units in 3 cases on 1 pallet, and shipping the
 * pallet moves all 12.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MedchainError } from "../../src/kernel/errors.ts";
import {
  captureEpcis,
  containmentKey,
  ContainmentModel,
  epcisEvents,
  epcisXmlToJson,
  parseEpcis,
  readEpcisXml,
  validateEpcisDocument,
} from "../../src/supply/sdk/epcis/index.ts";
import { FIXTURES, readJson } from "../support/fixtures.ts";

const EPCIS = join(FIXTURES, "epcis");
const DSCSA_XML = join(FIXTURES, "dscsa", "GS1_US_Pharma_Example_2_2_1_1.xml");

const tally = { accepted: 0, refused: 0 };
const outcomes: string[] = [];

function refusal(fn: () => unknown): MedchainError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof MedchainError, `expected a MedchainError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the document to be refused");
}

function jsonFiles(dir: string): string[] {
  return readdirSync(join(EPCIS, dir))
    .filter((f) => f.endsWith(".json") || f.endsWith(".jsonld"))
    .sort();
}

/** The one valid-looking fixture this schema version refuses (sensorReport without `type`). */
const SCHEMA_DRIFT = "SensorData_with_combined_events.json";

describe("valid EPCIS 2.0 documents (gs1-standard-examples, openepcis)", () => {
  for (const dir of ["gs1-standard-examples", "openepcis"]) {
    for (const file of jsonFiles(dir).filter((f) => f !== SCHEMA_DRIFT)) {
      it(`accepts ${dir}/${file}`, () => {
        const doc = validateEpcisDocument(readJson(join(EPCIS, dir, file)));
        assert.ok(epcisEvents(doc).length > 0);
        tally.accepted++;
        outcomes.push(`accepted  ${dir}/${file} (${epcisEvents(doc).length} events)`);
      });
    }
  }

  it(`refuses openepcis/${SCHEMA_DRIFT} with the schema error (sensorReport without type)`, () => {
    const err = refusal(() => validateEpcisDocument(readJson(join(EPCIS, "openepcis", SCHEMA_DRIFT))));
    assert.equal(err.code, "InvalidEpcis");
    assert.deepEqual(
      { ...err.details, count: undefined },
      {
        event: 8,
        path: "/epcisBody/eventList/8/sensorElementList/0/sensorReport/0/type",
        rule: "schema:required",
        count: undefined,
      },
    );
    assert.equal(err.details?.count, 2); // both sensor reports of that element lack a type
    tally.refused++;
    outcomes.push(`refused   openepcis/${SCHEMA_DRIFT}: ${String(err.details?.rule)} at ${String(err.details?.path)}`);
  });

  it("reads the EPCIS 2.0 XML example (openepcis/ObjectEvent.xml) as its JSON twin", () => {
    const fromXml = readEpcisXml(readFileSync(join(EPCIS, "openepcis", "ObjectEvent.xml"), "utf8"));
    const fromJson = validateEpcisDocument(readJson(join(EPCIS, "openepcis", "ObjectEvent.json")));
    const xmlEvents = epcisEvents(fromXml);
    assert.equal(xmlEvents.length, 2);
    const jsonEvents = epcisEvents(fromJson);
    for (const [i, e] of xmlEvents.entries()) {
      const twin = jsonEvents[i];
      assert.ok(twin !== undefined);
      // (eventTime is written with microseconds in the JSON twin; the hash tests compare the events as a whole)
      for (const key of [
        "eventTimeZoneOffset",
        "eventID",
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
      ]) {
        assert.deepEqual(e[key], twin[key], `${key} of event ${i}`);
      }
    }
    assert.equal(xmlEvents[1]?.["example:myField"], "Example of a vendor/user extension");
    tally.accepted++;
    outcomes.push("accepted  openepcis/ObjectEvent.xml (2 events, EPCIS 2.0 XML)");
  });
});

/** Every document of epcis/invalid/ with its exact reason: [file, event, path, rule]. */
const INVALID: readonly (readonly [string, number | null, string, string])[] = [
  ["Combination_of_events_with_missing_mandatory_fields.json", 0, "/epcisBody/eventList/0/action", "schema:required"],
  ["Combination_of_multiple_invalid_fields.json", 4, "/epcisBody/eventList/4/eventTime", "schema:format"],
  ["Combination_of_non_standard_bizStep_and_disposition.json", 0, "/epcisBody/eventList/0/bizStep", "cbv:bizStep"],
  ["EPCISDocument_without_context.json", null, "/@context", "schema:required"],
  [
    "ObjectEvent_with_ilmd_field_without_namespace.json",
    0,
    "/epcisBody/eventList/0/ilmd/materialType",
    "namespace:ilmd",
  ],
  ["ObjectEvent_with_invalid_action.json", 0, "/epcisBody/eventList/0/action", "schema:enum"],
  ["ObjectEvent_with_invalid_certificationInfo.json", 0, "/epcisBody/eventList/0/certificationInfo/0", "schema:type"],
  ["ObjectEvent_with_invalid_eventTime_format.json", 0, "/epcisBody/eventList/0/eventTime", "schema:format"],
  ["ObjectEvent_with_non_standard_bizStep.json", 0, "/epcisBody/eventList/0/bizStep", "cbv:bizStep"],
  ["ObjectEvent_with_non_standard_bizStep_in_second_event.json", 1, "/epcisBody/eventList/1/bizStep", "cbv:bizStep"],
  ["ObjectEvent_with_non_standard_disposition.json", 0, "/epcisBody/eventList/0/disposition", "cbv:disposition"],
  ["ObjectEvent_with_quantity_as_text.json", 0, "/epcisBody/eventList/0/quantityList/0/quantity", "schema:type"],
  [
    "ObjectEvent_with_unknown_field_in_quantityList.json",
    0,
    "/epcisBody/eventList/0/quantityList/0/weight",
    "schema:additionalProperties",
  ],
  ["ObjectEvent_without_action_and_eventTime.json", 0, "/epcisBody/eventList/0/eventTime", "schema:required"],
  ["ObjectEvent_without_identifier_list.json", 0, "/epcisBody/eventList/0/epcList", "schema:required"],
];

describe("invalid EPCIS documents (epcis/invalid/)", () => {
  it("the table covers all 15 files", () => {
    assert.deepEqual(INVALID.map(([f]) => f).sort(), jsonFiles("invalid"));
    assert.equal(INVALID.length, 15);
  });

  for (const [file, event, path, rule] of INVALID) {
    it(`refuses ${file}: ${rule} at ${path}`, () => {
      const raw = readFileSync(join(EPCIS, "invalid", file), "utf8");
      const err = refusal(() => validateEpcisDocument(JSON.parse(raw) as unknown));
      assert.equal(err.code, "InvalidEpcis");
      assert.equal(err.status, 422);
      assert.deepEqual(
        { event: err.details?.event, path: err.details?.path, rule: err.details?.rule },
        { event, path, rule },
      );
      assert.ok(typeof err.details?.count === "number" && err.details.count >= 1);
      // never echo values: no string value of the document appears in the message or details
      const values = new Set<string>();
      JSON.parse(raw, (_k, v: unknown) => (typeof v === "string" && v.length > 3 && values.add(v), v));
      const shown = `${err.shortMessage} ${JSON.stringify(err.details)}`;
      for (const v of values) assert.ok(!shown.includes(v), `refusal of ${file} echoes a value`);
      tally.refused++;
      outcomes.push(`refused   invalid/${file}: ${rule} at ${path} (${String(err.details?.count)} problem(s))`);
    });
  }

  it("the five documents that pass the JSON schema are caught by the CBV / namespace rules", () => {
    const semantic = INVALID.filter(([, , , rule]) => !rule.startsWith("schema:")).map(([f]) => f);
    assert.equal(semantic.length, 5);
    for (const f of semantic) {
      const doc = readJson(join(EPCIS, "invalid", f)) as { epcisBody: { eventList: Record<string, unknown>[] } };
      // Made CBV-clean, the same document is accepted: only the vocabulary/namespace rule refused it.
      for (const e of doc.epcisBody.eventList) {
        if (e.bizStep === "transforming") e.bizStep = "commissioning";
        if (e.disposition === "in_transport") e.disposition = "in_transit";
        const ilmd = e.ilmd as Record<string, unknown> | undefined;
        if (ilmd?.materialType !== undefined) e.ilmd = { "cbvmda:materialType": ilmd.materialType };
      }
      assert.doesNotThrow(() => validateEpcisDocument(doc), f);
    }
  });
});

describe("CBV vocabulary rules", () => {
  const base = (event: Record<string, unknown>, context: unknown[] = []): Record<string, unknown> => ({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", ...context],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2024-01-01T00:00:00Z",
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          eventTime: "2024-01-01T00:00:00Z",
          eventTimeZoneOffset: "+00:00",
          epcList: ["urn:epc:id:sgtin:030001.0012345.11"],
          action: "OBSERVE",
          ...event,
        },
      ],
    },
  });

  it("accepts the standard values in bare, Web URI and URN-free forms, and declared user vocabulary", () => {
    for (const bizStep of [
      "shipping",
      "https://ref.gs1.org/cbv/BizStep-shipping",
      "https://example.org/voc/my_step",
      "ex:my_step",
    ]) {
      assert.doesNotThrow(
        () => validateEpcisDocument(base({ bizStep }, [{ ex: "https://example.org/voc/" }])),
        bizStep,
      );
    }
    assert.doesNotThrow(() => validateEpcisDocument(base({ disposition: "https://ref.gs1.org/cbv/Disp-recalled" })));
  });

  it("refuses unknown terms, CBV-namespace impostors and undeclared prefixes", () => {
    for (const [bizStep, rule] of [
      ["transforming", "cbv:bizStep"],
      ["https://ref.gs1.org/cbv/BizStep-transforming", "cbv:bizStep"],
      ["cbv:BizStep-transforming", "cbv:bizStep"],
      ["undeclared:my_step", "cbv:bizStep"],
    ] as const) {
      const err = refusal(() => validateEpcisDocument(base({ bizStep })));
      assert.equal(err.details?.rule, rule, bizStep);
    }
    const urn = refusal(() => validateEpcisDocument(base({ bizStep: "urn:epcglobal:cbv:bizstep:shipping" })));
    assert.equal(
      urn.details?.rule,
      "schema:pattern",
      "JSON-LD must not carry the EPCIS 1.x URN form (the schema forbids it)",
    );
  });

  it(
    "checks business transaction / source / destination " + "types, extension namespaces and parentID of aggregations",
    () => {
      const btt = refusal(() =>
        validateEpcisDocument(
          base({
            bizTransactionList: [{ type: "purchase_order", bizTransaction: "urn:epcglobal:cbv:bt:0614141073467:1" }],
          }),
        ),
      );
      assert.deepEqual(
        [btt.details?.rule, btt.details?.path],
        ["cbv:bizTransactionType", "/epcisBody/eventList/0/bizTransactionList/0/type"],
      );
      const ext = refusal(() =>
        validateEpcisDocument(base({ readPoint: { id: "urn:epc:id:sgln:030001.111111.0", room: "B12" } })),
      );
      assert.deepEqual(
        [ext.details?.rule, ext.details?.path],
        ["namespace:extension", "/epcisBody/eventList/0/readPoint/room"],
      );
      const agg = base({});
      (agg.epcisBody as { eventList: Record<string, unknown>[] }).eventList = [
        {
          type: "AggregationEvent",
          eventTime: "2024-01-01T00:00:00Z",
          eventTimeZoneOffset: "+00:00",
          childEPCs: ["urn:epc:id:sgtin:030001.0012345.11"],
          action: "ADD",
        },
      ];
      assert.equal(refusal(() => validateEpcisDocument(agg)).details?.rule, "epcis:parentID");
    },
  );

  it("takes prefixes of remote contexts only when told them (GS1 Egypt healthcare extension)", () => {
    const egypt = readJson(join(FIXTURES, "dscsa", "2. GS1_Eg_EPCIS_Document.json"));
    assert.equal(refusal(() => validateEpcisDocument(egypt)).details?.rule, "namespace:extension");
    const hc = readJson(join(FIXTURES, "dscsa", "hc-context.jsonld")) as { "@context": Record<string, unknown> };
    const prefixes = { gs1egypthc: String(hc["@context"].gs1egypthc) };
    const doc = validateEpcisDocument(egypt, {
      knownContexts: { "https://ref.gs1eg.org/extensions/epcis/hc/2.0.0/hc-context.jsonld": prefixes },
    });
    assert.equal(epcisEvents(doc).length, 1);
  });

  it("refuses what it does not take with UnsupportedEpcis", () => {
    assert.equal(refusal(() => parseEpcis("<foo/>")).code, "UnsupportedEpcis");
    assert.equal(
      refusal(() => parseEpcis('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')).code,
      "UnsupportedEpcis",
    );
    assert.equal(refusal(() => parseEpcis("{not json")).code, "InvalidEpcis");
    const bare = {
      "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      type: "ObjectEvent",
      eventTime: "2024-01-01T00:00:00Z",
      eventTimeZoneOffset: "+00:00",
      epcList: [],
      action: "OBSERVE",
    };
    assert.equal(refusal(() => validateEpcisDocument(bare)).code, "UnsupportedEpcis");
  });
});

describe("DSCSA example (GS1 US guideline 2.2.1.1, EPCIS 1.2 XML)", () => {
  const xml = readFileSync(DSCSA_XML, "utf8");
  const units = Array.from({ length: 12 }, (_, i) => `urn:epc:id:sgtin:030001.0012345.${11 + i}`);
  const cases = ["110", "111", "121"].map((s) => `urn:epc:id:sgtin:030001.1012345.${s}`);
  const pallet = "urn:epc:id:sscc:030001.41234567890";

  it("reads into a valid EPCIS 2.0 document: 8 events, header, master data, ILMD, business transactions", () => {
    const doc = readEpcisXml(xml);
    const events = epcisEvents(doc);
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.action}:${String(e.bizStep)}`),
      [
        "ObjectEvent:ADD:commissioning",
        "ObjectEvent:ADD:commissioning",
        "AggregationEvent:ADD:packing",
        "AggregationEvent:ADD:packing",
        "AggregationEvent:ADD:packing",
        "ObjectEvent:ADD:commissioning",
        "AggregationEvent:ADD:packing",
        "ObjectEvent:OBSERVE:shipping",
      ],
    );
    assert.deepEqual(events[0]?.ilmd, { "cbvmda:lotNumber": "A123", "cbvmda:itemExpirationDate": "2025-03-27" });
    const ship = events[7];
    assert.deepEqual(
      ship?.bizTransactionList?.map((b) => b.type),
      ["po", "desadv"],
    );
    assert.deepEqual(
      ship?.sourceList?.map((s) => s.type),
      ["owning_party", "location"],
    );
    assert.equal(ship?.["gs1ushc:dropShipment"], "false");
    assert.deepEqual(doc["@context"], [
      "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      { gs1ushc: "http://epcis.gs1us.org/hc/ns" },
    ]);
    assert.equal(doc.sender, "urn:epc:id:sgln:030001.111111.0");
    const header = doc.epcisHeader as Record<string, unknown>;
    assert.deepEqual(Object.keys(header).sort(), [
      "epcisMasterData",
      "gs1ushc:dscsaTransactionStatement",
      "gs1ushc:guidelineVersion",
    ]);
    const md = JSON.stringify(header.epcisMasterData);
    assert.ok(md.includes("US_FDA_NDC") && md.includes("Epcistra"));
    tally.accepted++;
    outcomes.push("accepted  dscsa/GS1_US_Pharma_Example_2_2_1_1.xml (8 events, EPCIS 1.2 XML)");
  });

  it("replays: 12 units in 3 cases on 1 pallet; shipping the pallet moves all 12", () => {
    const { model, moves, hashes } = captureEpcis(xml);
    assert.deepEqual(model.childrenOf(pallet), cases.map(containmentKey));
    for (const [i, c] of cases.entries())
      assert.deepEqual(model.childrenOf(c), units.slice(4 * i, 4 * i + 4).map(containmentKey));
    assert.deepEqual(model.unitsIn(pallet).sort(), units.map(containmentKey).sort());
    assert.equal(model.contentsOf(pallet).length, 15);
    assert.equal(model.outermostOf(units[5] as string), containmentKey(pallet));
    const shipping = moves[7];
    assert.ok(shipping !== undefined);
    assert.deepEqual([...shipping.units].sort(), units.map(containmentKey).sort(), "the 12 unit EPCs");
    assert.equal(shipping.units.length, 12);
    assert.deepEqual(new Set(shipping.moved), new Set([pallet, ...cases, ...units].map(containmentKey)));
    assert.equal(hashes.length, 8);
    assert.equal(new Set(hashes).size, 8);
    // the unit keys are the GS1 Digital Links of the SGTINs (GTIN 00300010123455)
    assert.equal(containmentKey(units[0] as string), "https://id.gs1.org/01/00300010123455/21/11");
  });

  it("a refused document stores nothing: the containment model is unchanged", () => {
    const { model } = captureEpcis(xml);
    const before = JSON.stringify([model.contentsOf(pallet), model.childrenOf(cases[0] as string)]);
    const bad = epcisXmlToJson(xml) as { epcisBody: { eventList: Record<string, unknown>[] } };
    // unpack the pallet first (valid), then an invalid event: the whole document is refused
    bad.epcisBody.eventList = [
      {
        type: "AggregationEvent",
        eventTime: "2023-04-02T06:48:16Z",
        eventTimeZoneOffset: "-05:00",
        parentID: pallet,
        action: "DELETE",
        bizStep: "unpacking",
      },
      {
        type: "ObjectEvent",
        eventTime: "2023-04-02T06:49:16Z",
        eventTimeZoneOffset: "-05:00",
        epcList: [units[0]],
        action: "OBSERVE",
        bizStep: "teleporting",
      },
    ];
    const err = refusal(() => captureEpcis(bad, model));
    assert.equal(err.details?.rule, "cbv:bizStep");
    assert.equal(JSON.stringify([model.contentsOf(pallet), model.childrenOf(cases[0] as string)]), before);
    // a containment error half-way is refused atomically too
    const cyc = {
      ...bad,
      epcisBody: {
        eventList: [
          {
            type: "AggregationEvent",
            eventTime: "2023-04-02T06:48:16Z",
            eventTimeZoneOffset: "-05:00",
            parentID: pallet,
            action: "DELETE",
            bizStep: "unpacking",
          },
          {
            type: "AggregationEvent",
            eventTime: "2023-04-02T06:50:16Z",
            eventTimeZoneOffset: "-05:00",
            parentID: units[0],
            childEPCs: [pallet],
            action: "ADD",
            bizStep: "packing",
          },
          {
            type: "AggregationEvent",
            eventTime: "2023-04-02T06:51:16Z",
            eventTimeZoneOffset: "-05:00",
            parentID: pallet,
            childEPCs: [cases[0]],
            action: "ADD",
            bizStep: "packing",
          },
        ],
      },
    };
    assert.equal(refusal(() => captureEpcis(cyc, model)).details?.rule, "aggregation:cycle");
    assert.equal(JSON.stringify([model.contentsOf(pallet), model.childrenOf(cases[0] as string)]), before);
    assert.ok(model instanceof ContainmentModel);
  });
});

after(() => {
  console.log(
    [
      "",
      "EPCIS fixture outcomes:",
      ...outcomes.sort(),
      `EPCIS summary: ${tally.accepted} accepted, ${tally.refused} refused`,
    ].join("\n"),
  );
});
