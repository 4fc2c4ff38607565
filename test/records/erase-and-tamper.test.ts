/**
 * Integrity and erasure on a real node: a flipped byte in any stored
 * ciphertext makes export fail with IntegrityError naming the record;
 * crypto-shredding deletes keys and ciphertexts, marks the batch erased on
 * chain, and later reads fail with RecordErased.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectCode } from "../support/assertions.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord, readManifest } from "../../src/records/sdk/exportRecord.ts";
import { shredBatch } from "../../src/records/sdk/shredBatch.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { startTestNode, newIdentity, type TestNode } from "../support/testNode.ts";
import { encodeFunctionData, keccak256 } from "viem";
import { recordRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import { cidDigestHex, cidOf } from "../../src/kernel/crypto/cid.ts";
import { utf8Encode } from "../../src/kernel/crypto/bytes.ts";
import { readJson, smallSyntheaFile, syntheaPatientFiles } from "../support/fixtures.ts";

function blobPath(dataDir: string, cid: string): string {
  return join(dataDir, "blobs", cid.slice(-3, -1), cid);
}

describe("records: integrity and crypto-shredding", () => {
  let t: TestNode;
  let patient: RecordKeys;

  before(async () => {
    t = await startTestNode();
    patient = await newIdentity(t.client);
  });
  after(async () => t?.close());

  it("flipping one byte of any stored ciphertext fails export with IntegrityError naming that record", async () => {
    const r = await importBundle({
      node: t.client,
      bundle: readJson(smallSyntheaFile()),
      owner: patient.account.address,
      author: patient,
    });
    const batch = await t.client.getBatch(r.batchId);
    const m = await readManifest(t.client, batch);
    // every 7th resource, plus first and last: flip one byte at a varying position, export, restore
    const indices = [...new Set([0, m.blobs.length - 1, ...m.blobs.map((_c, i) => i).filter((i) => i % 7 === 3)])];
    for (const i of indices) {
      const file = blobPath(t.dataDir, m.blobs[i] ?? "");
      const original = readFileSync(file);
      const bad = Buffer.from(original);
      const pos = (i * 131) % bad.length;
      bad[pos] = (bad[pos] ?? 0) ^ 0x01;
      writeFileSync(file, bad);
      const err = await expectCode(
        exportRecord({ node: t.client, reader: patient, owner: patient.account.address, batchIds: [r.batchId] }),
        "IntegrityError",
      );
      assert.equal(err.details?.record, `${r.batchId}#${i}`);
      assert.match(err.shortMessage, new RegExp(`record ${r.batchId}#${i} `));
      writeFileSync(file, original);
    }
    // restored: export works again
    const ok = await exportRecord({
      node: t.client,
      reader: patient,
      owner: patient.account.address,
      batchIds: [r.batchId],
    });
    assert.equal(ok.bundle.entry?.length, r.resources);
  });

  it("a tampered manifest fails with IntegrityError naming the batch", async () => {
    const r = await importBundle({
      node: t.client,
      bundle: readJson(syntheaPatientFiles()[1] ?? ""),
      owner: patient.account.address,
      author: patient,
    });
    const batch = await t.client.getBatch(r.batchId);
    const file = blobPath(t.dataDir, batch.manifestCid);
    const original = readFileSync(file);
    const bad = Buffer.from(original);
    bad[100] = (bad[100] ?? 0) ^ 0x20;
    writeFileSync(file, bad);
    const err = await expectCode(
      exportRecord({ node: t.client, reader: patient, owner: patient.account.address, batchIds: [r.batchId] }),
      "IntegrityError",
    );
    assert.equal(err.details?.record, `${r.batchId}#manifest`);
    writeFileSync(file, original);
  });

  it(
    "nobody can make the node delete another patient's ciphertexts " +
      "by listing them in her own manifest and shredding it",
    async () => {
      const victim = await importBundle({
        node: t.client,
        bundle: readJson(syntheaPatientFiles()[3] ?? ""),
        owner: patient.account.address,
        author: patient,
      });
      const vBatch = await t.client.getBatch(victim.batchId);
      const vManifest = await readManifest(t.client, vBatch);
      // the attacker publishes a manifest that lists the victim's ciphertexts, registers it as her own batch, and
      // shreds
      // it
      const attacker = await newIdentity(t.client);
      const forged = utf8Encode(
        JSON.stringify({
          ...vManifest,
          owner: attacker.account.address.toLowerCase(),
          author: attacker.account.address.toLowerCase(),
        }),
      );
      const forgedCid = await cidOf(forged);
      await t.client.putBlobs([{ cid: forgedCid, data: forged }]);
      const net = await t.client.network();
      const batchId = keccak256(utf8Encode(`attack-${Date.now()}`));
      await relayCall(
        t.client,
        attacker.account,
        net.contracts.recordRegistry,
        encodeFunctionData({
          abi: recordRegistryAbi,
          functionName: "appendBatch",
          args: [
            batchId,
            attacker.account.address,
            vBatch.categories,
            cidDigestHex(forgedCid),
            vBatch.merkleRoot,
            vBatch.count,
          ],
        }),
      );
      await shredBatch(t.client, attacker, batchId);
      assert.equal((await t.client.getBatch(batchId)).erased, true);
      assert.equal(existsSync(blobPath(t.dataDir, forgedCid)), false, "the attacker's own manifest is unpinned");
      assert.deepEqual(
        vManifest.blobs.filter((cid) => !existsSync(blobPath(t.dataDir, cid))),
        [],
        "the victim's ciphertexts are untouched",
      );
      const still = await exportRecord({
        node: t.client,
        reader: patient,
        owner: patient.account.address,
        batchIds: [victim.batchId],
      });
      assert.equal(still.bundle.entry?.length, victim.resources);
    },
  );

  it("delete crypto-shreds: erased on chain, keys and ciphertexts gone, reads fail with RecordErased", async () => {
    const r = await importBundle({
      node: t.client,
      bundle: readJson(syntheaPatientFiles()[2] ?? ""),
      owner: patient.account.address,
      author: patient,
    });
    const batch = await t.client.getBatch(r.batchId);
    const m = await readManifest(t.client, batch);
    assert.ok(m.blobs.every((cid) => existsSync(blobPath(t.dataDir, cid))));

    // only the owner may shred
    const other = await newIdentity(t.client);
    await expectCode(shredBatch(t.client, other, r.batchId), "NotOwner");

    await shredBatch(t.client, patient, r.batchId);
    const after = await t.client.getBatch(r.batchId);
    assert.equal(after.erased, true);
    assert.equal(existsSync(blobPath(t.dataDir, batch.manifestCid)), false, "manifest (wrapped keys) deleted");
    assert.deepEqual(
      m.blobs.filter((cid) => existsSync(blobPath(t.dataDir, cid))),
      [],
      "every ciphertext unpinned",
    );

    const err = await expectCode(
      exportRecord({ node: t.client, reader: patient, owner: patient.account.address, batchIds: [r.batchId] }),
      "RecordErased",
    );
    assert.equal(err.details?.batchId, r.batchId);
    // the unified record leaves it out and says so
    const all = await exportRecord({ node: t.client, reader: patient, owner: patient.account.address });
    assert.ok(all.skipped.some((s) => s.batchId === r.batchId && s.reason === "erased"));
    assert.ok(!all.batches.some((b) => b.batchId === r.batchId));
    // shredding twice is refused
    await expectCode(shredBatch(t.client, patient, r.batchId), "RecordErased");
    // the index agrees
    const listed = await t.client.listBatches(patient.account.address);
    assert.equal(listed.find((b) => b.batchId === r.batchId)?.erased, true);
  });
});
