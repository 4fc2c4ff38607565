/**
 * Key rotation on a real node (embedded chain, keepers 2-of-3): `rotateBatch`
 * re-encrypts a batch under new keys and new shares at version n + 1, the
 * content stays the same, and the node unpins the superseded version. The
 * acceptance (docs/architecture/records-and-keys.md, "Revocation and rotation"): a category key a reader obtained
 * from the keepers before a revocation opens nothing of the batch once the
 * patient has rotated it, and the keepers refuse that reader a new one. Only
 * the owner rotates, erased batches cannot be, a replayed rotation (crash
 * before the SQL commit) finishes its unpinning without touching the current
 * version, `medchain records rotate` does the same from the terminal, and a
 * reindex from the chain rebuilds the same rows.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { encodeFunctionData } from "viem";
import { recordRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord, readManifest } from "../../src/records/sdk/exportRecord.ts";
import { rotateBatch } from "../../src/records/sdk/rotateBatch.ts";
import { shredBatch } from "../../src/records/sdk/shredBatch.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { categoryMask, categoryOf } from "../../src/kernel/categories.ts";
import { ENTRIES_KEY_INDEX, LABEL, zManifestEntry, type Manifest } from "../../src/kernel/manifest.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { grantAccess, revokeGrant } from "../../src/consent/sdk/grants.ts";
import { requestCategoryKey } from "../../src/keeper/sdk/requestCategoryKey.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import { importKek, deriveDekFrom } from "../../src/kernel/crypto/keys.ts";
import { open } from "../../src/kernel/crypto/aead.ts";
import { fromBase64, utf8Decode, utf8Encode } from "../../src/kernel/crypto/bytes.ts";
import { cidDigestHex } from "../../src/kernel/crypto/cid.ts";
import { recordsIndexer } from "../../src/records/records.indexer.ts";
import type { IndexedLog } from "../../src/node/indexer.ts";
import { openPgliteFromTemplate } from "../../src/node/db/pgliteTemplate.ts";
import { newIdentity, startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { expectCode } from "../support/assertions.ts";
import { cliRunner } from "../support/cli.ts";
import { readJson, smallSyntheaFile, syntheaPatientFiles } from "../support/fixtures.ts";

const DAY = 86400;
const now = (): number => Math.floor(Date.now() / 1000);

describe("records: key rotation", () => {
  const dataDir = tempDir("medchain-rotate-");
  let t: TestNode;
  let patient: RecordKeys, clinic: RecordKeys, reader: RecordKeys, colleague: RecordKeys;

  /** Which of `cids` the node's blob store still holds. */
  const stored = async (cids: readonly string[]): Promise<string[]> => {
    const out: string[] = [];
    for (const cid of cids) if (await t.node.ctx.blobs.has(cid)) out.push(cid);
    return out;
  };
  const manifestOf = async (batchId: `0x${string}`): Promise<Manifest> =>
    readManifest(t.client, await t.client.getBatch(batchId));
  const exportBatch = (who: RecordKeys, batchId: `0x${string}`) =>
    exportRecord({ node: t.client, reader: who, owner: patient.account.address, batchIds: [batchId] });

  before(async () => {
    t = await startTestNode({ dataDir });
    [patient, clinic, reader, colleague] = (await Promise.all(
      Array.from({ length: 4 }, () => newIdentity(t.client)),
    )) as [RecordKeys, RecordKeys, RecordKeys, RecordKeys];
    await authorizeWriter(t.client, patient, clinic.account.address);
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "re-encrypts under new keys at version + 1: same content " +
      "for owner and author, new commitments, old blobs unpinned",
    async () => {
      const imported = await importBundle({
        node: t.client,
        bundle: readJson(smallSyntheaFile()),
        owner: patient.account.address,
        author: clinic,
      });
      const id = imported.batchId;
      const before1 = await t.client.getBatch(id);
      const m1 = await readManifest(t.client, before1);
      const content = (await exportBatch(patient, id)).bundle;

      const r = await rotateBatch(t.client, patient, id);
      assert.equal(r.batchId, id);
      assert.equal(r.version, 2);
      assert.equal(r.supersedes, before1.manifestCid);
      assert.match(r.txHash, /^0x[0-9a-f]{64}$/);

      // the chain and the index both point at the new version; what the batch is stays
      const onChain = await t.client.getBatch(id);
      assert.equal(onChain.version, 2);
      assert.equal(onChain.manifestCid, r.manifestCid);
      assert.notEqual(onChain.merkleRoot, before1.merkleRoot);
      assert.deepEqual(
        { ...onChain, version: 0, manifestCid: "", merkleRoot: "" },
        { ...before1, version: 0, manifestCid: "", merkleRoot: "" },
      );
      assert.deepEqual(
        (await t.client.listBatches(patient.account.address)).find((b) => b.batchId === id),
        onChain,
      );

      // the new manifest: version 2, supersedes the old, same recipients, fresh shares, all-new blobs and commitments
      const m2 = await manifestOf(id);
      assert.equal(m2.version, 2);
      assert.equal(m2.supersedes, before1.manifestCid);
      assert.equal(m1.supersedes, undefined);
      assert.deepEqual(
        m2.sections.map((s) => s.category),
        m1.sections.map((s) => s.category),
      );
      assert.deepEqual(
        m2.sections.map((s) => s.keys.map((k) => k.recipient)),
        m1.sections.map((s) => s.keys.map((k) => k.recipient)),
      );
      assert.deepEqual(
        m2.sections.map((s) => s.shares?.map((k) => k.keeper)),
        m1.sections.map((s) => s.shares?.map((k) => k.keeper)),
      );
      assert.equal(m2.blobs.length, m1.blobs.length);
      assert.equal(m2.blobs.filter((c) => m1.blobs.includes(c)).length, 0, "no ciphertext reused");
      assert.equal(
        m2.commitments.filter((c) => m1.commitments.includes(c)).length,
        0,
        "no commitment reused (salted with the new key)",
      );

      // same content, for the owner and for the author (re-wrapped to its published key)
      assert.deepEqual((await exportBatch(patient, id)).bundle, content);
      assert.deepEqual((await exportBatch(clinic, id)).bundle, content);

      // the superseded version (ciphertexts, and the manifest with its wraps and shares) is gone from the blob store
      assert.deepEqual(await stored([before1.manifestCid, ...m1.blobs]), []);
      assert.equal((await stored([r.manifestCid, ...m2.blobs])).length, m2.blobs.length + 1);

      // and again: version 3 supersedes version 2, which is unpinned in turn
      const r3 = await rotateBatch(t.client, patient, id);
      assert.equal(r3.version, 3);
      assert.equal(r3.supersedes, r.manifestCid);
      assert.deepEqual(await stored([r.manifestCid, ...m2.blobs]), []);
      assert.deepEqual((await exportBatch(patient, id)).bundle, content);
      assert.equal((await manifestOf(id)).version, 3);
    },
  );

  it(
    "acceptance: a key released before the revocation opens " +
      "nothing of the rotated batch, and no new key is released",
    async () => {
      const id = (
        await importBundle({
          node: t.client,
          bundle: readJson(syntheaPatientFiles()[1] ?? ""),
          owner: patient.account.address,
          author: patient,
        })
      ).batchId;
      const scope = { categories: ["observations", "clinical"] as const, purposes: ["TREAT"] as const };
      const grant = async (to: RecordKeys): Promise<string> =>
        (
          await grantAccess(t.client, patient.account, {
            patient: patient.account.address,
            grantee: to.account.address,
            categories: [...scope.categories],
            purposes: [...scope.purposes],
            notBefore: now() - 60,
            expiresAt: now() + 30 * DAY,
          })
        ).grantId;
      const readerGrant = await grant(reader);
      const colleagueGrant = await grant(colleague);

      // The reader obtains the observations key through the keepers (k of n shares) and keeps it.
      const oldKey = await requestCategoryKey(t.client, reader, {
        batchId: id,
        category: "observations",
        grantId: readerGrant,
        purpose: "TREAT",
      });
      const oldKek = await importKek(oldKey);
      // With it she really reads the current version: the entry list, then a ciphertext.
      const m1 = await manifestOf(id);
      const section1 = m1.sections.find((s) => s.category === "observations");
      assert.ok(section1);
      const entries = zManifestEntry
        .array()
        .parse(
          JSON.parse(
            utf8Decode(
              await open(
                await deriveDekFrom(oldKek, id, ENTRIES_KEY_INDEX),
                fromBase64(section1.entries),
                utf8Encode(LABEL.entriesAad(m1.owner, id, "observations")),
              ),
            ),
          ),
        );
      assert.ok(entries.length > 0);
      const first = entries[0]?.index ?? -1;
      const [ct1] = await t.client.fetchBlobs([m1.blobs[first] ?? ""]);
      const plain = JSON.parse(
        utf8Decode(
          await open(
            await deriveDekFrom(oldKek, id, first),
            ct1 as Uint8Array,
            utf8Encode(LABEL.resourceAad(m1.owner, id, first, 1)),
          ),
        ),
      ) as { resourceType: string };
      assert.equal(plain.resourceType, entries[0]?.resourceType);

      // The patient revokes, then rotates.
      await revokeGrant(t.client, patient.account, readerGrant);
      const rotated = await rotateBatch(t.client, patient, id);
      assert.equal(rotated.version, 2);

      // The old key opens nothing of the new version: no record (with either version in the AAD), nor the entry list.
      const m2 = await manifestOf(id);
      const section2 = m2.sections.find((s) => s.category === "observations");
      assert.ok(section2);
      await expectCode(
        open(
          await deriveDekFrom(oldKek, id, ENTRIES_KEY_INDEX),
          fromBase64(section2.entries),
          utf8Encode(LABEL.entriesAad(m2.owner, id, "observations")),
        ),
        "IntegrityError",
      );
      const cts = await t.client.fetchBlobs(m2.blobs);
      let tried = 0;
      for (const [index, ct] of cts.entries()) {
        const dek = await deriveDekFrom(oldKek, id, index);
        for (const version of [1, 2]) {
          await expectCode(
            open(dek, ct, utf8Encode(LABEL.resourceAad(m2.owner, id, index, version))),
            "IntegrityError",
          );
          tried += 1;
        }
      }
      assert.equal(tried, 2 * m2.blobs.length);
      assert.ok(
        entries.every((e) => e.index < m2.blobs.length),
        "every index she could read before was tried",
      );
      // ...and what it opened before is no longer stored
      await expectCode(t.client.fetchBlobs([m1.blobs[first] ?? ""]), "BlobNotFound");

      // The keepers refuse her a new key, at once and for good; export through the revoked grant fails the same way.
      await expectCode(
        requestCategoryKey(t.client, reader, {
          batchId: id,
          category: "observations",
          grantId: readerGrant,
          purpose: "TREAT",
        }),
        "GrantRevoked",
      );
      await expectCode(
        exportRecord({
          node: t.client,
          reader,
          owner: patient.account.address,
          batchIds: [id],
          access: { grantId: readerGrant, purpose: "TREAT", categories: categoryMask(scope.categories) },
        }),
        "GrantRevoked",
      );

      // A grantee whose grant still holds gets the new key from the keepers (fresh shares) and reads the same data.
      const viaKeepers = await exportRecord({
        node: t.client,
        reader: colleague,
        owner: patient.account.address,
        batchIds: [id],
        access: { grantId: colleagueGrant, purpose: "TREAT", categories: categoryMask(scope.categories) },
      });
      const newKey = await requestCategoryKey(t.client, colleague, {
        batchId: id,
        category: "observations",
        grantId: colleagueGrant,
        purpose: "TREAT",
      });
      assert.notDeepEqual(newKey, oldKey);
      const own = await exportBatch(patient, id);
      const granted = new Set<string>(scope.categories);
      assert.deepEqual(
        viaKeepers.bundle.entry,
        own.bundle.entry?.filter((e) => granted.has(categoryOf(e.resource?.resourceType ?? ""))),
      );
      oldKey.fill(0);
    },
  );

  it("only the owner rotates, and not an erased batch", async () => {
    const id = (
      await importBundle({
        node: t.client,
        bundle: readJson(syntheaPatientFiles()[2] ?? ""),
        owner: patient.account.address,
        author: clinic,
      })
    ).batchId;
    const net = await t.client.network();
    const rotateCall = async (by: RecordKeys, manifestDigest: `0x${string}`, merkleRoot: `0x${string}`) =>
      relayCall(
        t.client,
        by.account,
        net.contracts.recordRegistry,
        encodeFunctionData({
          abi: recordRegistryAbi,
          functionName: "rotateBatch",
          args: [id, manifestDigest, merkleRoot],
        }),
      );
    const b = await t.client.getBatch(id);

    // the author holds a wrap but does not own the batch: refused by the SDK, and by the contract
    await expectCode(rotateBatch(t.client, clinic, id), "NotOwner");
    const err = await expectCode(rotateCall(clinic, `0x${"ab".repeat(32)}`, b.merkleRoot), "NotOwner");
    assert.equal(err.details?.contractError, "RecordsNotOwner");
    await expectCode(rotateBatch(t.client, reader, id), "NotOwner");
    // the contract refuses a rotation to the current manifest
    const same = await expectCode(rotateCall(patient, cidDigestHex(b.manifestCid), b.merkleRoot), "InvalidInput");
    assert.equal(same.details?.contractError, "RecordsSameManifest");
    // an unknown batch
    await expectCode(rotateBatch(t.client, patient, `0x${"77".repeat(32)}`), "RecordNotFound");
    assert.equal((await t.client.getBatch(id)).version, 1, "nothing changed");

    // erased: nothing left to rotate
    await shredBatch(t.client, patient, id);
    await expectCode(rotateBatch(t.client, patient, id), "RecordErased");
    const erased = await expectCode(rotateCall(patient, `0x${"ab".repeat(32)}`, b.merkleRoot), "RecordErased");
    assert.equal(erased.details?.contractError, "RecordsAlreadyErased");
  });

  it(
    "a rotation replayed after a crash finishes unpinning " + "the old version and never touches the current one",
    async () => {
      const id = (
        await importBundle({
          node: t.client,
          bundle: readJson(syntheaPatientFiles()[3] ?? ""),
          owner: patient.account.address,
          author: patient,
        })
      ).batchId;
      const v1 = await t.client.getBatch(id);
      const m1 = await readManifest(t.client, v1);
      const oldBlobs = [v1.manifestCid, ...m1.blobs];
      const oldBytes = await t.client.fetchBlobs(oldBlobs);
      await rotateBatch(t.client, patient, id);
      const v2 = await t.client.getBatch(id);
      const m2 = await readManifest(t.client, v2);
      assert.deepEqual(await stored(oldBlobs), []);

      const ctx = t.node.ctx;
      const handler = recordsIndexer(ctx.deployment.recordRegistry, ctx.blobs, ctx.client);
      const events = await ctx.client.getContractEvents({
        address: ctx.deployment.recordRegistry,
        abi: recordRegistryAbi,
        eventName: "BatchRotated",
        args: { batchId: id },
        fromBlock: 0n,
        strict: true,
      });
      assert.equal(events.length, 1);
      const logs: IndexedLog<typeof recordRegistryAbi>[] = events.map((e) => ({
        eventName: e.eventName,
        args: e.args,
        address: e.address,
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        transactionHash: e.transactionHash,
        blockTimestamp: 0n,
      }));

      // A crash in the middle of the unpinning, before the SQL commit: half the old version still stored, the
      // index still at version 1. The replay finishes the job.
      for (const [i, cid] of oldBlobs.entries())
        if (i % 2 === 0) await ctx.blobs.putExpected(cid, oldBytes[i] as Uint8Array);
      assert.ok((await stored(oldBlobs)).includes(v1.manifestCid));
      const before = await openPgliteFromTemplate(null);
      try {
        const row = await ctx.db.kysely
          .selectFrom("batches")
          .selectAll()
          .where("batch_id", "=", id)
          .executeTakeFirstOrThrow();
        await before.kysely
          .insertInto("batches")
          .values({ ...row, manifest_cid: v1.manifestCid, merkle_root: v1.merkleRoot, version: 1 })
          .execute();
        // the index knows which blobs version 1 owns (claimed when it was appended)
        const owned = await ctx.db.kysely
          .selectFrom("blob_owners")
          .selectAll()
          .where("manifest_cid", "=", v1.manifestCid)
          .execute();
        assert.equal(owned.length, oldBlobs.length);
        await before.kysely.insertInto("blob_owners").values(owned).execute();
        await handler.sideEffects?.(logs, before.kysely);
        await handler.sideEffects?.(logs, before.kysely); // and again: idempotent
      } finally {
        await before.close();
      }
      assert.deepEqual(await stored(oldBlobs), []);

      // A replay after the commit (the index already at version 2) deletes nothing.
      await handler.sideEffects?.(logs, ctx.db.kysely);
      assert.equal((await stored([v2.manifestCid, ...m2.blobs])).length, m2.blobs.length + 1);
      assert.equal((await exportBatch(patient, id)).bundle.entry?.length, v2.count);
    },
  );

  it("medchain records rotate: --json and human output, typed refusals that store nothing", async () => {
    const home = tempDir("medchain-rotate-home-");
    try {
      const cli = cliRunner({ home, node: () => t.node.url });
      const countBlobs = (): number => {
        const root = join(dataDir, "blobs");
        return readdirSync(root, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .reduce((n, d) => n + readdirSync(join(root, d.name)).length, 0);
      };
      for (const k of ["alice", "bob"]) assert.equal((await cli(["key", "new", k, "--json"])).code, 0);
      const imp = await cli(["records", "import", smallSyntheaFile(), "--patient", "alice", "--as", "alice", "--json"]);
      assert.equal(imp.code, 0, imp.stdout + imp.stderr);
      const batchId = String(imp.json.batchId);

      const r = await cli(["records", "rotate", batchId, "--as", "alice", "--json"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.json.batchId, batchId);
      assert.equal(r.json.version, 2);
      assert.equal(r.json.supersedes, imp.json.manifestCid);
      assert.match(String(r.json.txHash), /^0x[0-9a-f]{64}$/);
      const b = await t.client.getBatch(batchId as `0x${string}`);
      assert.equal(r.json.manifestCid, b.manifestCid);

      const human = await cli(["records", "rotate", batchId, "--as", "alice"]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(
        human.stdout,
        new RegExp(
          `^rotated batch ${batchId} to version 3\n  manifest   bafk\\w+ \\(replaces ` +
            `${b.manifestCid}\\)\n  tx         0x[0-9a-f]{64} \\(block \\d+\\)\n$`,
        ),
      );

      const blobs = countBlobs();
      const refused = async (args: string[], code: string): Promise<void> => {
        const x = await cli([...args, "--json"]);
        assert.equal(x.code, 1, x.stdout + x.stderr);
        assert.equal(x.json.code, code, x.stdout);
      };
      await refused(["records", "rotate", batchId, "--as", "bob"], "NotOwner");
      await refused(["records", "rotate", "0x1234", "--as", "alice"], "InvalidInput");
      await refused(["records", "rotate", `0x${"42".repeat(32)}`, "--as", "alice"], "RecordNotFound");
      await refused(["records", "rotate", batchId, "--as", "ghost"], "KeyNotFound");
      assert.equal(countBlobs(), blobs, "nothing uploaded");
      assert.equal((await t.client.getBatch(batchId as `0x${string}`)).version, 3);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a reindex from the chain rebuilds the same rows after rotations", async () => {
    const rows = async (): Promise<unknown[]> =>
      t.node.ctx.db.kysely.selectFrom("batches").selectAll().orderBy("batch_id").execute();
    const live = await rows();
    assert.ok(
      live.some((r) => (r as { version: number }).version === 3),
      "a twice-rotated batch is indexed",
    );
    const listed = await t.client.listBatches(patient.account.address);
    const content = await exportRecord({ node: t.client, reader: patient, owner: patient.account.address });

    await t.close();
    t = await startTestNode({ dataDir, reindex: true });
    assert.deepEqual(await rows(), live);
    assert.deepEqual(await t.client.listBatches(patient.account.address), listed);
    // the rebuild's side effects unpinned no current version: everything still decrypts
    const again = await exportRecord({ node: t.client, reader: patient, owner: patient.account.address });
    assert.deepEqual(again.bundle, content.bundle);
    assert.deepEqual(again.skipped, content.skipped);
  });
});
