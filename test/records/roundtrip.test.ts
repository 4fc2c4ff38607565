/**
 * Records end to end on a real node: every Synthea fixture round-trips
 * (import by a clinic, export by the patient and by the author), only the
 * patient and the author can decrypt, and nothing from the records reaches
 * the chain in the clear (calldata and logs of every transaction scanned).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { hexToBytes, type Hex } from "viem";
import { expectCode } from "../support/assertions.ts";
import { importBundle, type ImportBundleResult } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { canonicalJson } from "../../src/kernel/crypto/canonical.ts";
import { utf8Decode } from "../../src/kernel/crypto/bytes.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { startTestNode, newIdentity, newKeys, type TestNode } from "../support/testNode.ts";
import { syntheaPatientFiles } from "../support/fixtures.ts";

interface Fixture {
  file: string;
  bundle: { entry: Array<{ resource: Record<string, unknown>; fullUrl?: string }> };
}

const fixtures: Fixture[] = syntheaPatientFiles().map((file) => ({
  file,
  bundle: JSON.parse(readFileSync(file, "utf8")) as Fixture["bundle"],
}));

function canon(v: unknown): string {
  return utf8Decode(canonicalJson(v));
}

/**
 * Strings from the records that must never reach the chain
 * (docs/architecture/records-and-keys.md, "What reaches the chain").
 */
function sensitiveStrings(bundles: Fixture["bundle"][]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, key: string): void => {
    if (typeof v === "string") {
      if (["display", "family", "given", "text", "birthDate", "value", "id", "line", "city"].includes(key)) out.add(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const b of bundles)
    for (const e of b.entry) {
      const r = e.resource;
      if (typeof r.id === "string") out.add(r.id);
      if (r.resourceType === "Patient")
        walk({ name: r.name, birthDate: r.birthDate, identifier: r.identifier, address: r.address }, "");
      walk(r.identifier, "identifier");
      walk(r.code, "code");
      walk(r, "");
    }
  // Very short strings would match random bytes by chance; 5+ bytes cannot (and names come with their full forms too).
  return new Set([...out].filter((s) => new TextEncoder().encode(s).length >= 5 && !/^[0-9.]+$/.test(s)));
}

describe("records: import, export, access, no plaintext on chain", () => {
  let t: TestNode;
  let patient: RecordKeys;
  let clinic: RecordKeys;
  const imported: Array<{ fx: Fixture; result: ImportBundleResult }> = [];

  before(async () => {
    t = await startTestNode();
    patient = await newIdentity(t.client);
    clinic = await newIdentity(t.client);
    await authorizeWriter(t.client, patient, clinic.account.address);
    for (const fx of fixtures) {
      imported.push({
        fx,
        result: await importBundle({
          node: t.client,
          bundle: fx.bundle,
          owner: patient.account.address,
          author: clinic,
        }),
      });
    }
  });
  after(async () => t?.close());

  it("imports all six Synthea bundles, each as one batch with every resource", () => {
    assert.equal(imported.length, 6);
    for (const { fx, result } of imported) {
      assert.equal(result.status, "imported");
      assert.equal(result.resources, fx.bundle.entry.length);
    }
  });

  it("the patient's export holds exactly the imported resources (ids, fullUrls and references preserved)", async () => {
    const r = await exportRecord({ node: t.client, reader: patient, owner: patient.account.address });
    const got = (r.bundle.entry ?? []).map((e) => canon({ fullUrl: e.fullUrl, resource: e.resource })).sort();
    const want = fixtures
      .flatMap((fx) => fx.bundle.entry.map((e) => canon({ fullUrl: e.fullUrl, resource: e.resource })))
      .sort();
    assert.equal(got.length, want.length);
    assert.deepEqual(got, want);
    assert.equal(r.batches.length, 6);
  });

  it("each bundle round-trips on its own, for the patient and for the authoring clinic", async () => {
    for (const { fx, result } of imported) {
      for (const reader of [patient, clinic]) {
        const r = await exportRecord({
          node: t.client,
          reader,
          owner: patient.account.address,
          batchIds: [result.batchId],
        });
        const got = (r.bundle.entry ?? []).map((e) => canon(e.resource)).sort();
        const want = fx.bundle.entry.map((e) => canon(e.resource)).sort();
        assert.deepEqual(got, want, fx.file);
      }
    }
  });

  it("a third key gets AccessDenied, for the whole record and for one batch", async () => {
    const stranger = await newKeys();
    await expectCode(
      exportRecord({ node: t.client, reader: stranger, owner: patient.account.address }),
      "AccessDenied",
    );
    await expectCode(
      exportRecord({
        node: t.client,
        reader: stranger,
        owner: patient.account.address,
        batchIds: [imported[0]?.result.batchId ?? "0x"],
      }),
      "AccessDenied",
    );
  });

  it("an author the patient did not authorize is refused with NotWriter before anything is registered", async () => {
    const rogue = await newIdentity(t.client);
    const before = await t.client.listBatches(patient.account.address);
    await expectCode(
      importBundle({ node: t.client, bundle: fixtures[0]?.bundle, owner: patient.account.address, author: rogue }),
      "NotWriter",
    );
    assert.equal((await t.client.listBatches(patient.account.address)).length, before.length);
  });

  it("importing the same bundle again by the same author registers nothing new", async () => {
    const again = await importBundle({
      node: t.client,
      bundle: fixtures[0]?.bundle,
      owner: patient.account.address,
      author: clinic,
    });
    assert.equal(again.status, "exists");
    assert.equal(again.batchId, imported[0]?.result.batchId);
    assert.equal((await t.client.listBatches(patient.account.address)).length, 6);
  });

  it("no name, birth date, identifier, resource id or display string appears in any calldata or log", async () => {
    const needles = sensitiveStrings(fixtures.map((f) => f.bundle));
    assert.ok(needles.size > 1000, `expected many needles, got ${needles.size}`);
    const client = t.node.ctx.client;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const chunks: string[] = [];
    let txs = 0;
    for (let n = 0n; n <= head; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        txs += 1;
        chunks.push(tx.input.slice(2));
        const receipt = await client.getTransactionReceipt({ hash: tx.hash });
        for (const log of receipt.logs) chunks.push(log.data.slice(2), ...log.topics.map((x: Hex) => x.slice(2)));
      }
    }
    assert.ok(txs >= 10, "the scenario produced transactions");
    const hay = Buffer.from(chunks.join(""), "hex");
    assert.ok(hay.length > 1000);
    // Positive control: what we do put on chain (a batch id) is found by the same scan.
    assert.ok(
      hay.includes(Buffer.from(hexToBytes(imported[0]?.result.batchId ?? "0x"))),
      "the scan sees on-chain data",
    );
    const found: string[] = [];
    for (const s of needles) {
      const forms = [Buffer.from(s, "utf8")];
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s))
        forms.push(Buffer.from(hexToBytes(`0x${s.replaceAll("-", "")}`)));
      if (forms.some((f) => hay.includes(f))) found.push(s.length > 3 ? `${s.slice(0, 3)}…` : "…");
    }
    assert.deepEqual(found, [], `plaintext found on chain (${found.length} strings)`);
  });
});
