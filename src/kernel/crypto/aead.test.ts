import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../errors.ts";
import { fromHex, randomBytes, utf8Encode } from "./bytes.ts";
import { AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH, importAeadKey, open, seal } from "./aead.ts";

async function assertRejects(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof MedchainError && err.code === code, message);
}

describe("aead (AES-256-GCM)", () => {
  it(
    "opens a known-answer vector (GCM spec test case " + "16: AES-256, 96-bit IV, AAD) in nonce||ct||tag form",
    async () => {
      const key = await importAeadKey(fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
      const iv = "cafebabefacedbaddecaf888";
      const ct =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f6" +
        "1e6393ba7a0abcc9f662";
      const tag = "76fc6ece0f4e1768cddf8853bb2d551b";
      const aad = fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
      const pt = await open(key, fromHex(iv + ct + tag), aad);
      assert.deepEqual(
        pt,
        fromHex(
          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b1" +
            "6aedf5aa0de657ba637b39",
        ),
      );
    },
  );

  it("round-trips, with a fresh nonce per seal", async () => {
    const key = await importAeadKey(randomBytes(32));
    const aad = utf8Encode("record 1 v1 owner 0xabc");
    for (const size of [0, 1, 15, 16, 17, 4096, 100_000]) {
      const pt = randomBytes(size);
      const sealed = await seal(key, pt, aad);
      assert.equal(sealed.length, AEAD_NONCE_LENGTH + size + AEAD_TAG_LENGTH);
      assert.deepEqual(await open(key, sealed, aad), pt);
    }
    const pt = utf8Encode("same plaintext");
    const [a, b] = await Promise.all([seal(key, pt, aad), seal(key, pt, aad)]);
    assert.notDeepEqual(a.subarray(0, AEAD_NONCE_LENGTH), b.subarray(0, AEAD_NONCE_LENGTH));
  });

  it("throws IntegrityError when any single byte of nonce, ciphertext or tag is altered", async () => {
    const key = await importAeadKey(randomBytes(32));
    const aad = utf8Encode("aad");
    const sealed = await seal(key, utf8Encode("Observation: glucose 5.4 mmol/L"), aad);
    for (let i = 0; i < sealed.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const tampered = sealed.slice();
        tampered[i]! ^= flip;
        await assertRejects(open(key, tampered, aad), "IntegrityError", `byte ${i} flip ${flip}`);
      }
    }
  });

  it("throws IntegrityError for a changed AAD, a wrong key, truncation or extension", async () => {
    const key = await importAeadKey(randomBytes(32));
    const aad = utf8Encode("record 7 v2");
    const sealed = await seal(key, utf8Encode("secret"), aad);
    await assertRejects(open(key, sealed, utf8Encode("record 7 v3")), "IntegrityError");
    await assertRejects(open(key, sealed, utf8Encode("record 7 v2 ")), "IntegrityError");
    await assertRejects(open(key, sealed, new Uint8Array()), "IntegrityError");
    await assertRejects(open(await importAeadKey(randomBytes(32)), sealed, aad), "IntegrityError");
    await assertRejects(open(key, sealed.subarray(0, sealed.length - 1), aad), "IntegrityError");
    await assertRejects(open(key, new Uint8Array([...sealed, 0]), aad), "IntegrityError");
    await assertRejects(open(key, sealed.subarray(0, AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH - 1), aad), "IntegrityError");
    await assertRejects(open(key, new Uint8Array(), aad), "IntegrityError");
  });

  it("error messages hold neither plaintext nor key material", async () => {
    const raw = randomBytes(32);
    const key = await importAeadKey(raw);
    const sealed = await seal(key, utf8Encode("PATIENT-SECRET-42"), new Uint8Array());
    sealed[20]! ^= 1;
    const err = await open(key, sealed, new Uint8Array()).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof MedchainError);
    const text = JSON.stringify(err.toJSON()) + err.message;
    assert.ok(!text.includes("PATIENT-SECRET-42"));
    assert.ok(!text.includes(Buffer.from(raw).toString("hex")));
  });

  it("accepts only 32-byte keys, imported non-extractable", async () => {
    await assertRejects(importAeadKey(randomBytes(16)), "InvalidInput");
    await assertRejects(importAeadKey(randomBytes(33)), "InvalidInput");
    const key = await importAeadKey(randomBytes(32));
    assert.equal(key.extractable, false);
    assert.deepEqual([...key.usages].sort(), ["decrypt", "encrypt"]);
  });
});
