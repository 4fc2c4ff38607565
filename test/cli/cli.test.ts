/**
 * The `medchain` CLI as a user runs it (child processes against a real
 * node): keys, import, list, export, delete, and bad input. Every bad input
 * gets a typed error (`--json`: `{code, message}`), a non-zero exit code, and
 * stores nothing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner, type CliResult } from "../support/cli.ts";
import { smallSyntheaFile } from "../support/fixtures.ts";

describe("medchain CLI", () => {
  let t: TestNode;
  const home = tempDir("medchain-home-");
  const work = tempDir("medchain-work-");
  const PASS = "correct horse battery staple";

  const cli = cliRunner({ home, node: () => t.node.url, passphrase: PASS });

  function countBlobs(): number {
    const root = join(t.dataDir, "blobs");
    if (!existsSync(root)) return 0;
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .reduce((n, d) => n + readdirSync(join(root, d.name)).filter((f) => !f.startsWith(".")).length, 0);
  }

  async function batchCount(): Promise<number> {
    return (
      await t.node.ctx.db.kysely
        .selectFrom("batches")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n as unknown as number;
  }

  async function expectRefused(args: string[], code: string, env: Record<string, string> = {}): Promise<CliResult> {
    const blobs = countBlobs();
    const batches = Number(await batchCount());
    const r = await cli([...args, "--json"], env);
    assert.notEqual(r.code, 0, `exit code for ${code}`);
    assert.equal(r.json.code, code, `${args.join(" ")} -> ${r.stdout}${r.stderr}`);
    assert.equal(typeof r.json.message, "string");
    assert.ok(!String(r.json.message).includes("\n"), "one-line message");
    assert.equal(countBlobs(), blobs, "no blob stored");
    assert.equal(Number(await batchCount()), batches, "no batch registered");
    return r;
  }

  let batchId = "";

  before(async () => {
    t = await startTestNode();
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("key new creates a key, publishes its encryption key gaslessly and prints name, address, DID, key", async () => {
    const r = await cli(["key", "new", "alice", "--json"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(r.json.name, "alice");
    assert.match(String(r.json.address), /^0x[0-9a-f]{40}$/);
    assert.match(String(r.json.did), /^did:pkh:eip155:31337:0x[0-9a-fA-F]{40}$/);
    const onChain = await t.client.account(r.json.address as `0x${string}`);
    assert.equal(onChain.encryptionKey, r.json.encryptionKey);
    assert.equal((await cli(["key", "new", "clinic", "--json"])).code, 0);
    const human = await cli(["key", "show", "alice"]);
    assert.match(human.stdout, /address\s+0x[0-9a-f]{40}/);
  });

  it("the whole flow: authorize, import, list, export, delete", async () => {
    assert.equal((await cli(["records", "authorize", "clinic", "--as", "alice", "--json"])).code, 0);
    const imp = await cli(["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "clinic", "--json"]);
    assert.equal(imp.code, 0, imp.stdout + imp.stderr);
    assert.equal(imp.json.resources, 70);
    assert.equal(imp.json.status, "imported");
    batchId = String(imp.json.batchId);
    const list = await cli(["records", "list", "--patient", "alice", "--json"]);
    assert.deepEqual(
      (list.json.batches as Array<{ batchId: string }>).map((b) => b.batchId),
      [batchId],
    );
    const out = join(work, "export.json");
    const exp = await cli(["records", "export", "--patient", "alice", "--as", "alice", "--out", out, "--json"]);
    assert.equal(exp.code, 0, exp.stdout + exp.stderr);
    assert.equal(exp.json.resources, 70);
    const bundle = JSON.parse(readFileSync(out, "utf8")) as { resourceType: string; entry: unknown[] };
    assert.equal(bundle.resourceType, "Bundle");
    assert.equal(bundle.entry.length, 70);
  });

  it("bad input: typed error, non-zero exit, nothing stored", async () => {
    const notJson = join(work, "not.json");
    writeFileSync(notJson, "this is { not json");
    await expectRefused(["records", "import", notJson, "--patient", "alice", "--as", "clinic"], "NotFhirBundle");
    const notFhir = join(work, "notfhir.json");
    writeFileSync(notFhir, JSON.stringify({ hello: "world" }));
    await expectRefused(["records", "import", notFhir, "--patient", "alice", "--as", "clinic"], "NotFhirBundle");
    const badType = join(work, "bad-type.json");
    const b = JSON.parse(readFileSync(smallSyntheaFile(), "utf8")) as {
      entry: Array<{ resource: { resourceType: string } }>;
    };
    (b.entry[5] as { resource: { resourceType: string } }).resource.resourceType = "Martian";
    writeFileSync(badType, JSON.stringify(b));
    const r = await expectRefused(
      ["records", "import", badType, "--patient", "alice", "--as", "clinic"],
      "InvalidFhir",
    );
    assert.deepEqual(r.json.details, { path: "Bundle.entry[5].resource.resourceType" });
    await expectRefused(
      ["records", "import", join(work, "missing.json"), "--patient", "alice", "--as", "clinic"],
      "InvalidInput",
    );
    await expectRefused(
      ["records", "import", smallSyntheaFile(), "--patient", "nobody", "--as", "clinic"],
      "UnknownPatient",
    );
    await expectRefused(
      [
        "records",
        "import",
        smallSyntheaFile(),
        "--patient",
        "0x000000000000000000000000000000000000dEaD",
        "--as",
        "clinic",
      ],
      "UnknownPatient",
    );
    await expectRefused(
      ["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "ghost"],
      "KeyNotFound",
    );
    await expectRefused(
      ["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "clinic"],
      "WrongPassphrase",
      { MEDCHAIN_PASSPHRASE: "not the passphrase" },
    );
    await expectRefused(
      ["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "clinic"],
      "NodeUnreachable",
      { MEDCHAIN_NODE: "http://127.0.0.1:9" },
    );
    await expectRefused(["records", "delete", "0x1234", "--as", "alice"], "InvalidInput");
    // key new against an unreachable node keeps no key
    await expectRefused(["key", "new", "bob"], "NodeUnreachable", { MEDCHAIN_NODE: "http://127.0.0.1:9" });
    assert.equal(existsSync(join(home, "keys", "bob.json")), false);
    // unknown option, as JSON too
    await expectRefused(["records", "list", "--patient", "alice", "--bogus"], "InvalidInput");
  });

  it("without --json, errors are one line on stderr with the code", async () => {
    const r = await cli(["records", "export", "--patient", "alice", "--as", "ghost"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error \[KeyNotFound\]: no key named "ghost"/);
    assert.equal(r.stdout, "");
  });

  it("delete erases the batch; export of it then fails with RecordErased", async () => {
    const del = await cli(["records", "delete", batchId, "--as", "alice", "--json"]);
    assert.equal(del.code, 0, del.stdout + del.stderr);
    assert.equal(del.json.erased, true);
    const again = await cli(["records", "export", "--patient", "alice", "--as", "alice", "--batch", batchId, "--json"]);
    assert.equal(again.code, 1);
    assert.equal(again.json.code, "RecordErased");
  });

  it("--help lists the commands", async () => {
    const r = await cli(["--help"]);
    assert.equal(r.code, 0);
    for (const c of ["start", "key", "records"]) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });
});
