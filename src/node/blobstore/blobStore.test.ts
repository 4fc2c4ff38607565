/**
 * Runs the blob store behaviour suite against the in-memory and filesystem
 * stores, plus filesystem specifics: layout, reopen, leftovers of crashed
 * writes (including a writer killed with SIGKILL mid-stream).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";

import { MedchainError } from "../../kernel/errors.ts";
import { KNOWN_CIDS, describeBlobStoreBehaviour } from "./blobStore.behaviour.ts";
import { computeCid } from "./blobStore.ts";
import { FS_BLOBSTORE_SHARDING, FsBlobStore } from "./fsBlobStore.ts";
import { MemoryBlobStore } from "./memoryBlobStore.ts";

const scratch = await mkdtemp(join(tmpdir(), "medchain-blob-test-"));
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});
let dirCounter = 0;
const newDir = (): string => join(scratch, `blobs-${++dirCounter}`);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** RFC 4648 base32, lowercase, no padding (the multibase `b` alphabet), written out independently of multiformats. */
function base32(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/** CIDv1 raw sha2-256 by hand: multibase 'b' + base32(varint 1, varint 0x55, varint 0x12, 32, digest). */
function independentCid(bytes: Uint8Array): string {
  const digest = createHash("sha256").update(bytes).digest();
  return `b${base32(Uint8Array.from([0x01, 0x55, 0x12, 0x20, ...digest]))}`;
}

describe("blob CIDs", () => {
  it("match an independent computation (node:crypto + hand-built CIDv1) and the hard-coded vectors", async () => {
    assert.equal(independentCid(utf8("hello")), KNOWN_CIDS.hello);
    assert.equal(independentCid(new Uint8Array(0)), KNOWN_CIDS.empty);
    for (let n = 0; n < 64; n++) {
      const bytes = Uint8Array.from({ length: n * 37 }, (_, i) => (i * 31 + n) & 0xff);
      assert.equal(await computeCid(bytes), independentCid(bytes));
    }
  });
});

describeBlobStoreBehaviour("memory", async () => {
  const backing = new Map<string, Uint8Array>();
  return {
    store: new MemoryBlobStore(backing),
    tamper: async (cid) => {
      const bytes = backing.get(cid);
      assert.ok(bytes !== undefined && bytes.length > 0);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    },
  };
});

/** Flips one bit in the middle of the file that holds `cid`. */
async function flipByteOnDisk(store: FsBlobStore, cid: string): Promise<void> {
  const path = store.pathOf(cid);
  const bytes = await readFile(path);
  assert.ok(bytes.length > 0);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  await writeFile(path, bytes);
}

describeBlobStoreBehaviour("fs", async () => {
  const dir = newDir();
  const store = await FsBlobStore.open(dir);
  return {
    store,
    tamper: (cid) => flipByteOnDisk(store, cid),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

/** Every file under `root` (relative paths). */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe("FsBlobStore specifics", () => {
  it("lays blobs out as <root>/<next-to-last 2 chars>/<cid>, mode 0600, no temp files left", async () => {
    const dir = newDir();
    const store = await FsBlobStore.open(dir);
    const cid = await store.put(utf8("hello"));
    await store.put(utf8("hello"));
    assert.equal(cid, KNOWN_CIDS.hello);
    const shard = cid.slice(-3, -1); // "ye" for …hc4yeq
    assert.equal(shard, "ye");
    assert.deepEqual(await filesUnder(store.root), ["SHARDING", join(shard, cid)]);
    assert.equal(store.pathOf(cid), join(store.root, shard, cid));
    assert.equal((await readFile(join(store.root, "SHARDING"), "utf8")).trim(), FS_BLOBSTORE_SHARDING);
    assert.equal((await stat(store.pathOf(cid))).mode & 0o777, 0o600);
    assert.deepEqual(await readFile(store.pathOf(cid)), Buffer.from("hello"));
    await store.close();
  });

  it("a reopened store serves what was stored", async () => {
    const dir = newDir();
    const first = await FsBlobStore.open(dir);
    const cid = await first.put(utf8("persisted"));
    await first.close();
    const second = await FsBlobStore.open(dir);
    assert.deepEqual(await second.get(cid), utf8("persisted"));
    await second.close();
  });

  it("refuses a directory that holds another layout, and a path that is a file", async () => {
    const dir = newDir();
    await (await FsBlobStore.open(dir)).close();
    await writeFile(join(dir, "SHARDING"), "/repo/flatfs/shard/v1/next-to-last/2\n");
    await assert.rejects(
      FsBlobStore.open(dir),
      (error: unknown) => error instanceof MedchainError && error.code === "StorageUnavailable",
    );
    const file = join(scratch, "a-file");
    await writeFile(file, "x");
    await assert.rejects(
      FsBlobStore.open(file),
      (error: unknown) => error instanceof MedchainError && error.code === "StorageUnavailable",
    );
  });

  it("a temp file left by a crashed write is never served; sweepTempFiles removes old ones only", async () => {
    const store = await FsBlobStore.open(newDir());
    const cid = await computeCid(utf8("never finished"));
    const shardDir = join(store.pathOf(cid), "..");
    await rm(shardDir, { recursive: true, force: true });
    await mkdir(shardDir, { recursive: true });
    await writeFile(join(shardDir, `.tmp-${cid}-deadbeef0000`), "never fin");
    assert.equal(await store.has(cid), false);
    await assert.rejects(
      store.get(cid),
      (error: unknown) => error instanceof MedchainError && error.code === "BlobNotFound",
    );
    assert.equal(await store.sweepTempFiles(), 0, "recent temp files may belong to writes in flight");
    assert.equal(await store.sweepTempFiles(0), 1);
    assert.deepEqual(await filesUnder(store.root), ["SHARDING"]);
    await store.close();
  });

  it("a blob damaged on disk (truncated) is an IntegrityError, not served", async () => {
    const store = await FsBlobStore.open(newDir());
    const cid = await store.put(utf8("some ciphertext bytes"));
    await truncate(store.pathOf(cid), 4);
    await assert.rejects(
      store.get(cid),
      (error: unknown) =>
        error instanceof MedchainError && error.code === "IntegrityError" && error.details?.cid === cid,
    );
    assert.equal((await store.get(cid, { verify: false })).length, 4);
    await store.close();
  });

  it("health is not ok once the directory is gone", async () => {
    const dir = newDir();
    const store = await FsBlobStore.open(dir);
    assert.equal((await store.health()).ok, true);
    await rm(dir, { recursive: true, force: true });
    const health = await store.health();
    assert.equal(health.ok, false);
    assert.match(String(health.detail), /ENOENT/);
    await store.close();
  });

  it("a writer killed with SIGKILL mid-stream leaves only complete blobs under their CIDs", async (t) => {
    const dir = newDir();
    const module = pathToFileURL(join(import.meta.dirname, "fsBlobStore.ts")).href;
    // Writes 256 KiB blobs in a loop, printing each CID once stored.
    const script = `
      const { FsBlobStore } = await import(${JSON.stringify(module)});
      const store = await FsBlobStore.open(${JSON.stringify(dir)});
      for (let i = 0; ; i++) {
        const bytes = new Uint8Array(256 * 1024).fill(i & 0xff);
        bytes[0] = i >> 8; bytes[1] = i >> 16;
        process.stdout.write((await store.put(bytes)) + "\\n");
      }`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer never started: ${stderr}`)), 30_000);
      child.stdout.on("data", () => {
        if (stdout.split("\n").length > 40) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", () => {
        clearTimeout(timer);
        reject(new Error(`writer exited early: ${stderr}`));
      });
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const confirmed = stdout.split("\n").filter((line) => line.startsWith("b"));
    const store = await FsBlobStore.open(dir);
    const files = (await filesUnder(store.root)).filter((f) => f !== "SHARDING");
    const blobs = files.filter((f) => !f.split("/").at(-1)!.startsWith(".tmp-"));
    for (const file of blobs) {
      const cid = file.split("/").at(-1)!;
      const bytes = await store.get(cid); // verifies the hash: throws if partial
      assert.equal(bytes.length, 256 * 1024);
    }
    for (const cid of confirmed) assert.equal(await store.has(cid), true, `confirmed ${cid} is missing`);
    t.diagnostic(
      `${confirmed.length} confirmed, ${blobs.length} complete blobs, ${files.length - blobs.length} temp leftovers`,
    );
    await store.close();
  });
});
