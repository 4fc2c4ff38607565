/**
 * Acceptance 1 of the identity issue, end to end with the CLI on a real node
 * (shortened governance periods): the consortium accredits a medical board by
 * proposal, vote and timelock (executing before the timelock is refused with
 * `TimelockNotReady`); the board issues a clinician licence; the clinician
 * presents it and gains the clinician role; break-glass works; the board
 * revokes the licence; the role is gone at once and break-glass is refused
 * with `CredentialRevoked`. Also: a replayed presentation is refused with
 * `PresentationReplayed`, a non-accredited issuer cannot register a
 * credential (`CredentialIssuerNotAccredited`), and no claim of the licence
 * reaches the chain.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { encodeFunctionData, toHex } from "viem";
import { trustRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { createPresentation } from "../../src/identity/sdk/index.ts";
import { credentialIdOfJwt, issueAndRegister } from "../../src/identity/sdk/credentialClient.ts";
import { signRelay } from "../../src/kernel/relay/relayCall.ts";
import { unlockKey } from "../../src/cli/keystore.ts";
import { startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner } from "../support/cli.ts";
import { waitForProposal } from "../support/identity.ts";
import { expectCode } from "../support/assertions.ts";

const PASSPHRASE = "correct horse battery staple";
const GOVERNANCE = { votingDelaySeconds: 1, votingPeriodSeconds: 15, timelockDelaySeconds: 10, quorumPercent: 50 };
const LICENCE = { number: "GMC-7012345", jurisdiction: "GB", specialty: "Emergency medicine" };

describe("identity end to end: accredit by vote and timelock, licence, role, break-glass, revoke", () => {
  let t: TestNode;
  const home = tempDir("medchain-home-");
  const dataDir = tempDir();
  const cli = cliRunner({ home, node: () => t.node.url, passphrase: PASSPHRASE });
  const ok = async (args: string[]): Promise<Record<string, unknown>> => {
    const r = await cli([...args, "--json"]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const refused = async (args: string[], code: string): Promise<void> => {
    const r = await cli([...args, "--json"]);
    assert.equal(r.code, 1, `${args.join(" ")} should fail: ${r.stdout}${r.stderr}`);
    assert.equal(r.json.code, code, r.stdout);
  };
  const address: Record<string, `0x${string}`> = {};

  before(async () => {
    t = await startTestNode({ dataDir, governance: GOVERNANCE });
    for (const name of ["member1", "member2", "board", "rogue", "er", "er2", "alice"]) {
      address[name] = (await ok(["key", "new", name])).address as `0x${string}`;
    }
    await ok(["admin", "genesis", "member1", "member2", "--data-dir", t.dataDir]);
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the consortium accredits the board only through proposal, vote and timelock", async () => {
    await refused(["gov", "propose", "accredit", "board", "--type", "clinician", "--as", "rogue"], "NotMember");
    const proposed = await ok(["gov", "propose", "accredit", "board", "--type", "clinician", "--as", "member1"]);
    const id = String(proposed.proposalId);
    await waitForProposal(t.client, id, (p) => p.state === "Active");
    await ok(["gov", "vote", id, "for", "--as", "member1"]);
    await ok(["gov", "vote", id, "for", "--as", "member2"]);
    const status = await ok(["gov", "status", id]);
    assert.deepEqual(status.votes, { for: 2, against: 0, abstain: 0 });
    await waitForProposal(t.client, id, (p) => p.state === "Succeeded");
    const queued = await ok(["gov", "queue", id]);
    assert.equal(queued.state, "Queued");
    await refused(["gov", "execute", id], "TimelockNotReady");
    assert.deepEqual((await ok(["trust", "list"])).issuers, []);
    // wait until the chain's clock has passed the timelock's eta, then anyone may execute
    const eta = Number(queued.eta);
    while ((await t.node.ctx.client.getBlock({ blockTag: "pending" })).timestamp < BigInt(eta))
      await new Promise((r) => setTimeout(r, 250));
    const executed = await ok(["gov", "execute", id]);
    assert.equal(executed.state, "Executed");
    const issuers = (await ok(["trust", "list"])).issuers as Array<{ issuer: string; type: string }>;
    assert.deepEqual(
      issuers.map((i) => [i.issuer, i.type]),
      [[address.board, "ClinicianLicenceCredential"]],
    );
  });

  it("credential issue checks each type's claims before anything is signed or stored", async () => {
    await refused(
      [
        "credential",
        "issue",
        "--type",
        "trading-partner",
        "--subject",
        "er",
        "--as",
        "board",
        "--company-prefix",
        "030001",
        "--role",
        "wholesaler",
      ],
      "InvalidInput",
    );
    await refused(
      [
        "credential",
        "issue",
        "--type",
        "trading-partner",
        "--subject",
        "er",
        "--as",
        "board",
        "--gln",
        "0300011111117",
        "--company-prefix",
        "030001",
        "--role",
        "wholesaler",
      ],
      "InvalidCredential",
    );
    await refused(
      ["credential", "issue", "--type", "ethics", "--subject", "er", "--as", "board", "--committee", "REC"],
      "InvalidInput",
    );
    await refused(["credential", "issue", "--type", "dentist", "--subject", "er", "--as", "board"], "InvalidInput");
  });

  it("a non-accredited issuer cannot register a licence", async () => {
    await refused(
      [
        "credential",
        "issue",
        "--type",
        "clinician",
        "--subject",
        "er",
        "--as",
        "rogue",
        "--licence",
        "FAKE-1",
        "--jurisdiction",
        "GB",
        "--specialty",
        "Surgery",
        "--out",
        `${home}/fake.jwt`,
      ],
      "CredentialIssuerNotAccredited",
    );
  });

  it("the board's licence gives the clinician the role; break-glass works; revocation ends both at once", async () => {
    await refused(["breakglass", "alice", "--as", "er", "--reason", "anaphylaxis in the ER"], "NotClinician");
    const issued = await ok([
      "credential",
      "issue",
      "--type",
      "clinician",
      "--subject",
      "er",
      "--as",
      "board",
      "--licence",
      LICENCE.number,
      "--jurisdiction",
      LICENCE.jurisdiction,
      "--specialty",
      LICENCE.specialty,
      "--days",
      "365",
      "--out",
      `${home}/er.jwt`,
    ]);
    const credentialId = String(issued.credentialId);
    const verified = await ok(["credential", "verify", `${home}/er.jwt`]);
    assert.equal(verified.registry, "Valid");
    assert.deepEqual(verified.claims, {
      licenceNumber: LICENCE.number,
      jurisdiction: LICENCE.jurisdiction,
      specialty: LICENCE.specialty,
    });
    // someone else cannot present the clinician's licence
    await refused(["credential", "present", `${home}/er.jwt`, "--as", "er2"], "NotCredentialSubject");

    const presented = await ok(["credential", "present", `${home}/er.jwt`, "--as", "er"]);
    assert.deepEqual(presented.roles, [
      {
        type: "ClinicianLicenceCredential",
        credentialId,
        txHash: (presented.roles as Array<{ txHash: string }>)[0]?.txHash,
      },
    ]);
    const roles = await ok(["trust", "roles", "er"]);
    assert.deepEqual(
      (roles.roles as Array<{ status: string; valid: boolean }>).map((r) => [r.status, r.valid]),
      [["Valid", true]],
    );
    const bg = await ok([
      "breakglass",
      "alice",
      "--as",
      "er",
      "--categories",
      "clinical,allergies",
      "--reason",
      "anaphylaxis in the ER",
    ]);
    assert.match(String(bg.grantId), /^[0-9]+$/);

    await refused(["credential", "revoke", credentialId, "--as", "er"], "NotCredentialIssuer");
    await ok(["credential", "revoke", credentialId, "--as", "board"]);
    const after = await ok(["trust", "roles", "er"]);
    assert.deepEqual(
      (after.roles as Array<{ status: string; valid: boolean }>).map((r) => [r.status, r.valid]),
      [["Revoked", false]],
    );
    await refused(["breakglass", "alice", "--as", "er", "--reason", "anaphylaxis in the ER"], "CredentialRevoked");
    await refused(["credential", "verify", `${home}/er.jwt`], "CredentialRevoked");
    await refused(["credential", "present", `${home}/er.jwt`, "--as", "er"], "CredentialRevoked");
  });

  it("a replayed presentation is refused with PresentationReplayed", async () => {
    process.env.MEDCHAIN_HOME = home; // the CLI's keystore
    const board = unlockKey("board", PASSPHRASE).account;
    const er2 = unlockKey("er2", PASSPHRASE).account;
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const licence = await issueAndRegister(t.client, board, {
      type: "ClinicianLicenceCredential",
      subject: er2.address,
      claims: { licenceNumber: "GMC-7099999", jurisdiction: "GB", specialty: "Anaesthetics" },
      validFrom: now,
      validUntil: new Date(now.getTime() + 30 * 86400_000),
    });
    const { chainId, contracts } = await t.client.network();
    const { challenge, domain } = await t.client.credentialChallenge();
    const presentation = await createPresentation({
      holder: er2,
      chainId,
      credentials: [licence.jwt],
      challenge,
      domain,
    });
    const claim = await signRelay(
      t.client,
      er2,
      contracts.trustRegistry,
      encodeFunctionData({ abi: trustRegistryAbi, functionName: "claimRole", args: [credentialIdOfJwt(licence.jwt)] }),
    );
    const first = await t.client.presentCredentials({ presentation, claims: [claim] });
    assert.equal(first.holder, er2.address.toLowerCase());
    await expectCode(t.client.presentCredentials({ presentation, claims: [claim] }), "PresentationReplayed");
    // a presentation over a challenge this node never issued is refused too
    const forged = await createPresentation({
      holder: er2,
      chainId,
      credentials: [licence.jwt],
      challenge: "not-a-challenge-of-this-node",
      domain,
    });
    await expectCode(
      t.client.presentCredentials({ presentation: forged, claims: [claim] }),
      "PresentationChallengeMismatch",
    );
  });

  it("no claim of a licence reaches the chain (only ids, addresses and validity)", async () => {
    const client = t.node.ctx.client;
    const head = await client.getBlockNumber();
    const needles = [LICENCE.number, LICENCE.specialty, "GMC-7099999", "Anaesthetics"].map((s) => toHex(s).slice(2));
    for (let n = BigInt(t.node.ctx.deployment.deployedAtBlock); n <= head; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        for (const needle of needles) assert.ok(!tx.input.includes(needle), `block ${n} carries a licence claim`);
      }
    }
    assert.ok(readFileSync(`${home}/er.jwt`, "utf8").startsWith("ey"), "the licence itself stays with its holder");
  });

  it(
    "the identity index (issuers, roles, members, proposals, " + "votes) rebuilds from the chain to the same state",
    async () => {
      const snapshot = async (): Promise<unknown> => ({
        issuers: await t.client.trustIssuers(),
        er: await t.client.trustRoles(address.er ?? "0x"),
        er2: await t.client.trustRoles(address.er2 ?? "0x"),
        gov: await t.client.govStatus(),
      });
      const before = await snapshot();
      await t.node.close();
      t = await startTestNode({ dataDir, reindex: true, governance: GOVERNANCE });
      assert.deepEqual(await snapshot(), before);
    },
  );
});
