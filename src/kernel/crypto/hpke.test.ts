import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../errors.ts";
import { fromHex, randomBytes, toHex, utf8Decode, utf8Encode } from "./bytes.ts";
import { generateEncryptionKeyPair, hpkeSuite, unwrapKey, wrapKey } from "./hpke.ts";

async function assertRejects(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof MedchainError && err.code === code, message);
}

/**
 * RFC 9180 test vector for mode_base, DHKEM(X25519, HKDF-SHA256) (0x0020),
 * HKDF-SHA256 (0x0001), AES-256-GCM (0x0002): the entry of the RFC's
 * test-vectors.json (cfrg/draft-irtf-cfrg-hpke), as carried in BoringSSL's and
 * AWS-LC's crypto/hpke/hpke_test_vectors.txt; first encryption (sequence 0,
 * which is what single-shot seal/open use).
 */
const V = {
  info: "4f6465206f6e2061204772656369616e2055726e",
  skRm: "497b4502664cfea5d5af0b39934dac72242a74f8480451e1aee7d6a53320333d",
  pkRm: "430f4b9859665145a6b1ba274024487bd66f03a2dd577d7753c68d7d7d00c00c",
  skEm: "179d4b53b6365c45b600c4163b61d95cbc2f4d9e36f1695558dce265ab8bab11",
  pkEm: "6c93e09869df3402d7bf231bf540fadd35cd56be14f97178f0954db94b7fc256",
  aad: "436f756e742d30",
  ct: "e5d84cd531cfb583096e7cfa9641bd3079cf3a91cda813c52deb5f512be9931980a41de125a925cdad859d5b7a",
  pt: "4265617574792069732074727574682c20747275746820626561757479",
};

describe("hpke (RFC 9180, X25519 / HKDF-SHA256 / AES-256-GCM)", () => {
  it("unwrapKey opens the RFC 9180 test vector", async () => {
    const pt = await unwrapKey(
      fromHex(V.skRm),
      { enc: fromHex(V.pkEm), ct: fromHex(V.ct) },
      fromHex(V.info),
      fromHex(V.aad),
    );
    assert.equal(toHex(pt), `0x${V.pt}`);
    assert.equal(utf8Decode(pt), "Beauty is truth, truth beauty");
  });

  it("the suite reproduces the vector's enc and ciphertext from its ephemeral key", async () => {
    const ekm = {
      privateKey: await hpkeSuite.kem.deserializePrivateKey(fromHex(V.skEm)),
      publicKey: await hpkeSuite.kem.deserializePublicKey(fromHex(V.pkEm)),
    };
    const recipientPublicKey = await hpkeSuite.kem.deserializePublicKey(fromHex(V.pkRm));
    const { enc, ct } = await hpkeSuite.seal(
      { recipientPublicKey, info: fromHex(V.info), ekm },
      fromHex(V.pt),
      fromHex(V.aad),
    );
    assert.equal(toHex(new Uint8Array(enc)), `0x${V.pkEm}`);
    assert.equal(toHex(new Uint8Array(ct)), `0x${V.ct}`);
    // and skRm belongs to pkRm
    const jwk = await globalThis.crypto.subtle.exportKey(
      "jwk",
      await hpkeSuite.kem.deserializePrivateKey(fromHex(V.skRm)),
    );
    assert.equal(toHex(new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"))), `0x${V.pkRm}`);
  });

  it("derives the RFC 9180 A.1.1 key pairs (the same KEM, DeriveKeyPair)", async () => {
    const pairs: Array<[string, string, string]> = [
      [
        "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
        "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
        "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
      ],
      [
        "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
        "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
        "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
      ],
    ];
    for (const [ikm, sk, pk] of pairs) {
      const kp = await hpkeSuite.kem.deriveKeyPair(fromHex(ikm));
      assert.equal(toHex(new Uint8Array(await hpkeSuite.kem.serializePrivateKey(kp.privateKey))), `0x${sk}`);
      assert.equal(toHex(new Uint8Array(await hpkeSuite.kem.serializePublicKey(kp.publicKey))), `0x${pk}`);
    }
  });

  it("wraps and unwraps a KEK with a fresh key pair; each wrap is fresh", async () => {
    const { publicKey, privateKey } = await generateEncryptionKeyPair();
    assert.equal(publicKey.length, 32);
    assert.equal(privateKey.length, 32);
    const kek = randomBytes(32);
    const info = utf8Encode("medchain/kek/v1");
    const aad = utf8Encode("batch 0x01 category clinical recipient 0xabc");
    const w = await wrapKey(publicKey, kek, info, aad);
    assert.equal(w.enc.length, 32);
    assert.equal(w.ct.length, 32 + 16);
    assert.deepEqual(await unwrapKey(privateKey, w, info, aad), kek);
    const w2 = await wrapKey(publicKey, kek, info, aad);
    assert.notDeepEqual(w2.enc, w.enc);
    assert.notDeepEqual(w2.ct, w.ct);
    assert.deepEqual(await unwrapKey(privateKey, w2, info, aad), kek);
  });

  it("throws IntegrityError for a wrong private key or an altered enc, ct, info or aad", async () => {
    const { publicKey, privateKey } = await generateEncryptionKeyPair();
    const other = await generateEncryptionKeyPair();
    const info = utf8Encode("info");
    const aad = utf8Encode("aad");
    const w = await wrapKey(publicKey, randomBytes(32), info, aad);
    await assertRejects(unwrapKey(other.privateKey, w, info, aad), "IntegrityError", "wrong key");
    await assertRejects(unwrapKey(privateKey, w, utf8Encode("info2"), aad), "IntegrityError", "info");
    await assertRejects(unwrapKey(privateKey, w, info, utf8Encode("aad2")), "IntegrityError", "aad");
    await assertRejects(unwrapKey(privateKey, w, info, new Uint8Array()), "IntegrityError", "empty aad");
    for (const i of [0, 13, 31]) {
      const enc = w.enc.slice();
      enc[i]! ^= 0x40;
      await assertRejects(unwrapKey(privateKey, { enc, ct: w.ct }, info, aad), "IntegrityError", `enc byte ${i}`);
    }
    for (let i = 0; i < w.ct.length; i++) {
      const ct = w.ct.slice();
      ct[i]! ^= 0x01;
      await assertRejects(unwrapKey(privateKey, { enc: w.enc, ct }, info, aad), "IntegrityError", `ct byte ${i}`);
    }
    await assertRejects(
      unwrapKey(privateKey, { enc: w.enc.subarray(0, 31), ct: w.ct }, info, aad),
      "IntegrityError",
      "short enc",
    );
    await assertRejects(
      unwrapKey(privateKey, { enc: w.enc, ct: w.ct.subarray(0, 10) }, info, aad),
      "IntegrityError",
      "short ct",
    );
  });

  it("rejects malformed keys with InvalidInput", async () => {
    const { publicKey, privateKey } = await generateEncryptionKeyPair();
    const info = new Uint8Array();
    await assertRejects(wrapKey(publicKey.subarray(0, 31), randomBytes(32), info, info), "InvalidInput");
    await assertRejects(wrapKey(new Uint8Array(33), randomBytes(32), info, info), "InvalidInput");
    await assertRejects(wrapKey(new Uint8Array(32), randomBytes(32), info, info), "InvalidInput", "low-order point");
    await assertRejects(wrapKey(publicKey, new Uint8Array(), info, info), "InvalidInput", "empty key");
    const w = await wrapKey(publicKey, randomBytes(32), info, info);
    await assertRejects(unwrapKey(privateKey.subarray(1), w, info, info), "InvalidInput");
  });
});
