/**
 * Durability of a real `medchain start` process: SIGKILL during an import
 * loses no confirmed batch and duplicates none; the interrupted import reruns
 * to completion; SIGTERM stops cleanly; dropping the SQL index rebuilds the
 * same state from the chain and the blob store.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import type { Kysely } from "kysely";
import type { Database } from "../../src/node/db/schema.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { importBundle, type ImportBundleResult } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { shredBatch } from "../../src/records/sdk/shredBatch.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, startTestNode, tempDir } from "../support/testNode.ts";
import { spawnNode } from "../support/nodeProcess.ts";
import { largestSyntheaFile, readJson, syntheaPatientFiles } from "../support/fixtures.ts";

/** Every row of the index, in a stable order. */
async function snapshot(k: Kysely<Database>): Promise<{ batches: unknown[]; accounts: unknown[]; writers: unknown[] }> {
  return {
    batches: await k.selectFrom("batches").selectAll().orderBy("batch_id").execute(),
    accounts: await k.selectFrom("accounts").selectAll().orderBy("address").execute(),
    writers: await k.selectFrom("writers").selectAll().orderBy("owner").orderBy("writer").execute(),
  };
}

describe("node durability", () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const bundles = syntheaPatientFiles()
    .filter((f) => f !== largestSyntheaFile())
    .map(readJson);
  const big = readJson(largestSyntheaFile());
  let patient: RecordKeys;
  let clinic: RecordKeys;
  const confirmed: ImportBundleResult[] = [];

  it("SIGKILL during an import loses no confirmed batch, and the rerun completes without duplicates", async () => {
    const first = await spawnNode(dataDir);
    const client = new NodeClient(first.url);
    patient = await newIdentity(client);
    clinic = await newIdentity(client);
    await authorizeWriter(client, patient, clinic.account.address);
    for (const b of bundles.slice(0, 3))
      confirmed.push(await importBundle({ node: client, bundle: b, owner: patient.account.address, author: clinic }));

    // Kill the node while the big import is registering its batch.
    let killed = false;
    const interrupted = importBundle({
      node: client,
      bundle: big,
      owner: patient.account.address,
      author: clinic,
      onProgress: (p) => {
        if (p.phase === "register" && !killed) {
          killed = true;
          setTimeout(() => first.child.kill("SIGKILL"), 2);
        }
      },
    }).then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const outcome = await interrupted;
    const gone = await first.exited;
    assert.equal(gone.signal, "SIGKILL");
    if (outcome.ok) confirmed.push(outcome.r);
    else assert.equal((outcome.e as { code?: string }).code, "NodeUnreachable");

    const second = await spawnNode(dataDir);
    const client2 = new NodeClient(second.url);
    const listed = await client2.listBatches(patient.account.address);
    for (const c of confirmed) {
      const b = await client2.getBatch(c.batchId);
      assert.equal(b.count, c.resources, "every confirmed batch survived");
    }
    assert.equal(new Set(listed.map((b) => b.batchId)).size, listed.length, "no batch twice");

    const rerun = await importBundle({ node: client2, bundle: big, owner: patient.account.address, author: clinic });
    assert.ok(rerun.status === "imported" || rerun.status === "exists");
    const after = await client2.listBatches(patient.account.address);
    assert.equal(after.length, confirmed.length + (outcome.ok ? 0 : 1));
    assert.equal(after.filter((b) => b.batchId === rerun.batchId).length, 1);
    const record = await exportRecord({ node: client2, reader: patient, owner: patient.account.address });
    const expected = [...bundles.slice(0, 3), big].reduce<number>(
      (n, b) => n + (b as { entry: unknown[] }).entry.length,
      0,
    );
    assert.equal(record.bundle.entry?.length, expected);

    // SIGTERM: clean shutdown, exit code 0
    second.child.kill("SIGTERM");
    const stopped = await second.exited;
    assert.equal(stopped.code, 0);
    assert.match(second.stderr(), /stopped cleanly/);
  });

  it("dropping the SQL index and restarting rebuilds the same state", async () => {
    // one erased batch, so the rebuild covers erasure too
    const t = await startTestNode({ dataDir });
    await shredBatch(t.client, patient, confirmed[0]?.batchId ?? "0x");
    const before = await snapshot(t.node.ctx.db.kysely);
    assert.ok(before.batches.length >= 4);
    await t.close();

    const t2 = await startTestNode({ dataDir, reindex: true });
    assert.deepEqual(await snapshot(t2.node.ctx.db.kysely), before);
    await t2.close();
  });
});
