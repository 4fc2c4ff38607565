/**
 * Behaviour suite of the blob store port, shared by every implementation.
 * Run it from a `*.test.ts` file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import { sha512 } from "multiformats/hashes/sha2";

import { MedchainError } from "../../kernel/errors.ts";
import type { ErrorCode } from "../../kernel/errors.ts";
import { computeCid } from "./blobStore.ts";
import type { BlobStore } from "./blobStore.ts";

/**
 * Known CIDs (CIDv1, raw, sha2-256, base32). Computed once with multiformats
 * (`CID.create(1, raw.code, await sha256.digest(bytes)).toString()`) and
 * hard-coded so that a change of library or of our code cannot silently
 * change blob ids. They are the ids IPFS (kubo) gives these bytes as a raw
 * block, e.g. `echo -n hello | ipfs add --cid-version 1 --raw-leaves`; the
 * same two strings appear as kubo test vectors in other projects, and
 * `blobStore.test.ts` recomputes them without multiformats (node:crypto
 * sha256 + hand-built CID bytes + RFC 4648 base32).
 */
export const KNOWN_CIDS = {
  /** The 5 bytes of the ASCII string `hello`. */
  hello: "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
  /** Zero bytes. */
  empty: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
} as const;

/** What a blob store implementation gives the suite for one test. */
export interface BlobStoreHarness {
  /** A new, empty store. */
  store: BlobStore;
  /**
   * Corrupts the stored copy of `cid` behind the store's back (flips a byte
   * on disk); given only by implementations where that can happen.
   */
  tamper?: (cid: string) => Promise<void>;
  /** Removes what the harness created (after `store.close()`). */
  dispose?: () => Promise<void>;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Deterministic pseudo-random bytes (xorshift), so failures are reproducible. */
function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A predicate for `assert.rejects` checking a MedchainError code (and optionally its details). */
function medchainError(code: ErrorCode, details?: Record<string, unknown>) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof MedchainError, `expected MedchainError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const [key, value] of Object.entries(details ?? {}))
      assert.deepEqual(error.details?.[key], value, `details.${key}`);
    return true;
  };
}

/**
 * Declares the blob store behaviour tests for one implementation.
 *
 * @param name suite title, e.g. `"fs"`.
 * @param make creates a new, empty store (with optional test hooks) per test.
 */
export function describeBlobStoreBehaviour(name: string, make: () => Promise<BlobStoreHarness>): void {
  /** Runs `fn` with a fresh harness, always closing and disposing it. */
  async function withStore(fn: (h: BlobStoreHarness) => Promise<void>): Promise<void> {
    const harness = await make();
    try {
      await fn(harness);
    } finally {
      await harness.store.close();
      await harness.dispose?.();
    }
  }

  describe(`BlobStore behaviour: ${name}`, () => {
    it("ids blobs by the CIDs IPFS computes (known vectors for 'hello' and empty)", () =>
      withStore(async ({ store }) => {
        assert.equal(await computeCid(utf8("hello")), KNOWN_CIDS.hello);
        assert.equal(await computeCid(new Uint8Array(0)), KNOWN_CIDS.empty);
        assert.equal(await store.put(utf8("hello")), KNOWN_CIDS.hello);
        assert.equal(await store.put(new Uint8Array(0)), KNOWN_CIDS.empty);
      }));

    it("put, get, has, delete; a missing blob is BlobNotFound with its cid", () =>
      withStore(async ({ store }) => {
        const bytes = utf8("ciphertext #1");
        const cid = await store.put(bytes);
        assert.equal(cid, await computeCid(bytes));
        assert.equal(await store.has(cid), true);
        assert.deepEqual(await store.get(cid), bytes);
        assert.deepEqual(await store.get(cid, { verify: false }), bytes);
        assert.equal(await store.delete(cid), true);
        assert.equal(await store.has(cid), false);
        await assert.rejects(store.get(cid), medchainError("BlobNotFound", { cid }));
        assert.equal(await store.has(KNOWN_CIDS.hello), false);
      }));

    it("delete is idempotent and reports whether the blob existed", () =>
      withStore(async ({ store }) => {
        const cid = await store.put(utf8("to be unpinned"));
        assert.equal(await store.delete(cid), true);
        assert.equal(await store.delete(cid), false);
        assert.equal(await store.delete(KNOWN_CIDS.hello), false);
        const results = await Promise.all([store.put(utf8("x")), store.put(utf8("x"))]).then(([a]) =>
          Promise.all([store.delete(a), store.delete(a), store.delete(a)]),
        );
        assert.equal(results.filter(Boolean).length, 1, "exactly one concurrent delete sees the blob");
      }));

    it("put is idempotent: same bytes, same CID, one blob", () =>
      withStore(async ({ store }) => {
        const a = await store.put(utf8("same"));
        const b = await store.put(utf8("same"));
        assert.equal(a, b);
        assert.equal(await store.delete(a), true);
        assert.equal(await store.has(a), false);
      }));

    it("putExpected stores bytes that match, and accepts the CID in another multibase", () =>
      withStore(async ({ store }) => {
        assert.equal(await store.putExpected(KNOWN_CIDS.hello, utf8("hello")), KNOWN_CIDS.hello);
        assert.deepEqual(await store.get(KNOWN_CIDS.hello), utf8("hello"));
        const base58 = CID.parse(KNOWN_CIDS.empty).toString(base58btc);
        assert.ok(base58.startsWith("z"));
        assert.equal(await store.putExpected(base58, new Uint8Array(0)), KNOWN_CIDS.empty);
        assert.equal(await store.has(base58), true);
        assert.equal(await store.has(KNOWN_CIDS.empty), true);
        assert.equal((await store.get(base58)).length, 0);
      }));

    it("putExpected with bytes that hash elsewhere throws CidMismatch and stores nothing", () =>
      withStore(async ({ store }) => {
        const actual = await computeCid(utf8("hellO"));
        await assert.rejects(
          store.putExpected(KNOWN_CIDS.hello, utf8("hellO")),
          medchainError("CidMismatch", { expected: KNOWN_CIDS.hello, actual }),
        );
        assert.equal(await store.has(KNOWN_CIDS.hello), false);
        assert.equal(await store.has(actual), false);
      }));

    it("malformed or foreign CIDs and non-byte input give InvalidInput", () =>
      withStore(async ({ store }) => {
        const sha512Raw = CID.create(1, 0x55, await sha512.digest(utf8("hello"))).toString();
        const dagPb = CID.create(1, 0x70, CID.parse(KNOWN_CIDS.hello).multihash).toString();
        const bad = [
          "",
          "not-a-cid",
          "../../etc/passwd",
          `${KNOWN_CIDS.hello}/x`,
          KNOWN_CIDS.hello.slice(0, -2),
          "QmRN6wdp1S2A5EtjW9A3M1vKSBuQQGcgvuhoMUoEz4iiT5", // CIDv0 (dag-pb)
          dagPb, // right hash, wrong codec
          sha512Raw, // right codec, wrong hash
        ];
        for (const cid of bad) {
          await assert.rejects(store.get(cid), medchainError("InvalidInput"), `get(${JSON.stringify(cid)})`);
          await assert.rejects(store.has(cid), medchainError("InvalidInput"), `has(${JSON.stringify(cid)})`);
          await assert.rejects(store.delete(cid), medchainError("InvalidInput"), `delete(${JSON.stringify(cid)})`);
          await assert.rejects(
            store.putExpected(cid, utf8("hello")),
            medchainError("InvalidInput"),
            `putExpected(${JSON.stringify(cid)})`,
          );
        }
        await assert.rejects(store.put("hello" as unknown as Uint8Array), medchainError("InvalidInput"));
        await assert.rejects(store.put([1, 2, 3] as unknown as Uint8Array), medchainError("InvalidInput"));
      }));

    it("stores 1 MB and 0-byte blobs exactly", () =>
      withStore(async ({ store }) => {
        const big = pseudoRandom(1024 * 1024, 42);
        const cid = await store.put(big);
        assert.equal(cid, await computeCid(big));
        const back = await store.get(cid);
        assert.equal(back.length, big.length);
        assert.ok(Buffer.from(back).equals(Buffer.from(big)));
        const empty = await store.put(new Uint8Array(0));
        assert.equal((await store.get(empty)).length, 0);
        assert.equal(await store.has(empty), true);
      }));

    it("accepts views and Buffers; copies in and out, so callers cannot alter what is stored", () =>
      withStore(async ({ store }) => {
        const backing = utf8("__payload__");
        const view = backing.subarray(2, 9); // "payload"
        const cid = await store.put(view);
        assert.equal(cid, await computeCid(utf8("payload")));
        backing.fill(0);
        const first = await store.get(cid);
        assert.deepEqual(first, utf8("payload"));
        first.fill(0);
        assert.deepEqual(await store.get(cid), utf8("payload"));
        assert.equal(await store.put(Buffer.from("payload")), cid);
      }));

    it("concurrent puts of the same bytes (and of different bytes) all succeed", () =>
      withStore(async ({ store }) => {
        const same = pseudoRandom(256 * 1024, 7);
        const cids = await Promise.all(Array.from({ length: 16 }, () => store.put(same)));
        assert.equal(new Set(cids).size, 1);
        assert.ok(Buffer.from(await store.get(cids[0]!)).equals(Buffer.from(same)));
        const different = Array.from({ length: 16 }, (_, i) => pseudoRandom(1000 + i, i + 100));
        const ids = await Promise.all(different.map((bytes) => store.put(bytes)));
        assert.equal(new Set(ids).size, 16);
        for (const [i, id] of ids.entries()) assert.deepEqual(await store.get(id), different[i]);
      }));

    it("detects tampering: get throws IntegrityError, verify:false returns the stored bytes, put repairs", (t) =>
      withStore(async ({ store, tamper }) => {
        if (tamper === undefined) {
          t.skip(`${name} cannot be tampered with behind its back`);
          return;
        }
        const bytes = pseudoRandom(4096, 9);
        const cid = await store.put(bytes);
        await tamper(cid);
        await assert.rejects(store.get(cid), medchainError("IntegrityError", { cid }));
        await assert.rejects(store.get(cid, { verify: true }), medchainError("IntegrityError", { cid }));
        const raw = await store.get(cid, { verify: false });
        assert.equal(raw.length, bytes.length);
        assert.notDeepEqual(raw, bytes);
        assert.equal(await store.has(cid), true);
        assert.equal(await store.put(bytes), cid); // an intact copy replaces the damaged one
        assert.deepEqual(await store.get(cid), bytes);
      }));

    it("is healthy while open; after close health is not ok and calls throw StorageUnavailable", async () => {
      const harness = await make();
      try {
        const { store } = harness;
        const cid = await store.put(utf8("x"));
        const health = await store.health();
        assert.equal(health.ok, true, health.detail);
        assert.equal(health.kind, store.kind);
        await store.close();
        await store.close();
        assert.equal((await store.health()).ok, false);
        await assert.rejects(store.put(utf8("y")), medchainError("StorageUnavailable"));
        await assert.rejects(store.get(cid), medchainError("StorageUnavailable"));
        await assert.rejects(store.has(cid), medchainError("StorageUnavailable"));
        await assert.rejects(store.delete(cid), medchainError("StorageUnavailable"));
      } finally {
        await harness.dispose?.();
      }
    });
  });
}
