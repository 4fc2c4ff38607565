/**
 * The indexer's one failure policy, on a real node. (i) The attack: an
 * anonymous key appends to its own record a batch whose manifest blob is not
 * JSON (and one whose JSON is not a manifest); the events are refused with
 * their reason, and the next user's key publication and record import
 * succeed, the index reaches the head, /health stays `ok`. (ii) A transient
 * fault (the blob store's reads fail: a test double around the real
 * FsBlobStore) is retried, never refused: /health says `degraded` with the
 * reason while it lasts (the failing indexer, then the lag), the writes wait,
 * and after recovery the record batch and a supply batch are indexed as valid
 * and /health is `ok` again. Plus the backoff policy and the health policy's
 * configuration, as units.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeFunctionData, keccak256 } from "viem";
import { recordRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { MedchainError } from "../../src/kernel/errors.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { publishEncryptionKey } from "../../src/accounts/sdk/publishEncryptionKey.ts";
import { captureDocument } from "../../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { cidDigestHex, cidOf } from "../../src/kernel/crypto/cid.ts";
import { utf8Encode } from "../../src/kernel/crypto/bytes.ts";
import type { BlobStore } from "../../src/node/blobstore/blobStore.ts";
import { zHealth, type Health } from "../../src/kernel/network.ts";
import { DEFAULT_HEALTH_POLICY, resolveHealthPolicy } from "../../src/node/api/health.ts";
import { backoffDelay, DEFAULT_RETRY, isMalformedContent, MalformedContent } from "../../src/node/indexerPolicy.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, newKeys, startTestNode, type TestNode } from "../support/testNode.ts";
import { readJson, smallSyntheaFile, syntheaPatientFiles } from "../support/fixtures.ts";

/** The real blob store with a switch that makes every read fail as an unavailable store does. */
function faultyReads(inner: BlobStore, fault: { reads: boolean; failed: number }): BlobStore {
  const unavailable = (): MedchainError =>
    new MedchainError("StorageUnavailable", "blob store get failed (injected fault)");
  return {
    kind: inner.kind,
    put: (bytes) => inner.put(bytes),
    putExpected: (cid, bytes) => inner.putExpected(cid, bytes),
    async get(cid, options) {
      if (fault.reads) {
        fault.failed += 1;
        throw unavailable();
      }
      return inner.get(cid, options);
    },
    has: (cid) => inner.has(cid),
    delete: (cid) => inner.delete(cid),
    health: () => inner.health(),
    close: () => inner.close(),
  };
}

async function getHealth(t: TestNode): Promise<Health> {
  const res = await fetch(`${t.node.url}/health`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get("content-type")), /application\/json/);
  return zHealth.parse(await res.json()); // the response validates against the published schema
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("indexer failure policy: units", () => {
  it("backoff doubles from the base and is capped, however many attempts failed", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n));
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.equal(backoffDelay(1_000_000), DEFAULT_RETRY.maxMs);
    assert.equal(backoffDelay(Number.POSITIVE_INFINITY), DEFAULT_RETRY.baseMs);
    assert.equal(backoffDelay(0), 250);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 300 })),
      [100, 200, 300, 300],
    );
    assert.equal(backoffDelay(3, { baseMs: 0, maxMs: 0 }), 0);
  });

  it("only MalformedContent is a refusal; every other error is transient", () => {
    const refusal = MalformedContent.of(new MedchainError("InvalidEpcis", "bad document"));
    const described = [refusal.reason, refusal.message, isMalformedContent(refusal)];
    assert.deepEqual(described, ["InvalidEpcis", "bad document", true]);
    const transient = [
      new MedchainError("StorageUnavailable", "x"),
      new MedchainError("InvalidEpcis", "x"),
      new TypeError("bug"),
      "s",
    ];
    for (const e of transient) {
      assert.equal(isMalformedContent(e), false);
    }
  });

  it("the health policy comes from options, else the environment, else the defaults; a bad value is refused", () => {
    assert.deepEqual(resolveHealthPolicy({}, {}), DEFAULT_HEALTH_POLICY);
    const env = { MEDCHAIN_HEALTH_MAX_LAG_BLOCKS: "7", MEDCHAIN_HEALTH_MAX_FAILED_ATTEMPTS: "3" };
    assert.deepEqual(resolveHealthPolicy({}, env), { maxLagBlocks: 7, maxFailureMs: 30_000, maxFailedAttempts: 3 });
    assert.deepEqual(resolveHealthPolicy({ maxLagBlocks: 2 }, { MEDCHAIN_HEALTH_MAX_LAG_BLOCKS: "7" }).maxLagBlocks, 2);
    const bad = { MEDCHAIN_HEALTH_MAX_FAILURE_MS: "ten" };
    assert.throws(() => resolveHealthPolicy({}, bad), /MEDCHAIN_HEALTH_MAX_FAILURE_MS/);
  });
});

describe("indexer failure policy on a real node", () => {
  let t: TestNode;
  const fault = { reads: false, failed: 0 };
  const MAX_LAG = 3;

  before(async () => {
    t = await startTestNode({
      node: {
        wrapBlobStore: (store) => faultyReads(store, fault),
        health: { maxLagBlocks: MAX_LAG, maxFailedAttempts: 2, maxFailureMs: 60_000 },
        indexerRetry: { baseMs: 100, maxMs: 400 },
      },
    });
  });
  after(async () => t?.close());

  const refusals = () =>
    t.node.ctx.db.kysely.selectFrom("indexer_refusals").selectAll().orderBy("block_number").execute();

  it("(i) a batch whose manifest is not JSON is refused for that event only; the next writes succeed", async () => {
    const attacker = await newIdentity(t.client);
    const net = await t.client.network();
    const append = async (blob: Uint8Array, label: string) => {
      const cid = await cidOf(blob);
      await t.client.putBlobs([{ cid, data: blob }]);
      const batchId = keccak256(utf8Encode(`${label}-${Date.now()}`));
      const tx = await relayCall(
        t.client,
        attacker.account,
        net.contracts.recordRegistry,
        encodeFunctionData({
          abi: recordRegistryAbi,
          functionName: "appendBatch",
          args: [batchId, attacker.account.address, 1, cidDigestHex(cid), keccak256(utf8Encode(label)), 1],
        }),
      );
      return { batchId, tx };
    };
    // the relayed write answers (it used to fail with Internal, and so did every later write of anybody)
    const notJson = await append(utf8Encode("this manifest is {not JSON"), "not-json");
    const notAManifest = utf8Encode(JSON.stringify({ format: "medchain.batch/v1", blobs: "nope" }));
    const notManifest = await append(notAManifest, "not-manifest");

    // right after: another user publishes her key and imports a Synthea bundle
    const patient = await newIdentity(t.client);
    assert.ok((await t.client.account(patient.account.address)).encryptionKey !== null);
    const imported = await importBundle({
      node: t.client,
      bundle: readJson(smallSyntheaFile()),
      owner: patient.account.address,
      author: patient,
    });
    assert.equal(imported.status, "imported");
    assert.equal((await t.client.getBatch(imported.batchId)).count, imported.resources);

    // the index is at the chain head, the refusals are recorded with their reasons, /health says ok
    await t.node.ctx.indexer.poll();
    assert.equal(t.node.ctx.indexer.indexedBlock, await t.node.ctx.client.getBlockNumber({ cacheTime: 0 }));
    const rows = await refusals();
    assert.deepEqual(
      rows.map((r) => [r.tx_hash, r.handler, r.event_name, r.reason, r.message]),
      [
        [
          notJson.tx.txHash.toLowerCase(),
          "records",
          "BatchAppended",
          "InvalidManifest",
          "the manifest blob is not JSON",
        ],
        [
          notManifest.tx.txHash.toLowerCase(),
          "records",
          "BatchAppended",
          "InvalidManifest",
          "the manifest blob does not match the manifest schema",
        ],
      ],
    );
    assert.equal(rows[0]?.contract, net.contracts.recordRegistry.toLowerCase());
    // a refused event indexes nothing (the batch stays a fact on chain, GET /records/:id reads it there)
    const indexed = await t.node.ctx.db.kysely
      .selectFrom("batches")
      .select("batch_id")
      .where("batch_id", "in", [notJson.batchId, notManifest.batchId])
      .execute();
    assert.deepEqual(indexed, []);
    const health = await getHealth(t);
    const summary = [health.status, health.reasons, health.indexer.ok, health.indexer.failingSince];
    assert.deepEqual(summary, ["ok", [], true, null]);
  });

  it("(ii) a blob store outage is retried, reported as degraded while it lasts, and never refused", async () => {
    const refusedBefore = (await refusals()).length;
    const patient = await newIdentity(t.client);
    const maker = await newIdentity(t.client);
    const token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
    const makerGln = withCheckDigit("030002111111");
    const registered = await fetch(`${t.node.url}/admin/partners`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        account: maker.account.address,
        kind: "manufacturer",
        gln: makerGln,
        companyPrefix: "030002",
      }),
    });
    assert.equal(registered.status, 200, await registered.text());

    fault.reads = true;
    // both writes are mined, then wait for the index, which cannot read their blobs
    const importing = importBundle({
      node: t.client,
      bundle: readJson(syntheaPatientFiles()[1] ?? ""),
      owner: patient.account.address,
      author: patient,
    });
    const readPoint = { id: `urn:epc:id:sgln:${makerGln.slice(0, 6)}.${makerGln.slice(6, 12)}.0` };
    const capturing = captureDocument(t.client, maker.account, {
      "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2024-01-02T00:00:00Z",
      epcisBody: {
        eventList: [
          {
            type: "ObjectEvent",
            eventTime: "2024-01-02T08:00:00Z",
            eventTimeZoneOffset: "+00:00",
            action: "ADD",
            bizStep: "commissioning",
            epcList: ["urn:epc:id:sgtin:030002.0012345.1"],
            readPoint,
          },
        ],
      },
    });
    const failing = await until("a failing indexer in /health", async () => {
      const h = await getHealth(t);
      return h.reasons.some((r) => r.startsWith("indexer handler records failing since")) ? h : undefined;
    });
    assert.equal(failing.status, "degraded");
    assert.ok(failing.indexer.failedAttempts >= 2);
    assert.ok(failing.indexer.failingSince !== null && !Number.isNaN(Date.parse(failing.indexer.failingSince)));
    assert.match(failing.reasons.join("\n"), /\(\d+ attempts, StorageUnavailable\)/);
    assert.deepEqual([failing.chain.ok, failing.db.ok, failing.store.ok], [true, true, true]);

    // more writes while the index is stuck: it lags the chain by more than the limit
    const others = await Promise.all([1, 2, 3, 4].map(() => newKeys()));
    const publishing = others.map((k: RecordKeys) => publishEncryptionKey(t.client, k));
    const lagging = await until("a lagging index in /health", async () => {
      const h = await getHealth(t);
      return h.indexer.lagBlocks > MAX_LAG ? h : undefined;
    });
    const lagReason = `index lags the chain by ${lagging.indexer.lagBlocks} blocks`;
    assert.ok(lagging.reasons.includes(lagReason), lagging.reasons.join("; "));
    assert.equal((await refusals()).length, refusedBefore, "a transient fault is never recorded as a refusal");

    // recovery: everything is indexed as valid, /health is ok again
    fault.reads = false;
    const imported = await importing;
    const captured = await capturing;
    await Promise.all(publishing);
    assert.equal(imported.status, "imported");
    assert.equal((await t.client.getBatch(imported.batchId)).count, imported.resources);
    assert.equal(captured.status, "indexed");
    assert.equal((await t.client.supplyBatch(captured.anchorId)).status, "indexed");
    for (const k of others) assert.ok((await t.client.account(k.account.address)).encryptionKey !== null);
    assert.ok(fault.failed >= 2, "the indexer did meet the fault");
    assert.equal((await refusals()).length, refusedBefore, "no permanent refusal after recovery either");
    const healthy = await until("/health back to ok", async () => {
      const h = await getHealth(t);
      return h.status === "ok" ? h : undefined;
    });
    const after = [healthy.reasons, healthy.indexer.failedAttempts, healthy.indexer.failingSince, healthy.indexer.ok];
    assert.deepEqual(after, [[], 0, null, true]);
    assert.ok(healthy.indexer.lagBlocks <= MAX_LAG);
  });

  it("a write the index cannot reach in time answers IndexBehind (503), and is indexed once it can", async () => {
    // the relayer's wait is bounded (30 s by default); a short bound here
    const patient = await newIdentity(t.client);
    fault.reads = true;
    try {
      const bundle = readJson(syntheaPatientFiles()[2] ?? "");
      const importing = importBundle({ node: t.client, bundle, owner: patient.account.address, author: patient });
      const head = await until("the import's transaction on chain", async () => {
        const h = await getHealth(t);
        return h.indexer.failedAttempts > 0 ? BigInt(h.chain.blockNumber) : undefined;
      });
      const err = await t.node.ctx.indexer.waitFor(head, 300).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof MedchainError, String(err));
      assert.deepEqual([err.code, err.status], ["IndexBehind", 503]);
      assert.ok(err.cause instanceof MedchainError && err.cause.code === "StorageUnavailable");
      fault.reads = false;
      assert.equal((await importing).status, "imported");
    } finally {
      fault.reads = false;
    }
  });
});
