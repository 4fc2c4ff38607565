/**
 * Pairwise key derivation: deterministic, distinct per provider, and exactly
 * the documented construction (HKDF-SHA256 recomputed here with node:crypto;
 * the X25519 key by RFC 9180 DeriveKeyPair recomputed by hand).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac, createPrivateKey, createPublicKey, hkdfSync } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hexToBytes, toHex } from "viem";
import { MedchainError } from "./errors.ts";
import { unwrapKey, wrapKey } from "./crypto/hpke.ts";
import { derivePairwiseKeys, derivePairwiseSecrets, PAIRWISE_INFO_PREFIX } from "./pairwise.ts";

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** RFC 9180 section 7.1.3 DeriveKeyPair for DHKEM(X25519, HKDF-SHA256) (suite id KEM 0x0020): the raw private key. */
function rfc9180DeriveX25519(ikm: Buffer): Buffer {
  const suite = Buffer.concat([Buffer.from("KEM"), Buffer.from([0x00, 0x20])]);
  const labeled = (label: string): Buffer => Buffer.concat([Buffer.from("HPKE-v1"), suite, Buffer.from(label)]);
  const prk = hmac(Buffer.alloc(32), Buffer.concat([labeled("dkp_prk"), ikm])); // LabeledExtract("", "dkp_prk", ikm)
  // I2OSP(32, 2) || "HPKE-v1" || suite || "sk" || ""
  const info = Buffer.concat([Buffer.from([0x00, 0x20]), labeled("sk")]);
  return hmac(prk, Buffer.concat([info, Buffer.from([0x01])])); // HKDF-Expand, one block
}

function x25519Public(raw: Buffer): Buffer {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), raw]);
  return createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }))
    .export({ format: "der", type: "spki" })
    .subarray(-32);
}

describe("pairwise keys", () => {
  const root = generatePrivateKey();

  it(
    "follow the documented construction: HKDF-SHA256(root, info " +
      "medchain/pairwise/v1/<provider>) -> secp256k1 key | X25519 seed",
    async () => {
      const s = await derivePairwiseSecrets(root, "provA");
      const okm = Buffer.from(
        hkdfSync("sha256", hexToBytes(root), new Uint8Array(0), Buffer.from(`${PAIRWISE_INFO_PREFIX}provA`), 64),
      );
      assert.equal(s.signingKey, toHex(okm.subarray(0, 32)));
      const sk = rfc9180DeriveX25519(okm.subarray(32));
      assert.equal(toHex(s.encryptionPrivateKey), toHex(sk));
      assert.equal(toHex(s.encryptionPublicKey), toHex(x25519Public(sk)));
    },
  );

  it("are deterministic, distinct per provider and unrelated to the root", async () => {
    const a1 = await derivePairwiseKeys(root, "provA");
    const a2 = await derivePairwiseKeys(root, "provA");
    const b = await derivePairwiseKeys(root, "provB");
    const otherRoot = await derivePairwiseKeys(generatePrivateKey(), "provA");
    assert.equal(a1.account.address, a2.account.address);
    assert.deepEqual(a1.encryptionPublicKey, a2.encryptionPublicKey);
    const addresses = new Set([
      privateKeyToAccount(root).address,
      a1.account.address,
      b.account.address,
      otherRoot.account.address,
    ]);
    assert.equal(addresses.size, 4);
    assert.notDeepEqual(a1.encryptionPublicKey, b.encryptionPublicKey);
  });

  it("give an X25519 pair that opens what is wrapped to it (the records slice's HPKE)", async () => {
    const k = await derivePairwiseKeys(root, "lab-7");
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const info = new TextEncoder().encode("info");
    const aad = new TextEncoder().encode("aad");
    const wrapped = await wrapKey(k.encryptionPublicKey, secret, info, aad);
    assert.deepEqual(await unwrapKey(k.encryptionPrivateKey, wrapped, info, aad), secret);
  });

  it("accept provider names and addresses (any case), refuse other labels with InvalidInput", async () => {
    const addr = privateKeyToAccount(generatePrivateKey()).address;
    assert.equal(
      (await derivePairwiseKeys(root, addr)).account.address,
      (await derivePairwiseKeys(root, addr.toLowerCase())).account.address,
    );
    for (const bad of ["", "a b", "x@y", "-lead", "é", "a".repeat(65)]) {
      await assert.rejects(
        derivePairwiseSecrets(root, bad),
        (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
        bad,
      );
    }
  });
});
