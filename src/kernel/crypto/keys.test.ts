import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hkdfSync } from "node:crypto";
import { MedchainError } from "../errors.ts";
import { concatBytes, fromHex, randomBytes, toHex, utf8Encode } from "./bytes.ts";
import { open, seal } from "./aead.ts";
import { commitResource } from "./commitment.ts";
import { deriveCommitmentKey, deriveCommitmentKeyFrom, deriveDek, deriveDekFrom, importKek, newKek } from "./keys.ts";

const BATCH = "0x9c22ff5f21f0b81b113e63f7db6da94fedef11b2119b4088b89664fb9a3cb658" as const;
const OTHER_BATCH = "0x0000000000000000000000000000000000000000000000000000000000000001" as const;
const IV = new Uint8Array(12).fill(7);
const PROBE = utf8Encode("probe");

async function assertRejects(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof MedchainError && err.code === code, message);
}

/** A fingerprint of a non-extractable AES-GCM key: its encryption of a fixed probe under a fixed IV. */
async function fingerprint(key: CryptoKey): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv: IV }, key, PROBE)));
}

/** Reference HKDF-SHA256 (node:crypto), as the DEK derivation is specified. */
function referenceDek(kek: Uint8Array, batchId: `0x${string}`, index: number): Uint8Array<ArrayBuffer> {
  const be = new Uint8Array(4);
  new DataView(be.buffer).setUint32(0, index, false);
  return new Uint8Array(hkdfSync("sha256", kek, fromHex(batchId), concatBytes(utf8Encode("medchain/dek/v1"), be), 32));
}

describe("key hierarchy", () => {
  it("WebCrypto HKDF-SHA256 matches RFC 5869 test case 1", async () => {
    const base = await globalThis.crypto.subtle.importKey("raw", new Uint8Array(22).fill(0x0b), "HKDF", false, [
      "deriveBits",
    ]);
    const okm = await globalThis.crypto.subtle.deriveBits(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: fromHex("000102030405060708090a0b0c"),
        info: fromHex("f0f1f2f3f4f5f6f7f8f9"),
      },
      base,
      42 * 8,
    );
    assert.equal(
      toHex(new Uint8Array(okm)),
      "0x3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
  });

  it("newKek draws 32 fresh random bytes", () => {
    const a = newKek();
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, newKek());
  });

  it("derives DEKs as HKDF-SHA256(salt = batch id, info = 'medchain/dek/v1' || uint32be(index))", async () => {
    const kek = newKek();
    const kekKey = await importKek(kek);
    for (const index of [0, 1, 258, 0x01020304, 0xffffffff]) {
      const reference = await globalThis.crypto.subtle.importKey(
        "raw",
        referenceDek(kek, BATCH, index),
        "AES-GCM",
        false,
        ["encrypt"],
      );
      assert.equal(
        await fingerprint(await deriveDekFrom(kekKey, BATCH, index)),
        await fingerprint(reference),
        `index ${index}`,
      );
    }
  });

  it("is deterministic and separates indexes, batches and KEKs", async () => {
    const kek = newKek();
    const kekKey = await importKek(kek);
    const f = (k: Promise<CryptoKey>): Promise<string> => k.then(fingerprint);
    const base = await f(deriveDekFrom(kekKey, BATCH, 5));
    assert.equal(await f(deriveDekFrom(kekKey, BATCH, 5)), base);
    assert.equal(await f(deriveDek(kek, BATCH, 5)), base, "deriveDek = deriveDekFrom(importKek(kek))");
    assert.equal(
      await f(deriveDekFrom(kekKey, BATCH.toUpperCase().replace("0X", "0x") as `0x${string}`, 5)),
      base,
      "hex case does not matter",
    );
    const others = await Promise.all([
      f(deriveDekFrom(kekKey, BATCH, 4)),
      f(deriveDekFrom(kekKey, BATCH, 6)),
      f(deriveDekFrom(kekKey, OTHER_BATCH, 5)),
      f(deriveDek(newKek(), BATCH, 5)),
    ]);
    assert.equal(new Set([base, ...others]).size, 5);
    const sealed = await seal(await deriveDekFrom(kekKey, BATCH, 1), utf8Encode("resource 1"), utf8Encode("aad"));
    assert.deepEqual(
      await open(await deriveDekFrom(kekKey, BATCH, 1), sealed, utf8Encode("aad")),
      utf8Encode("resource 1"),
    );
    await assertRejects(open(await deriveDekFrom(kekKey, BATCH, 2), sealed, utf8Encode("aad")), "IntegrityError");
  });

  it("gives non-extractable AES-256-GCM keys", async () => {
    const dek = await deriveDekFrom(await importKek(newKek()), BATCH, 0);
    assert.equal(dek.extractable, false);
    assert.equal(dek.algorithm.name, "AES-GCM");
    assert.equal((dek.algorithm as AesKeyAlgorithm).length, 256);
    assert.deepEqual([...dek.usages].sort(), ["decrypt", "encrypt"]);
  });

  it("derives the commitment key as HMAC-SHA256 under HKDF(info = 'medchain/commit/v1')", async () => {
    const kek = newKek();
    const commitKey = await deriveCommitmentKey(kek, BATCH);
    assert.equal(commitKey.extractable, false);
    assert.equal(commitKey.algorithm.name, "HMAC");
    const refKey = new Uint8Array(hkdfSync("sha256", kek, fromHex(BATCH), utf8Encode("medchain/commit/v1"), 32));
    const ref = await globalThis.crypto.subtle.importKey("raw", refKey, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const msg = utf8Encode('{"resourceType":"Observation"}');
    const expected = toHex(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", ref, msg)));
    assert.equal(await commitResource(commitKey, msg), expected);
    assert.equal(await commitResource(await deriveCommitmentKeyFrom(await importKek(kek), BATCH), msg), expected);
    assert.notEqual(await commitResource(await deriveCommitmentKey(kek, OTHER_BATCH), msg), expected);
    // the commitment key is not a DEK
    const dekRef = new Uint8Array(
      hkdfSync("sha256", kek, fromHex(BATCH), concatBytes(utf8Encode("medchain/dek/v1"), new Uint8Array(4)), 32),
    );
    assert.notDeepEqual(dekRef, refKey);
  });

  it("rejects malformed KEKs, batch ids and indexes with InvalidInput", async () => {
    await assertRejects(importKek(randomBytes(16)), "InvalidInput");
    await assertRejects(deriveDek(randomBytes(31), BATCH, 0), "InvalidInput");
    const kekKey = await importKek(newKek());
    for (const bad of [
      "0x01",
      "0x" + "00".repeat(31),
      "0x" + "00".repeat(33),
      BATCH.slice(2),
      "0x" + "zz".repeat(32),
    ]) {
      await assertRejects(deriveDekFrom(kekKey, bad as `0x${string}`, 0), "InvalidInput", bad);
      await assertRejects(deriveCommitmentKeyFrom(kekKey, bad as `0x${string}`), "InvalidInput", bad);
    }
    for (const index of [-1, 1.5, 2 ** 32, Number.NaN]) {
      await assertRejects(deriveDekFrom(kekKey, BATCH, index), "InvalidInput", String(index));
    }
  });
});
