/**
 * The consent commands as a user runs them: grant, grants list, export
 * through a grant, revoke (next read refused), break-glass (role, cap),
 * delegate, and audit --verify, all with --json and typed errors. The
 * clinician role comes from a licence credential of an issuer the
 * consortium accredited.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner } from "../support/cli.ts";
import { FIXTURES, smallSyntheaFile } from "../support/fixtures.ts";
import { accredit } from "../support/identity.ts";
import { CREDENTIAL_TYPES } from "../../src/identity/sdk/index.ts";

describe("medchain consent CLI", () => {
  let t: TestNode;
  const home = tempDir("medchain-home-");
  const cli = cliRunner({ home, node: () => t.node.url });
  before(async () => {
    t = await startTestNode();
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("grant, read through the grant, revoke, and the next read is refused", async () => {
    for (const k of ["alice", "clinic", "er"]) assert.equal((await cli(["key", "new", k, "--json"])).code, 0);
    assert.equal(
      (await cli(["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "alice", "--json"])).code,
      0,
    );
    const g = await cli([
      "grant",
      "clinic",
      "--as",
      "alice",
      "--categories",
      "observations,clinical",
      "--purpose",
      "TREAT",
      "--days",
      "30",
      "--json",
    ]);
    assert.equal(g.code, 0, g.stdout + g.stderr);
    const grantId = String(g.json.grantId);
    const list = await cli(["grants", "list", "--patient", "alice", "--json"]);
    assert.deepEqual(
      (list.json.grants as Array<{ grantId: string; active: boolean; categoryNames: string[] }>).map((x) => [
        x.grantId,
        x.active,
        x.categoryNames,
      ]),
      [[grantId, true, ["clinical", "observations"]]],
    );
    const read = await cli([
      "records",
      "export",
      "--patient",
      "alice",
      "--as",
      "clinic",
      "--grant",
      grantId,
      "--purpose",
      "TREAT",
      "--out",
      `${home}/clinic.json`,
      "--json",
    ]);
    assert.equal(read.code, 0, read.stdout + read.stderr);
    // 48 Observations, 4 DiagnosticReports (observations), 1 Condition, 1 Procedure (clinical)
    assert.equal(read.json.resources, 54);
    assert.equal((await cli(["revoke", grantId, "--as", "alice", "--json"])).code, 0);
    const again = await cli([
      "records",
      "export",
      "--patient",
      "alice",
      "--as",
      "clinic",
      "--grant",
      grantId,
      "--json",
    ]);
    assert.equal(again.code, 1);
    assert.equal(again.json.code, "GrantRevoked");
    // a grant exported as a FHIR Consent and imported again gives the same grant
    const g2 = await cli([
      "grant",
      "clinic",
      "--as",
      "alice",
      "--categories",
      "immunizations,allergies",
      "--purpose",
      "TREAT,PATRQT",
      "--days",
      "10",
      "--json",
    ]);
    assert.equal(g2.code, 0, g2.stdout + g2.stderr);
    const exp = await cli(["consent", "export", "--patient", "alice", "--out", `${home}/consents.json`, "--json"]);
    assert.equal(exp.json.consents, 1);
    const bundle = JSON.parse(readFileSync(`${home}/consents.json`, "utf8")) as { entry: Array<{ resource: unknown }> };
    writeFileSync(`${home}/consent.json`, JSON.stringify(bundle.entry[0]?.resource));
    const imp = await cli(["consent", "import", `${home}/consent.json`, "--as", "alice", "--dry-run", "--json"]);
    assert.equal(imp.code, 0, imp.stdout + imp.stderr);
    assert.deepEqual(imp.json.grants, [
      {
        grantee: g2.json.grantee,
        categories: ["immunizations", "allergies"],
        purposes: ["TREAT", "PATRQT"],
        notBefore: (imp.json.grants as Array<{ notBefore: number }>)[0]?.notBefore,
        expiresAt: g2.json.expiresAt,
      },
    ]);
    const grantsNow = (await t.client.grants({ grantee: g2.json.grantee as `0x${string}` })).find(
      (x) => x.grantId === g2.json.grantId,
    );
    assert.equal((imp.json.grants as Array<{ notBefore: number }>)[0]?.notBefore, grantsNow?.notBefore);
    // a fixture that cannot be expressed is refused, naming the provision
    const notThis = await cli([
      "consent",
      "import",
      `${FIXTURES}/fhir-consent/consent-example-notThis.json`,
      "--as",
      "alice",
      "--dry-run",
      "--json",
    ]);
    assert.equal(notThis.json.code, "UnsupportedConsent");
    assert.deepEqual(notThis.json.details, { provision: "Consent.provision", element: "data" });
    const bad = await cli(["grant", "clinic", "--as", "alice", "--categories", "gossip", "--json"]);
    assert.equal(bad.json.code, "InvalidInput");
  });

  it(
    "break-glass needs a licence from an accredited board, presented " +
      "by the clinician; the patient's audit shows it, verified",
    async () => {
      const denied = await cli(["breakglass", "alice", "--as", "er", "--reason", "anaphylaxis in the ER", "--json"]);
      assert.equal(denied.json.code, "NotClinician");
      // the operator no longer hands out the clinician role
      const operator = await cli(["admin", "role", "clinician", "er", "--data-dir", t.dataDir, "--json"]);
      assert.equal(operator.json.code, "InvalidInput");
      const board = await cli(["key", "new", "board", "--json"]);
      assert.equal(board.code, 0, board.stdout + board.stderr);
      // the consortium votes the board in
      await accredit(t, board.json.address as `0x${string}`, CREDENTIAL_TYPES.ClinicianLicence);
      const issued = await cli([
        "credential",
        "issue",
        "--type",
        "clinician",
        "--subject",
        "er",
        "--as",
        "board",
        "--licence",
        "GMC-7012345",
        "--jurisdiction",
        "GB",
        "--specialty",
        "Emergency medicine",
        "--days",
        "365",
        "--out",
        `${home}/er-licence.jwt`,
        "--json",
      ]);
      assert.equal(issued.code, 0, issued.stdout + issued.stderr);
      const presented = await cli(["credential", "present", `${home}/er-licence.jwt`, "--as", "er", "--json"]);
      assert.equal(presented.code, 0, presented.stdout + presented.stderr);
      const bg = await cli([
        "breakglass",
        "alice",
        "--as",
        "er",
        "--categories",
        "clinical,immunizations",
        "--reason",
        "anaphylaxis in the ER",
        "--json",
      ]);
      assert.equal(bg.code, 0, bg.stdout + bg.stderr);
      const read = await cli([
        "records",
        "export",
        "--patient",
        "alice",
        "--as",
        "er",
        "--grant",
        String(bg.json.grantId),
        "--purpose",
        "ETREAT",
        "--out",
        `${home}/er.json`,
        "--json",
      ]);
      assert.equal(read.code, 0, read.stdout + read.stderr);
      const audit = await cli(["audit", "--patient", "alice", "--as", "alice", "--verify", "--json"]);
      assert.equal(audit.code, 0, audit.stdout + audit.stderr);
      const entries = audit.json.entries as Array<{ status: string; event: { breakGlass: boolean; outcome: string } }>;
      assert.ok(entries.length > 0 && entries.every((e) => e.status === "verified"));
      assert.ok(entries.some((e) => e.event.breakGlass && e.event.outcome === "released"));
      const human = await cli(["audit", "--patient", "alice", "--as", "alice", "--verify"]);
      assert.match(human.stdout, /EMERGENCY/);
      assert.match(human.stdout, /✓ verified/);
      const nosy = await cli(["audit", "--patient", "alice", "--as", "clinic", "--json"]);
      assert.equal(nosy.json.code, "NotPatientOrDelegate");
    },
  );
});
