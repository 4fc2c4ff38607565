/**
 * Consent end to end on a real node: a patient grants a clinic her
 * observations and conditions for treatment for 30 days, the clinic reads
 * them, she revokes and the next read is refused; a guardian manages an
 * infant's record; break-glass by a clinician is narrow, short, logged as an
 * emergency and shown to the patient; the patient lists every access, newest
 * first, and each entry verifies against its anchored root on chain.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { categoryMask } from "../../src/kernel/categories.ts";
import { breakGlass, grantAccess, revokeGrant, setDelegate } from "../../src/consent/sdk/grants.ts";
import { readAudit } from "../../src/audit/sdk/readAudit.ts";
import { AUDIT_QUERY_TYPES, auditLeaf, type AuditEvent } from "../../src/audit/sdk/auditEvent.ts";
import { keyReleaseDomain, type KeeperInfo } from "../../src/keeper/sdk/schemas.ts";
import { verifyMerkleProof } from "../../src/kernel/crypto/merkle.ts";
import { randomBytes, toHex } from "../../src/kernel/crypto/bytes.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { expectCode } from "../support/assertions.ts";
import { licenseClinician } from "../support/identity.ts";
import { FIXTURES, readJson, smallSyntheaFile, syntheaPatientFiles } from "../support/fixtures.ts";

const DAY = 86400;
const now = (): number => Math.floor(Date.now() / 1000);

describe("consent: grant, read, revoke, guardian, break-glass, audit", () => {
  let t: TestNode;
  let alice: RecordKeys, clinic: RecordKeys, lab: RecordKeys;
  before(async () => {
    t = await startTestNode();
    [alice, clinic, lab] = (await Promise.all([
      newIdentity(t.client),
      newIdentity(t.client),
      newIdentity(t.client),
    ])) as [RecordKeys, RecordKeys, RecordKeys];
    await authorizeWriter(t.client, alice, lab.account.address);
    await importBundle({
      node: t.client,
      bundle: readJson(smallSyntheaFile()),
      owner: alice.account.address,
      author: lab,
    });
  });
  after(async () => t?.close());

  it(
    "grant for 30 days: the clinic reads observations and " + "conditions; after revoke the next read is refused",
    async () => {
      const access = { purpose: "TREAT" as const, categories: categoryMask(["observations", "clinical"]) };
      const { grantId } = await grantAccess(t.client, alice.account, {
        patient: alice.account.address,
        grantee: clinic.account.address,
        categories: ["observations", "clinical"],
        purposes: ["TREAT"],
        expiresAt: now() + 30 * DAY,
      });
      const listed = await t.client.grants({ patient: alice.account.address });
      assert.deepEqual(
        listed.map((g) => [g.grantId, g.active, g.breakGlass]),
        [[grantId, true, false]],
      );
      const r = await exportRecord({
        node: t.client,
        reader: clinic,
        owner: alice.account.address,
        access: { ...access, grantId },
      });
      const types = (r.bundle.entry ?? []).map((e) => e.resource?.resourceType);
      assert.equal(types.filter((x) => x === "Observation").length, 48);
      assert.equal(types.filter((x) => x === "Condition").length, 1);
      assert.ok(!types.includes("Patient"));
      await revokeGrant(t.client, alice.account, grantId);
      await expectCode(
        exportRecord({ node: t.client, reader: clinic, owner: alice.account.address, access: { ...access, grantId } }),
        "GrantRevoked",
      );
      // only the patient (or her delegate) changes her grants
      await expectCode(revokeGrant(t.client, clinic.account, grantId), "NotPatientOrDelegate");
    },
  );

  it("a guardian manages an infant's record", async () => {
    const infant = await newIdentity(t.client);
    const parent = await newIdentity(t.client);
    const pediatrician = await newIdentity(t.client);
    await authorizeWriter(t.client, infant, lab.account.address);
    const luigi = syntheaPatientFiles().find((f) => f.includes("Luigi")) ?? "";
    await importBundle({ node: t.client, bundle: readJson(luigi), owner: infant.account.address, author: lab });
    // before delegation, the parent cannot grant for the infant
    await expectCode(
      grantAccess(t.client, parent.account, {
        patient: infant.account.address,
        grantee: pediatrician.account.address,
        categories: ["immunizations"],
        purposes: ["TREAT"],
        expiresAt: now() + DAY,
      }),
      "NotPatientOrDelegate",
    );
    await setDelegate(t.client, infant.account, parent.account.address, true);
    const { grantId } = await grantAccess(t.client, parent.account, {
      patient: infant.account.address,
      grantee: pediatrician.account.address,
      categories: ["immunizations"],
      purposes: ["TREAT"],
      expiresAt: now() + DAY,
    });
    const r = await exportRecord({
      node: t.client,
      reader: pediatrician,
      owner: infant.account.address,
      access: { grantId, purpose: "TREAT", categories: categoryMask(["immunizations"]) },
    });
    assert.equal((r.bundle.entry ?? []).length, 12);
    assert.ok((r.bundle.entry ?? []).every((e) => e.resource?.resourceType === "Immunization"));
    // the guardian reads the infant's access log too
    const log = await readAudit(t.client, parent, infant.account.address, { verify: true });
    assert.ok(log.lines.length >= 2 && log.lines.every((l) => l.status === "verified"));
  });

  it(
    "break-glass needs the clinician role, stays within " + "its cap, is short, and is flagged in the patient's log",
    async () => {
      const er = await newIdentity(t.client);
      await expectCode(
        breakGlass(t.client, er.account, alice.account.address, ["clinical"], "cardiac arrest in the ER"),
        "NotClinician",
      );
      await licenseClinician(t, er); // an accredited medical board's licence, presented by the clinician
      await expectCode(
        breakGlass(t.client, er.account, alice.account.address, ["financial"], "cardiac arrest in the ER"),
        "BreakGlassExceedsCap",
      );
      await expectCode(breakGlass(t.client, er.account, alice.account.address, ["clinical"], "x"), "InvalidInput");
      const net = await t.client.network();
      const bg = await breakGlass(
        t.client,
        er.account,
        alice.account.address,
        ["clinical", "immunizations"],
        "cardiac arrest in the ER",
      );
      assert.ok(
        bg.expiresAt - now() <= net.breakGlass.durationSeconds &&
          bg.expiresAt - now() > net.breakGlass.durationSeconds - 120,
      );
      const r = await exportRecord({
        node: t.client,
        reader: er,
        owner: alice.account.address,
        access: { grantId: bg.grantId, purpose: "ETREAT", categories: categoryMask(["clinical", "immunizations"]) },
      });
      assert.deepEqual([...new Set((r.bundle.entry ?? []).map((e) => e.resource?.resourceType))].sort(), [
        "Condition",
        "Immunization",
        "Procedure",
      ]);
      const listed = (await t.client.grants({ patient: alice.account.address })).find((g) => g.grantId === bg.grantId);
      assert.equal(listed?.breakGlass, true);
      const log = await readAudit(t.client, alice, alice.account.address, { verify: true });
      const emergency = log.lines.filter(
        (l) => l.event.breakGlass && l.event.requester === er.account.address.toLowerCase(),
      );
      assert.ok(
        emergency.length >= 2 && emergency.every((l) => l.event.outcome === "released" && l.event.purpose === "ETREAT"),
      );
    },
  );

  it(
    "the patient lists every access newest first, each verified " +
      "against its anchored root; others cannot read her log",
    async () => {
      const log = await readAudit(t.client, alice, alice.account.address, { verify: true });
      assert.equal(log.keepersAnswered, 3);
      assert.ok(log.lines.length > 5);
      assert.ok(
        log.lines.every((l) => l.status === "verified"),
        JSON.stringify(log.lines.filter((l) => l.status !== "verified").map((l) => l.status)),
      );
      for (let i = 1; i < log.lines.length; i++)
        assert.ok((log.lines[i - 1]?.event.at ?? 0) >= (log.lines[i]?.event.at ?? 0), "newest first");
      assert.ok(
        log.lines.some((l) => l.event.outcome === "GrantRevoked"),
        "refusals are logged too",
      );
      assert.ok(
        log.lines.some(
          (l) => l.event.requester === clinic.account.address.toLowerCase() && l.event.outcome === "released",
        ),
      );
      await expectCode(readAudit(t.client, clinic, alice.account.address), "NotPatientOrDelegate");
    },
  );

  it(
    "FHIR routes: a Consent maps to grants or is refused with an " +
      "OperationOutcome naming the provision; grants export as Consents",
    async () => {
      const notThis = readFileSync(`${FIXTURES}/fhir-consent/consent-example-notThis.json`, "utf8");
      const refused = await fetch(`${t.node.url}/fhir/Consent/$map?patient=${alice.account.address}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: notThis,
      });
      assert.equal(refused.status, 422);
      assert.match(String(refused.headers.get("content-type")), /application\/fhir\+json/);
      const oo = (await refused.json()) as {
        resourceType: string;
        issue: Array<{ code: string; diagnostics: string; expression: string[] }>;
      };
      assert.equal(oo.resourceType, "OperationOutcome");
      assert.deepEqual(
        [oo.issue[0]?.code, oo.issue[0]?.diagnostics, oo.issue[0]?.expression],
        ["not-supported", "UnsupportedConsent", ["Consent.provision"]],
      );
      const { grantId } = await grantAccess(t.client, alice.account, {
        patient: alice.account.address,
        grantee: lab.account.address,
        categories: ["allergies"],
        purposes: ["TREAT"],
        expiresAt: now() + DAY,
      });
      const bundle = (await (await fetch(`${t.node.url}/fhir/Consent?patient=${alice.account.address}`)).json()) as {
        resourceType: string;
        entry: Array<{ resource: { resourceType: string; identifier?: Array<{ value: string }> } }>;
      };
      const mine = bundle.entry.find((e) => e.resource.identifier?.some((i) => i.value.endsWith(`:${grantId}`)));
      assert.equal(mine?.resource.resourceType, "Consent");
      const mapped = await fetch(`${t.node.url}/fhir/Consent/$map?patient=${alice.account.address}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(mine?.resource),
      });
      assert.equal(mapped.status, 200);
      const back = (await mapped.json()) as {
        grants: Array<{ grantee: string; categories: string[]; purposes: string[] }>;
      };
      assert.deepEqual(
        back.grants.map((g) => [g.grantee, g.categories, g.purposes]),
        [[lab.account.address.toLowerCase(), ["allergies"], ["TREAT"]]],
      );
    },
  );

  it(
    "every access of the scenario is in the log, and altering " + "any field of a logged event makes verification fail",
    async () => {
      // the scenario's accesses, as the keepers decided them: count releases per requester in the keepers' own logs
      const decided = t.node.ctx.keepers.flatMap((k) => k.auditFor(alice.account.address)).length;
      const log = await readAudit(t.client, alice, alice.account.address, { verify: true });
      assert.equal(log.lines.length, decided, "every decision is listed");
      const net = await t.client.network();
      const query = {
        requester: alice.account.address.toLowerCase() as `0x${string}`,
        patient: alice.account.address.toLowerCase() as `0x${string}`,
        nonce: toHex(randomBytes(32)),
        expiresAt: now() + 60,
      };
      const signature = await alice.account.signTypedData({
        domain: keyReleaseDomain(net.chainId, net.contracts.consentRegistry),
        types: AUDIT_QUERY_TYPES,
        primaryType: "AuditQuery",
        message: { ...query, expiresAt: BigInt(query.expiresAt) },
      });
      const entries = await t.client.keeperAudit(net.keepers[0] as KeeperInfo, { query, signature });
      const entry = entries.find((e) => e.anchor !== null);
      assert.ok(entry?.anchor, "an anchored entry");
      assert.equal(verifyMerkleProof(entry.anchor.root, auditLeaf(entry.event), entry.anchor.proof), true);
      const alter = (v: unknown): unknown =>
        typeof v === "number"
          ? v + 1
          : typeof v === "boolean"
            ? !v
            : typeof v === "string" && v.startsWith("0x")
              ? `${v.slice(0, -1)}${v.endsWith("0") ? "1" : "0"}`
              : `${String(v)}x`;
      for (const field of Object.keys(entry.event) as Array<keyof AuditEvent>) {
        const tampered = { ...entry.event, [field]: alter(entry.event[field]) } as AuditEvent;
        assert.equal(
          verifyMerkleProof(entry.anchor.root, auditLeaf(tampered), entry.anchor.proof),
          false,
          `altered ${field} still verifies`,
        );
      }
    },
  );
});
