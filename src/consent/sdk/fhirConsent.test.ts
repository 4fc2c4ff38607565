import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "../../../test/support/fixtures.ts";
import type { Consent } from "@medplum/fhirtypes";
import { MedchainError } from "../../kernel/errors.ts";
import { CATEGORY, categoryOf, type CategoryName } from "../../kernel/categories.ts";
import { FHIR_R4_RESOURCE_TYPES } from "../../kernel/fhirResourceTypes.ts";
import type { GrantSpec } from "./grantSpec.ts";
import { LEGACY_PURPOSE_SYSTEM, PURPOSE_SYSTEM, type PurposeCode } from "../../kernel/purposes.ts";
import {
  ACT_CODE_SYSTEM,
  CONSENT_ACTION_SYSTEM,
  CONSENT_SCOPE_SYSTEM,
  PARTICIPATION_TYPE_SYSTEM,
  RESOURCE_TYPES_SYSTEM,
  consentToGrants,
  grantsToConsents,
  resourceTypesOf,
  type ActiveGrant,
  type ActorReference,
  type ConsentImport,
  type ConsentImportContext,
  type ConsentMappingEntry,
} from "./fhirConsent.ts";

const FIX = join(FIXTURES, "fhir-consent");
const NOW = Date.UTC(2025, 0, 1) / 1000;
const DAY = 86_400;
const DURATION = 30 * DAY;
const t = (iso: string): number => Date.parse(iso) / 1000;

const PATIENT = "0x00000000000000000000000000000000000000aa";
const ORG_F001 = "0x000000000000000000000000000000000000f001";
const NURSE_F204 = "0x000000000000000000000000000000000000f204";
const PRAC_13 = "0x0000000000000000000000000000000000000013";
const A = "0x00000000000000000000000000000000000000a1";
const B = "0x00000000000000000000000000000000000000b2";

/**
 * The test address book: the Organization and Practitioners that the R4
 * examples name as actors. Patient/example, Practitioner/xcda-author and
 * anything else are unknown (a patient is not a grantee here, an author is
 * never a recipient), so they resolve to nothing.
 */
const BOOK: Record<string, `0x${string}`> = {
  "Organization/f001": ORG_F001,
  "Practitioner/f204": NURSE_F204,
  "Practitioner/13": PRAC_13,
  "Practitioner/a": A,
  "Practitioner/b": B,
  "Practitioner/b-alias": B,
  "Patient/p-secret-17": PATIENT,
};
const ID_BOOK: Record<string, `0x${string}`> = { [`did:pkh:${A}`]: A, [`did:pkh:${B}`]: B };

function resolveActor(r: ActorReference): `0x${string}` | undefined {
  if (r.reference !== undefined) return BOOK[r.reference];
  if (r.identifier?.value !== undefined) return ID_BOOK[r.identifier.value];
  return undefined;
}

function ctx(over: Partial<ConsentImportContext> = {}): ConsentImportContext {
  return {
    patient: PATIENT,
    resolveActor,
    now: NOW,
    defaultDurationSeconds: DURATION,
    defaultPurposes: ["TREAT"],
    ...over,
  };
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIX, name), "utf8")) as Record<string, unknown>;
}

/** Every error thrown in this file, to check afterwards that none leaks patient data. */
const refusals: MedchainError[] = [];

function refusal(fn: () => unknown): MedchainError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MedchainError, `expected a MedchainError, got ${String(e)}`);
    refusals.push(e);
    return e;
  }
  assert.fail("expected a refusal, but it mapped");
}

function refusedAt(
  consent: unknown,
  provision: string,
  element: string,
  over: Partial<ConsentImportContext> = {},
): MedchainError {
  const e = refusal(() => consentToGrants(consent, ctx(over)));
  assert.equal(e.code, "UnsupportedConsent", e.shortMessage);
  assert.deepEqual(e.details, { provision, element }, e.shortMessage);
  assert.equal(e.status, 422);
  return e;
}

function invalidAt(consent: unknown, path: string): void {
  const e = refusal(() => consentToGrants(consent, ctx()));
  assert.equal(e.code, "InvalidFhir", e.shortMessage);
  assert.deepEqual(e.details, { path });
}

// ------------------------------------------------------------ builders of small consents

const PATIENT_REF = { reference: "Patient/p-secret-17", display: "Jane Secret" };

function consent(
  provision: Record<string, unknown> | undefined,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: "Consent",
    status: "active",
    scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "patient-privacy" }] },
    category: [{ coding: [{ system: "http://loinc.org", code: "59284-0" }] }],
    patient: PATIENT_REF,
    policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTIN" }] },
    ...(provision === undefined ? {} : { provision }),
    ...over,
  };
}
const OPTOUT = { policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTOUT" }] } };
const actor = (reference: string, code = "PRCP", system = PARTICIPATION_TYPE_SYSTEM): Record<string, unknown> => ({
  role: { coding: [{ system, code }] },
  reference: { reference },
});
const action = (code: string, system = CONSENT_ACTION_SYSTEM): Record<string, unknown> => ({
  coding: [{ system, code }],
});
const purpose = (code: string, system = PURPOSE_SYSTEM): Record<string, unknown> => ({ system, code });
const cls = (...types: string[]): Array<Record<string, unknown>> =>
  types.map((code) => ({ system: RESOURCE_TYPES_SYSTEM, code }));
const classesOf = (...cats: CategoryName[]): Array<Record<string, unknown>> =>
  cls(...cats.flatMap((c) => resourceTypesOf(c)));
const ALL = Object.keys(CATEGORY) as CategoryName[];
const without = (...cats: CategoryName[]): CategoryName[] => ALL.filter((c) => !cats.includes(c));

function grant(grantee: `0x${string}`, over: Partial<GrantSpec> = {}): GrantSpec {
  return { grantee, categories: ALL, purposes: ["TREAT"], notBefore: NOW, expiresAt: NOW + DURATION, ...over };
}

function strip(r: ConsentImport): Array<Omit<ConsentMappingEntry, "note">> {
  return r.mapping.map(({ provision, effect, grants }) => ({ provision, effect, grants }));
}

// ------------------------------------------------------------ the 12 R4 examples

type Outcome =
  | { grants: GrantSpec[]; mapping: ConsentMappingEntry[] }
  | { refused: { provision: string; element: string; message: string } };

const ABSENCE = "holds by absence (nothing above it grants access, and medchain denies whatever is not granted)";
const NO_RECIPIENT =
  "the permit names no recipient (an actor with role " + "PRCP, IRCP or GRANTEE): a grant needs a grantee";

/** The outcome of every R4 Consent example, with now = 2025-01-01T00:00:00Z. */
const EXPECTED: Record<string, Outcome> = {
  "consent-example.json": { refused: { provision: "Consent.provision", element: "actor", message: NO_RECIPIENT } },
  "consent-example-Emergency.json": {
    grants: [],
    mapping: [
      {
        provision: "Consent.provision",
        effect: "deny-by-absence",
        grants: [],
        note:
          `deny (no type: read as deny from policyRule OPTOUT) of ` +
          `actor[0] Organization (CST); purpose ETREAT: ${ABSENCE}`,
      },
      {
        provision: "Consent.provision.provision[0]",
        effect: "deny-by-absence",
        grants: [],
        note: "deny inside the deny at Consent.provision: " + "already denied, holds by absence",
      },
    ],
  },
  "consent-example-Out.json": {
    grants: [],
    mapping: [
      {
        provision: "Consent.provision",
        effect: "deny-by-absence",
        grants: [],
        note: `deny (no type: read as deny from policyRule OPTOUT) of actor[0] Organization (CST): ${ABSENCE}`,
      },
    ],
  },
  "consent-example-grantor.json": {
    grants: [],
    mapping: [
      {
        provision: "Consent.provision",
        effect: "deny-by-absence",
        grants: [],
        note:
          `deny (no type: read as deny from policyRule OPTOUT) of actor[0] ` +
          `Organization (CST), actor[1] Patient (PRCP); action access: ${ABSENCE}`,
      },
    ],
  },
  "consent-example-notAuthor.json": {
    refused: {
      provision: "Consent.provision",
      element: "actor[0].role",
      message:
        "actor[0] (Organization) has role CST: it selects data by " +
        "its custodian, and grants cannot filter data by custodian",
    },
  },
  "consent-example-notOrg.json": {
    grants: [],
    mapping: [
      {
        provision: "Consent.provision",
        effect: "deny-by-absence",
        grants: [],
        note: `deny of actor[0] Organization (PRCP); action access, correct: ${ABSENCE}`,
      },
    ],
  },
  "consent-example-notThem.json": {
    refused: {
      provision: "Consent.provision",
      element: "action[1]",
      message: "action correct cannot be granted: a grant lets " + "its grantee access, use and collect, nothing else",
    },
  },
  "consent-example-notThis.json": {
    refused: {
      provision: "Consent.provision",
      element: "data",
      message:
        "a permit limited to named resources cannot be a grant, " +
        "which cover whole categories, not single resources",
    },
  },
  "consent-example-notTime.json": {
    refused: { provision: "Consent.provision", element: "actor", message: NO_RECIPIENT },
  },
  "consent-example-pkb.json": {
    refused: {
      provision: "Consent.provision.provision[0]",
      element: "securityLabel",
      message:
        "a permit limited to data with given security labels cannot " +
        "be a grant, which select data by coarse category only",
    },
  },
  "consent-example-signature.json": {
    refused: {
      provision: "Consent.provision.provision[0]",
      element: "actor[0].role",
      message:
        "actor[0] (Practitioner) has role AUT: it selects data " +
        "by its author, and grants cannot filter data by author",
    },
  },
  "consent-example-smartonfhir.json": {
    refused: {
      provision: "Consent.provision.provision[0]",
      element: "class[0]",
      message:
        "MedicationRequest is only part of category medications: a grant would also open " +
        "Medication, MedicationAdministration, MedicationDispense, MedicationStatement",
    },
  },
};

/** Every reference and display string found in a JSON value (to check that none leaks into errors). */
function referencesIn(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => referencesIn(x, out));
  else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if ((k === "reference" || k === "display") && typeof x === "string") {
        out.add(x);
        const id = x.split("/").pop();
        if (id !== undefined && id.length > 2) out.add(id);
      } else referencesIn(x, out);
    }
  }
  return out;
}

describe("R4 Consent examples -> grants", () => {
  const files = readdirSync(FIX)
    .filter((f) => f.startsWith("consent-example") && f.endsWith(".json"))
    .sort();

  it("covers exactly the 12 examples of R4 core", () => {
    assert.equal(files.length, 12);
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  it("maps each example to exactly its expected grants, or refuses it naming the provision and element", () => {
    const rows: string[] = [];
    for (const f of files) {
      const expected = EXPECTED[f];
      assert.ok(expected !== undefined, f);
      const input = fixture(f);
      if ("refused" in expected) {
        const { provision, element, message } = expected.refused;
        const e = refusedAt(input, provision, element);
        assert.equal(e.shortMessage, `${provision}.${element}: ${message}`, f);
        for (const s of referencesIn(input))
          assert.ok(!JSON.stringify(e.toJSON()).includes(s), `${f}: error mentions ${s}`);
        rows.push(`| ${f} | refused | ${provision} | ${element} | ${message} |`);
      } else {
        const r = consentToGrants(input, ctx());
        assert.deepEqual(r.grants, expected.grants, f);
        assert.deepEqual(r.mapping, expected.mapping, f);
        for (const s of referencesIn(input))
          assert.ok(!r.mapping.some((m) => m.note.includes(s)), `${f}: a note mentions ${s}`);
        rows.push(
          `| ${f} | ${r.grants.length} grants | ` +
            `${r.mapping.map((m) => `${m.provision}: ${m.effect}`).join("; ")} | | |`,
        );
      }
    }
    console.log(
      ["| example | outcome | " + "provision | element | reason |", "| --- | --- | --- | --- | --- |", ...rows].join(
        "\n",
      ),
    );
  });

  it("reports the consent's patient reference to the caller (never judged here)", () => {
    const r = consentToGrants(fixture("consent-example-Out.json"), ctx());
    assert.deepEqual(r.patient, { reference: "Patient/f001" });
  });

  it("refuses the same examples for the same reasons whatever the date and with category widening", () => {
    for (const f of files) {
      const expected = EXPECTED[f];
      if (expected === undefined || !("refused" in expected)) continue;
      const input = fixture(f);
      refusedAt(
        input,
        expected.refused.provision,
        f === "consent-example-smartonfhir.json" ? "actor" : expected.refused.element,
        { now: t("2015-01-15T00:00:00Z"), allowCategoryWidening: true },
      );
    }
  });

  it("variants of the examples show what would make them grants", () => {
    // smartonfhir with a recipient on its nested permit, read inside its 30 minutes, with category widening: one grant
    // to the medications category.
    const smart = fixture("consent-example-smartonfhir.json") as {
      provision: { provision: Array<Record<string, unknown>> };
    };
    const nested = smart.provision.provision[0];
    assert.ok(nested !== undefined);
    nested.actor = [actor("Organization/f001")];
    const during = t("2016-06-23T07:10:00Z");
    const r = consentToGrants(smart, ctx({ now: during, allowCategoryWidening: true }));
    assert.deepEqual(r.grants, [
      grant(ORG_F001, {
        categories: ["medications"],
        notBefore: t("2016-06-23T07:02:33Z"),
        expiresAt: t("2016-06-23T07:32:33Z"),
      }),
    ]);
    assert.deepEqual(strip(r), [
      { provision: "Consent.provision", effect: "grant", grants: [0] },
      { provision: "Consent.provision.provision[0]", effect: "grant", grants: [0] },
    ]);
    assert.match(r.mapping[1]?.note ?? "", /widened to whole categories: medications \(allowCategoryWidening\)/);
    // ... and once its 30 minutes are over, it would grant nothing.
    refusedAt(smart, "Consent.provision", "period", { now: NOW, allowCategoryWidening: true });

    // signature without its author-scoped nested permit: a grant to Practitioner/13 for the year, which has ended by
    // 2025.
    const sig = fixture("consent-example-signature.json") as { provision: Record<string, unknown> };
    delete sig.provision.provision;
    const e = refusedAt(sig, "Consent.provision", "period");
    assert.equal(e.shortMessage, "Consent.provision.period: would grant nothing: period ended 2016-10-10");
    const inYear = consentToGrants(sig, ctx({ now: t("2016-01-01T00:00:00Z") }));
    assert.deepEqual(inYear.grants, [
      grant(PRAC_13, { notBefore: t("2015-10-10T00:00:00Z"), expiresAt: t("2016-10-11T00:00:00Z") }),
    ]);

    // basic with a recipient: ended 2016-01-01.
    const basic = fixture("consent-example.json") as { provision: Record<string, unknown> };
    basic.provision.actor = [actor("Organization/f001")];
    assert.match(refusedAt(basic, "Consent.provision", "period").shortMessage, /period ended 2016-01-01$/);
  });
});

// ------------------------------------------------------------ mapping rules

describe("consentToGrants: mapping", () => {
  it(
    "an OPTIN root permit naming a recipient is one grant: " +
      "all categories, default purposes, now + default duration",
    () => {
      const r = consentToGrants(consent({ actor: [actor("Practitioner/a")] }), ctx());
      assert.deepEqual(r.grants, [grant(A)]);
      assert.deepEqual(r.mapping, [
        {
          provision: "Consent.provision",
          effect: "grant",
          grants: [0],
          note:
            "permit (no type: read as permit from policyRule OPTIN) for actor[0] " +
            "Practitioner (PRCP) -> grant 0; categories: all (no class); purposes: TREAT " +
            "(default: no purpose); period: 2025-01-01T00:00:00Z..2025-01-31T00:00:00Z " +
            "(default: no period); actions: access, use, collect (default: no action)",
        },
      ]);
      assert.deepEqual(r.patient, { reference: "Patient/p-secret-17" });
    },
  );

  it(
    "takes categories from whole-category classes, purposes, " +
      "actions and the period; an end is inclusive at its precision",
    () => {
      const r = consentToGrants(
        consent({
          type: "permit",
          period: { start: "2025-01-01", end: "2025-03" },
          actor: [actor("Practitioner/a"), actor("Practitioner/b", "IRCP")],
          action: [action("access"), action("use")],
          purpose: [purpose("HRESCH"), purpose("TREAT", LEGACY_PURPOSE_SYSTEM)],
          class: classesOf("medications", "observations"),
        }),
        ctx(),
      );
      const spec = {
        categories: ["observations", "medications"] as CategoryName[],
        purposes: ["TREAT", "HRESCH"] as GrantSpec["purposes"],
        notBefore: t("2025-01-01T00:00:00Z"),
        expiresAt: t("2025-04-01T00:00:00Z"),
      };
      assert.deepEqual(r.grants, [grant(A, spec), grant(B, spec)]);
      assert.deepEqual(strip(r), [{ provision: "Consent.provision", effect: "grant", grants: [0, 1] }]);
    },
  );

  it(
    "a start without an end runs the default duration from " + "max(start, now); an end without a start runs from now",
    () => {
      const later = consentToGrants(
        consent({ actor: [actor("Practitioner/a")], period: { start: "2025-06-01T08:00:00+02:00" } }),
        ctx(),
      );
      assert.deepEqual(later.grants, [
        grant(A, { notBefore: t("2025-06-01T06:00:00Z"), expiresAt: t("2025-06-01T06:00:00Z") + DURATION }),
      ]);
      const until = consentToGrants(
        consent({ actor: [actor("Practitioner/a")], period: { end: "2025-02-01T00:00:00Z" } }),
        ctx(),
      );
      assert.deepEqual(until.grants, [grant(A, { expiresAt: t("2025-02-01T00:00:00Z") })]);
    },
  );

  it("a nested deny of whole categories removes them from the grant", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a")],
        provision: [{ type: "deny", class: classesOf("documents", "financial") }],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A, { categories: without("documents", "financial") })]);
    assert.deepEqual(strip(r), [
      { provision: "Consent.provision", effect: "grant", grants: [0] },
      { provision: "Consent.provision.provision[0]", effect: "deny-by-absence", grants: [0] },
    ]);
    assert.match(r.mapping[1]?.note ?? "", /removes category financial, documents from grant 0/);
  });

  it("a nested deny of purposes removes them; a typeless nested provision inside a permit is a deny", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a")],
        purpose: [purpose("TREAT"), purpose("HRESCH")],
        provision: [{ purpose: [purpose("HRESCH")] }],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A, { purposes: ["TREAT"] })]);
    assert.match(r.mapping[1]?.note ?? "", /^deny \(no type: read as deny, an exception to its parent\)/);
  });

  it("a nested deny naming one recipient removes that recipient's grant only", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a"), actor("Practitioner/b")],
        provision: [{ type: "deny", actor: [actor("Practitioner/b")] }],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A)]);
    assert.deepEqual(strip(r), [
      { provision: "Consent.provision", effect: "grant", grants: [0] },
      { provision: "Consent.provision.provision[0]", effect: "deny-by-absence", grants: [] },
    ]);
    assert.match(r.mapping[1]?.note ?? "", new RegExp(`removes the grant of ${B}`));
  });

  it("a nested deny of the start of the window moves the grant's start", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a")],
        period: { start: "2025-01-01", end: "2025-12-31" },
        provision: [{ type: "deny", period: { end: "2025-03-31" } }],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [
      grant(A, { notBefore: t("2025-04-01T00:00:00Z"), expiresAt: t("2026-01-01T00:00:00Z") }),
    ]);
  });

  it("a nested deny of actions or purposes no grant allows matches nothing, and says so", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a")],
        provision: [
          { type: "deny", action: [action("correct"), action("disclose")] },
          { type: "deny", purpose: [purpose("HMARKT")] },
        ],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A)]);
    assert.match(
      r.mapping[1]?.note ?? "",
      /matches no grant, holds by absence; action correct, disclose is never granted/,
    );
    assert.match(r.mapping[2]?.note ?? "", /purpose HMARKT is never granted \(no bit on chain\)/);
  });

  it("a deny of access covers use and collect too", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a"), actor("Practitioner/b")],
        provision: [{ type: "deny", actor: [actor("Practitioner/a")], action: [action("access")] }],
      }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(B)]);
  });

  it(
    "OPTOUT with a nested permit is an exception grant within the " +
      "deny's conditions (the Emergency example done explicitly)",
    () => {
      const r = consentToGrants(
        consent(
          {
            actor: [actor("Practitioner/a")],
            purpose: [purpose("ETREAT")],
            provision: [{ type: "permit", period: { end: "2025-01-02" } }],
          },
          OPTOUT,
        ),
        ctx(),
      );
      assert.deepEqual(r.grants, [grant(A, { purposes: ["ETREAT"], expiresAt: t("2025-01-03T00:00:00Z") })]);
      assert.deepEqual(strip(r), [
        { provision: "Consent.provision", effect: "deny-by-absence", grants: [] },
        { provision: "Consent.provision.provision[0]", effect: "grant", grants: [0] },
      ]);
      assert.match(r.mapping[1]?.note ?? "", /for actor\[0\] of Consent\.provision -> grant 0/);
    },
  );

  it("OPTOUT exceptions lose to a sibling deny (deny wins among siblings)", () => {
    const r = consentToGrants(
      consent(
        {
          provision: [
            { actor: [actor("Practitioner/a")], purpose: [purpose("TREAT"), purpose("HRESCH")] },
            { type: "deny", purpose: [purpose("HRESCH")] },
          ],
        },
        OPTOUT,
      ),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A, { purposes: ["TREAT"] })]);
    assert.match(r.mapping[2]?.note ?? "", /deny wins among siblings/);
  });

  it("OPTOUT without any provision grants nothing, with an explicit mapping entry", () => {
    const r = consentToGrants(consent(undefined, OPTOUT), ctx());
    assert.deepEqual(r, {
      grants: [],
      mapping: [
        {
          provision: "Consent.policyRule",
          effect: "deny-by-absence",
          grants: [],
          note: "policyRule OPTOUT and no " + "provision: nothing is granted",
        },
      ],
      patient: { reference: "Patient/p-secret-17" },
    });
  });

  it("a permit with nested permits is a frame: its conditions narrow them and the grants are theirs", () => {
    const r = consentToGrants(
      consent({
        actor: [actor("Practitioner/a"), actor("Practitioner/b")],
        period: { start: "2025-01-01", end: "2025-01-10" },
        provision: [
          { type: "permit", class: classesOf("immunizations") },
          { type: "permit", actor: [actor("Practitioner/b")], purpose: [purpose("CAREMGT")] },
        ],
      }),
      ctx(),
    );
    const win = { notBefore: NOW, expiresAt: t("2025-01-11T00:00:00Z") };
    assert.deepEqual(r.grants, [
      grant(A, { ...win, categories: ["immunizations"] }),
      grant(B, { ...win, categories: ["immunizations"] }),
      grant(B, { ...win, purposes: ["CAREMGT"] }),
    ]);
    assert.deepEqual(strip(r), [
      { provision: "Consent.provision", effect: "grant", grants: [0, 1, 2] },
      { provision: "Consent.provision.provision[0]", effect: "grant", grants: [0, 1] },
      { provision: "Consent.provision.provision[1]", effect: "grant", grants: [2] },
    ]);
  });

  it("the patient as recipient needs no grant; two references to one address make one grant", () => {
    const r = consentToGrants(
      consent({ actor: [actor("Patient/p-secret-17"), actor("Practitioner/b"), actor("Practitioner/b-alias")] }),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(B)]);
    assert.match(
      r.mapping[0]?.note ?? "",
      /actor\[0\] is the patient, who needs no grant; actor\[2\] resolves to the same address as an earlier actor \(one grant\)/,
    );
  });

  it("resolves logical (identifier) references, and accepts the pre-R4 code system URLs", () => {
    const r = consentToGrants(
      consent(
        {
          actor: [
            {
              role: { coding: [{ system: "http://hl7.org/fhir/v3/ParticipationType", code: "PRCP" }] },
              reference: { identifier: { system: "urn:ietf:rfc:3986", value: `did:pkh:${A}` } },
            },
          ],
          action: [action("access", "http://hl7.org/fhir/consentaction")],
        },
        {
          policyRule: { coding: [{ system: "http://hl7.org/fhir/v3/ActCode", code: "OPTIN" }] },
          scope: { coding: [{ system: "http://hl7.org/fhir/consentscope", code: "patient-privacy" }] },
        },
      ),
      ctx(),
    );
    assert.deepEqual(r.grants, [grant(A)]);
  });

  it("allowCategoryWidening grants the whole category of a partial class, and notes it", () => {
    const r = consentToGrants(
      consent({ actor: [actor("Practitioner/a")], class: cls("Observation", "Immunization") }),
      ctx({ allowCategoryWidening: true }),
    );
    assert.deepEqual(r.grants, [grant(A, { categories: ["observations", "immunizations"] })]);
    assert.match(r.mapping[0]?.note ?? "", /widened to whole categories: observations, immunizations/);
  });
});

// ------------------------------------------------------------ refusal rules

describe("consentToGrants: refusals", () => {
  const permitA = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    actor: [actor("Practitioner/a")],
    ...extra,
  });

  it("refuses what is not an active patient-privacy Consent", () => {
    invalidAt({ resourceType: "Patient" }, "Consent.resourceType");
    invalidAt(null, "Consent.resourceType");
    refusedAt(consent(permitA(), { status: "draft" }), "Consent", "status");
    refusedAt(consent(permitA(), { status: "inactive" }), "Consent", "status");
    refusedAt(
      consent(permitA(), { scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "research" }] } }),
      "Consent",
      "scope",
    );
    invalidAt(consent(permitA(), { scope: "privacy" }), "Consent.scope");
  });

  it("refuses rules it cannot read: implicitRules, modifier extensions, unknown or missing policyRule", () => {
    const modifier = [{ url: "http://example.org/x", valueBoolean: true }];
    refusedAt(consent(permitA(), { implicitRules: "http://example.org/rules" }), "Consent", "implicitRules");
    refusedAt(consent(permitA(), { modifierExtension: modifier }), "Consent", "modifierExtension");
    refusedAt(consent(permitA({ modifierExtension: modifier })), "Consent.provision", "modifierExtension");
    refusedAt(
      consent({ actor: [{ ...actor("Practitioner/a"), modifierExtension: modifier }] }),
      "Consent.provision",
      "actor[0].modifierExtension",
    );
    refusedAt(
      consent(permitA(), {
        policyRule: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentpolicycodes", code: "hipaa-auth" }],
        },
      }),
      "Consent",
      "policyRule",
    );
    refusedAt(consent(permitA(), { policyRule: undefined }), "Consent", "policyRule");
    assert.equal(
      consentToGrants(consent(permitA({ type: "permit" }), { policyRule: undefined }), ctx()).grants.length,
      1,
    );
    refusedAt(consent(undefined), "Consent", "provision");
  });

  it("refuses a permit limited to named resources, security labels, codes or a data period", () => {
    refusedAt(
      consent(permitA({ data: [{ meaning: "instance", reference: { reference: "Observation/o1" } }] })),
      "Consent.provision",
      "data",
    );
    refusedAt(
      consent(
        permitA({ securityLabel: [{ system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", code: "R" }] }),
      ),
      "Consent.provision",
      "securityLabel",
    );
    refusedAt(
      consent(permitA({ code: [{ coding: [{ system: "http://loinc.org", code: "34133-9" }] }] })),
      "Consent.provision",
      "code",
    );
    refusedAt(consent(permitA({ dataPeriod: { start: "2020-01-01" } })), "Consent.provision", "dataPeriod");
  });

  it("refuses actions a grant cannot allow, and actions from other code systems", () => {
    refusedAt(consent(permitA({ action: [action("access"), action("disclose")] })), "Consent.provision", "action[1]");
    refusedAt(consent(permitA({ action: [action("correct")] })), "Consent.provision", "action[0]");
    refusedAt(
      consent(permitA({ action: [action("read", "http://example.org/actions")] })),
      "Consent.provision",
      "action[0]",
    );
  });

  it("refuses a recipient it cannot resolve to an address, and a permit without a recipient", () => {
    const e = refusedAt(
      consent({ actor: [actor("Practitioner/a"), actor("Practitioner/unknown-99")] }),
      "Consent.provision",
      "actor[1].reference",
    );
    assert.equal(
      e.shortMessage,
      "Consent.provision.actor[1].reference: actor[1] (Practitioner, role " +
        "PRCP) has no medchain address: the grant would have no grantee",
    );
    refusedAt(consent({ purpose: [purpose("TREAT")] }), "Consent.provision", "actor");
  });

  it("refuses actors that select data (author, custodian) or whose role it does not understand", () => {
    refusedAt(
      consent({ actor: [actor("Practitioner/a"), actor("Organization/f001", "AUT")] }),
      "Consent.provision",
      "actor[1].role",
    );
    refusedAt(
      consent({ actor: [actor("Practitioner/a", "GUARD", "http://terminology.hl7.org/CodeSystem/v3-RoleClass")] }),
      "Consent.provision",
      "actor[0].role",
    );
    refusedAt(
      consent({ actor: [{ role: { text: "doctor" }, reference: { reference: "Practitioner/a" } }] }),
      "Consent.provision",
      "actor[0].role",
    );
  });

  it("refuses a nested deny that withholds what an author wrote: grants cannot filter by author", () => {
    const e = refusedAt(
      consent(permitA({ provision: [{ type: "deny", actor: [actor("Organization/f001", "AUT")] }] })),
      "Consent.provision.provision[0]",
      "actor[0].role",
    );
    assert.match(e.shortMessage, /grants cannot filter data by author/);
  });

  it("refuses a nested deny limited by security label, code or data (it cannot be subtracted)", () => {
    refusedAt(
      consent(
        permitA({
          provision: [
            {
              type: "deny",
              securityLabel: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "PSY" }],
            },
          ],
        }),
      ),
      "Consent.provision.provision[0]",
      "securityLabel",
    );
    refusedAt(
      consent(
        permitA({ provision: [{ type: "deny", data: [{ meaning: "related", reference: { reference: "Task/t1" } }] }] }),
      ),
      "Consent.provision.provision[0]",
      "data",
    );
  });

  it("refuses a deny that removes part of a category, and a permit of part of one (without widening)", () => {
    const e = refusedAt(
      consent(permitA({ provision: [{ type: "deny", class: cls("Observation") }] })),
      "Consent.provision.provision[0]",
      "class[0]",
    );
    assert.match(e.shortMessage, /removes Observation but not the rest of category observations/);
    refusedAt(
      consent(permitA({ provision: [{ type: "deny", class: cls("Observation") }] })),
      "Consent.provision.provision[0]",
      "class[0]",
      { allowCategoryWidening: true },
    );
    refusedAt(
      consent(permitA({ class: [...classesOf("medications"), ...cls("Observation")] })),
      "Consent.provision",
      "class[5]",
    );
    refusedAt(
      consent(permitA({ class: [{ system: "urn:ietf:bcp:13", code: "application/hl7-cda+xml" }] })),
      "Consent.provision",
      "class[0]",
    );
    refusedAt(consent(permitA({ class: cls("Martian") })), "Consent.provision", "class[0]");
  });

  it("refuses a permit whose period has ended: it would grant nothing", () => {
    const e = refusedAt(
      consent(permitA({ period: { start: "2019-01-01", end: "2020-01-01" } })),
      "Consent.provision",
      "period",
    );
    assert.equal(e.shortMessage, "Consent.provision.period: would grant nothing: period ended 2020-01-01");
    refusedAt(consent(permitA({ period: { end: "2024-12-31T23:59:59Z" } })), "Consent.provision", "period");
    // A nested window that ended narrows the frame to nothing.
    refusedAt(
      consent(permitA({ provision: [{ type: "permit", period: { end: "2024-06" } }] })),
      "Consent.provision.provision[0]",
      "period",
    );
  });

  it("refuses a permit whose conditions leave nothing inside its enclosing provision", () => {
    refusedAt(
      consent(
        permitA({
          period: { start: "2025-02-01", end: "2025-03-01" },
          provision: [{ type: "permit", period: { start: "2025-05-01", end: "2025-06-01" } }],
        }),
      ),
      "Consent.provision.provision[0]",
      "period",
    );
    refusedAt(
      consent(permitA({ provision: [{ type: "permit", actor: [actor("Practitioner/b")] }] })),
      "Consent.provision.provision[0]",
      "actor",
    );
    refusedAt(
      consent(permitA({ purpose: [purpose("TREAT")], provision: [{ type: "permit", purpose: [purpose("HRESCH")] }] })),
      "Consent.provision.provision[0]",
      "purpose",
    );
  });

  it("refuses purposes that have no bit on chain in a permit", () => {
    refusedAt(consent(permitA({ purpose: [purpose("TREAT"), purpose("HMARKT")] })), "Consent.provision", "purpose[1]");
    refusedAt(
      consent(permitA({ purpose: [purpose("TREAT", "http://example.org/purposes")] })),
      "Consent.provision",
      "purpose[0]",
    );
  });

  it("refuses a nested deny whose remainder is not one grant", () => {
    const twoDims = { type: "deny", purpose: [purpose("HRESCH")], class: classesOf("documents") };
    refusedAt(
      consent(permitA({ purpose: [purpose("TREAT"), purpose("HRESCH")], provision: [twoDims] })),
      "Consent.provision.provision[0]",
      "class",
    );
    refusedAt(
      consent(
        permitA({
          period: { start: "2025-01-01", end: "2025-12-31" },
          provision: [{ type: "deny", period: { start: "2025-06-01", end: "2025-06-30" } }],
        }),
      ),
      "Consent.provision.provision[0]",
      "period",
    );
    refusedAt(
      consent(permitA({ provision: [{ type: "deny", action: [action("use")] }] })),
      "Consent.provision.provision[0]",
      "action",
    );
  });

  it("refuses an exception permit that inherits an inexpressible condition from its deny", () => {
    refusedAt(
      consent(
        { actor: [actor("Organization/f001", "CST")], provision: [{ actor: [actor("Practitioner/a")] }] },
        OPTOUT,
      ),
      "Consent.provision",
      "actor[0].role",
    );
    refusedAt(
      consent({ action: [action("disclose")], provision: [{ actor: [actor("Practitioner/a")] }] }, OPTOUT),
      "Consent.provision",
      "action[0]",
    );
  });

  it("reports malformed elements as InvalidFhir with their path", () => {
    invalidAt(consent(permitA({ type: "maybe" })), "Consent.provision.type");
    invalidAt(consent(permitA({ period: { start: "2025-13-01" } })), "Consent.provision.period.start");
    invalidAt(consent(permitA({ period: { start: "2025-02-30" } })), "Consent.provision.period.start");
    invalidAt(consent(permitA({ period: { start: "2025-02-01T10:00:00" } })), "Consent.provision.period.start");
    invalidAt(consent(permitA({ period: { start: "2025-03-01", end: "2025-02-01" } })), "Consent.provision.period");
    invalidAt(consent(permitA({ actor: "Practitioner/a" })), "Consent.provision.actor");
    invalidAt(
      consent({ actor: [{ role: { coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: "PRCP" }] } }] }),
      "Consent.provision.actor[0].reference",
    );
    invalidAt(consent(permitA({ provision: [42] })), "Consent.provision.provision[0]");
  });

  it("refuses a bad context and a resolver that returns something other than an address", () => {
    const bad = (over: Partial<ConsentImportContext>): void => {
      assert.equal(refusal(() => consentToGrants(consent(permitA()), ctx(over))).code, "InvalidInput");
    };
    bad({ defaultPurposes: [] });
    const untrustedPurpose: string = "HMARKT"; // not a purpose code: as if read from outside the type system
    bad({ defaultPurposes: [untrustedPurpose as PurposeCode] });
    bad({ defaultDurationSeconds: 0 });
    bad({ now: -1 });
    bad({ patient: "Patient/p-secret-17" as `0x${string}` });
    bad({ resolveActor: () => "Practitioner/a" as `0x${string}` });
  });

  it("does not echo values that do not look like codes", () => {
    assert.equal(
      refusedAt(consent(permitA(), { status: "Jane Secret" }), "Consent", "status").shortMessage,
      "Consent.status: status is (code not shown): " + "only an active consent becomes grants",
    );
    assert.match(
      refusedAt(
        consent(permitA({ class: [{ system: RESOURCE_TYPES_SYSTEM, code: "Jane Secret" }] })),
        "Consent.provision",
        "class[0]",
      ).shortMessage,
      /class \(code not shown\) is not/,
    );
    assert.match(
      refusedAt(consent({ actor: [actor("Practitioner/a", "constructor")] }), "Consent.provision", "actor[0].role")
        .shortMessage,
      /role constructor: it selects data by its participation constructor/,
    );
  });

  it("never puts patient data in an error: only element paths, codes and resource types", () => {
    assert.ok(refusals.length > 40, `only ${refusals.length} refusals collected`);
    for (const e of refusals) {
      const text = JSON.stringify({ message: e.shortMessage, details: e.details });
      for (const secret of [
        "p-secret-17",
        "Jane",
        "Secret",
        "Practitioner/a",
        "unknown-99",
        "Organization/f001",
        "Observation/o1",
        "Task/t1",
        "van de Heuvel",
      ]) {
        assert.ok(!text.includes(secret), `${text} mentions ${secret}`);
      }
    }
  });
});

// ------------------------------------------------------------ export

describe("grantsToConsents", () => {
  const actorReference = (
    address: `0x${string}`,
  ): { reference?: string; identifier?: { system: string; value: string } } =>
    address === B
      ? { identifier: { system: "urn:ietf:rfc:3986", value: `did:pkh:${B}` } }
      : { reference: Object.entries(BOOK).find(([, a]) => a === address)?.[0] ?? "Practitioner/none" };
  const exportCtx = { patientReference: "Patient/p-secret-17", actorReference };
  const active = (spec: GrantSpec, grantId: string, breakGlass = false): ActiveGrant => ({
    ...spec,
    grantId,
    patient: PATIENT,
    breakGlass,
  });

  it("renders one R4 Consent per grant, typed as @medplum/fhirtypes Consent", () => {
    const spec = grant(A, {
      categories: ["medications"],
      purposes: ["TREAT", "CAREMGT"],
      notBefore: NOW,
      expiresAt: NOW + DAY,
    });
    const [c]: Consent[] = grantsToConsents([active(spec, "7")], exportCtx);
    assert.deepEqual(c, {
      resourceType: "Consent",
      identifier: [{ system: "urn:ietf:rfc:3986", value: "urn:medchain:grant:7" }],
      status: "active",
      scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "patient-privacy" }] },
      category: [{ coding: [{ system: "http://loinc.org", code: "59284-0" }] }],
      patient: { reference: "Patient/p-secret-17" },
      policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTIN" }] },
      provision: {
        type: "permit",
        period: { start: "2025-01-01T00:00:00Z", end: "2025-01-02T00:00:00Z" },
        actor: [
          {
            role: { coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: "PRCP" }] },
            reference: { reference: "Practitioner/a" },
          },
        ],
        action: [{ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "access" }] }],
        purpose: [
          { system: PURPOSE_SYSTEM, code: "TREAT" },
          { system: PURPOSE_SYSTEM, code: "CAREMGT" },
        ],
        class: cls(
          "Medication",
          "MedicationAdministration",
          "MedicationDispense",
          "MedicationRequest",
          "MedicationStatement",
        ),
      },
    });
  });

  it("round-trips: consentToGrants(grantsToConsents(x)) gives back the same GrantSpecs, break-glass included", () => {
    const specs: Array<[GrantSpec, boolean]> = [
      [grant(A), false],
      [
        grant(B, {
          categories: ["demographics", "allergies", "other"],
          purposes: ["HPAYMT", "COVERAGE"],
          notBefore: NOW - 10 * DAY,
          expiresAt: NOW + 365 * DAY,
        }),
        false,
      ],
      [
        grant(NURSE_F204, {
          categories: ["clinical", "observations", "medications"],
          purposes: ["ETREAT"],
          expiresAt: NOW + 3600,
        }),
        true,
      ],
    ];
    const consents = grantsToConsents(
      specs.map(([s, bg], i) => active(s, String(i + 1), bg)),
      exportCtx,
    );
    assert.equal(consents.length, 3);
    consents.forEach((c, i) => {
      const r = consentToGrants(c, ctx());
      assert.deepEqual(r.grants, [specs[i]?.[0]], `grant ${i}`);
      assert.deepEqual(strip(r), [{ provision: "Consent.provision", effect: "grant", grants: [0] }]);
    });
    assert.equal(consents[0]?.provision?.class, undefined, "all categories: no class");
    assert.deepEqual(consents[2]?.meta, { tag: [{ system: PURPOSE_SYSTEM, code: "BTG", display: "break the glass" }] });
    assert.match(
      consentToGrants(consents[2], ctx()).mapping[0]?.note ?? "",
      /break-glass marker \(meta\.tag BTG\): imported as an ordinary grant/,
    );
  });

  it("marks a break-glass grant with purpose ETREAT even if the grant listed others", () => {
    const [c] = grantsToConsents([active(grant(A, { purposes: ["TREAT"] }), "9", true)], exportCtx);
    assert.deepEqual(
      c?.provision?.purpose?.map((p) => p.code),
      ["TREAT", "ETREAT"],
    );
  });

  it("refuses invalid grants and grants of several patients", () => {
    assert.equal(
      refusal(() => grantsToConsents([active(grant(A, { categories: [] }), "1")], exportCtx)).code,
      "InvalidInput",
    );
    assert.equal(refusal(() => grantsToConsents([active(grant(A), "")], exportCtx)).code, "InvalidInput");
    assert.equal(
      refusal(() => grantsToConsents([active(grant(A), "1"), { ...active(grant(B), "2"), patient: A }], exportCtx))
        .code,
      "InvalidInput",
    );
    assert.equal(
      refusal(() => grantsToConsents([active(grant(A), "1")], { ...exportCtx, actorReference: () => ({}) })).code,
      "InvalidInput",
    );
  });
});

describe("resourceTypesOf", () => {
  it("is the inverse of categoryOf over the 145 R4 resource types", () => {
    const seen = new Set<string>();
    for (const c of Object.keys(CATEGORY) as CategoryName[]) {
      for (const type of resourceTypesOf(c)) {
        assert.equal(categoryOf(type), c);
        assert.ok(!seen.has(type));
        seen.add(type);
      }
    }
    assert.deepEqual([...seen].sort(), [...FHIR_R4_RESOURCE_TYPES].sort());
    assert.deepEqual(resourceTypesOf("allergies"), ["AllergyIntolerance"]);
    assert.ok(resourceTypesOf("other").includes("Task"));
  });
});
