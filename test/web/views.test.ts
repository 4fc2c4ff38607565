/**
 * The portal's pure parts, in Node: the timeline (visits, reports with their
 * results, claims under their visit), observation series for the charts
 * (blood pressure from panel components, BMI, HbA1c), reference ranges, unit
 * display, the access-log grouping, and the passphrase sealing of browser keys.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Bundle, Observation } from "@medplum/fhirtypes";
import { buildTimeline, filterTimeline } from "../../web/src/fhir/timeline.ts";
import { BMI, HBA1C, observationSeries } from "../../web/src/fhir/series.ts";
import { rangeFlag, rangeFor } from "../../web/src/fhir/referenceRanges.ts";
import { unitDisplay } from "../../web/src/fhir/units.ts";
import { groupAccesses } from "../../web/src/lib/auditRows.ts";
import { openSecret, sealSecret } from "../../web/src/lib/keyVault.ts";
import type { AuditLine } from "../../src/audit/sdk/readAudit.ts";
import { utf8Encode } from "../../src/kernel/crypto/bytes.ts";
import { expectCode } from "../support/assertions.ts";
import { largestSyntheaFile, smallSyntheaFile } from "../support/fixtures.ts";

const small = JSON.parse(readFileSync(smallSyntheaFile(), "utf8")) as Bundle;
const large = JSON.parse(readFileSync(largestSyntheaFile(), "utf8")) as Bundle;
const obs = (b: Bundle, code: string): Observation[] =>
  (b.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Observation => r?.resourceType === "Observation" && r.code?.coding?.[0]?.code === code);

describe("portal views", () => {
  it(
    "the timeline groups every resource under its visit, newest " +
      "visit first; report results sit inside their report",
    () => {
      const t = buildTimeline(small);
      const encounters = (small.entry ?? []).filter((e) => e.resource?.resourceType === "Encounter");
      assert.equal(t.visits.length, encounters.length);
      assert.ok(
        t.visits.every((v) => v.encounter !== undefined),
        "claims and everything else are linked to a visit",
      );
      const starts = t.visits.map((v) => v.start ?? "");
      assert.deepEqual(starts, [...starts].sort().reverse());
      assert.equal(t.patient?.name?.[0]?.family, "Kreiger");
      // each DiagnosticReport result is shown in its report, not again on its own
      const inReports = new Set(
        (small.entry ?? []).flatMap((e) =>
          e.resource?.resourceType === "DiagnosticReport" ? (e.resource.result ?? []).map((r) => r.reference) : [],
        ),
      );
      const shownAlone = t.visits.flatMap((v) => v.byType.get("Observation") ?? []).map((i) => i.key);
      assert.ok(inReports.size > 0 && shownAlone.every((k) => !inReports.has(k)));
      const total = t.visits.reduce((n, v) => n + v.count, 0);
      const hidden = ["Patient", "Encounter", "Organization", "Practitioner"].reduce(
        (n, type) => n + (t.typeCounts.get(type) ?? 0),
        0,
      );
      assert.equal(total + inReports.size + hidden, t.total);
      // filtering by type keeps only those entries
      const onlyImm = filterTimeline(t.visits, new Set(["Immunization"]));
      assert.ok(onlyImm.length > 0 && onlyImm.every((v) => [...v.byType.keys()].every((k) => k === "Immunization")));
    },
  );

  it(
    "series: blood pressure from the panel's systolic and " +
      "diastolic components, BMI and HbA1c, each sorted by time",
    () => {
      const series = observationSeries(
        (large.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource])),
      );
      const bp = series[0];
      assert.equal(bp?.id, "bp");
      const panels = obs(large, "55284-4");
      assert.equal(bp?.points.length, panels.length);
      const first = [...panels].sort((a, b) => (a.effectiveDateTime ?? "").localeCompare(b.effectiveDateTime ?? ""))[0];
      const sys = first?.component?.find((c) => c.code.coding?.[0]?.code === "8480-6")?.valueQuantity?.value;
      assert.deepEqual([bp?.points[0]?.systolic, bp?.points[0]?.t], [sys, Date.parse(first?.effectiveDateTime ?? "")]);
      for (const [code, n] of [
        [BMI, obs(large, BMI).length],
        [HBA1C, obs(large, HBA1C).length],
      ] as const) {
        const s = series.find((x) => x.id === code);
        assert.equal(s?.points.length, n);
        assert.ok(s?.points.every((p, i, all) => i === 0 || (all[i - 1]?.t ?? 0) <= p.t));
      }
      assert.equal(series.find((x) => x.id === HBA1C)?.unit, "%");
      assert.deepEqual(series.find((x) => x.id === BMI)?.typical, { low: 18.5, high: 25 });
    },
  );

  it("reference ranges: the record's own range first, a typical range only when the unit matches; worded flags", () => {
    const own = rangeFor("2339-0", { value: 120, code: "mg/dL" }, [
      { low: { value: 65, unit: "mg/dL" }, high: { value: 110, unit: "mg/dL" } },
    ]);
    assert.deepEqual(own, { low: 65, high: 110, unit: "mg/dL", source: "record" });
    assert.equal(rangeFlag(120, own), "high");
    assert.deepEqual(rangeFor("4548-4", { value: 6.1, code: "%" }, undefined), {
      low: 4,
      high: 5.7,
      unit: "%",
      source: "typical",
    });
    assert.equal(
      rangeFor("2339-0", { value: 6.1, code: "mmol/L" }, undefined),
      undefined,
      "another unit: no typical range",
    );
    assert.equal(rangeFlag(3, { low: 4, unit: "%", source: "typical" }), "low");
    assert.equal(rangeFlag(5, { low: 4, high: 5.7, unit: "%", source: "typical" }), "normal");
  });

  it("units read like units", () => {
    assert.deepEqual(["mm[Hg]", "kg/m2", "10*3/uL", "Cel", "{score}", "mg/dL", "/min"].map(unitDisplay), [
      "mmHg",
      "kg/m²",
      "×10³/µL",
      "°C",
      "",
      "mg/dL",
      "/min",
    ]);
  });

  it("the access log shows one row per request, whatever the number of keepers; the worst check wins", () => {
    const base = {
      requester: "0x1111111111111111111111111111111111111111",
      patient: "0x2222222222222222222222222222222222222222",
      batchId: `0x${"ab".repeat(32)}`,
      category: "observations",
      purpose: "TREAT",
      grantId: "1",
      breakGlass: false,
    } as const;
    const line = (keeper: string, at: number, outcome: string, status: AuditLine["status"]): AuditLine => ({
      event: { ...base, keeper: keeper as `0x${string}`, seq: at, at, outcome },
      status,
      ...(status === "verified" ? { anchorId: 1 } : {}),
    });
    const k = (n: number): string => `0x${String(n).repeat(40)}`;
    const rows = groupAccesses([
      line(k(1), 1060, "GrantRevoked", "verified"),
      line(k(2), 1059, "GrantRevoked", "pending"),
      line(k(1), 1000, "released", "verified"),
      line(k(2), 1001, "released", "verified"),
      line(k(3), 1002, "released", "verified"),
      line(k(1), 998, "released", "verified"), // the same keeper again: another request
    ]);
    assert.deepEqual(
      rows.map((r) => [r.event.outcome, r.keepers, r.status]),
      [
        ["GrantRevoked", 2, "pending"],
        ["released", 3, "verified"],
        ["released", 1, "verified"],
      ],
    );
  });

  it("browser keys are sealed under the passphrase and bound to their address", async () => {
    const address = "0x3333333333333333333333333333333333333333";
    const secret = utf8Encode("top secret keys");
    const sealed = await sealSecret(secret, "correct horse battery", address, 1000);
    assert.ok(!sealed.cipher.ciphertext.includes(Buffer.from("top secret").toString("hex")));
    assert.equal(Buffer.from(await openSecret(sealed, "correct horse battery", address)).toString(), "top secret keys");
    await expectCode(openSecret(sealed, "wrong horse battery", address), "WrongPassphrase");
    await expectCode(
      openSecret(sealed, "correct horse battery", "0x4444444444444444444444444444444444444444"),
      "WrongPassphrase",
    );
    await expectCode(sealSecret(secret, "short", address), "InvalidInput");
    assert.equal((await sealSecret(secret, "correct horse battery", address)).kdf.iterations, 600_000);
  });
});
