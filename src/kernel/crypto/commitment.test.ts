import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { utf8Encode } from "./bytes.ts";
import { canonicalJson } from "./canonical.ts";
import { commitResource, verifyCommitment } from "./commitment.ts";
import { deriveCommitmentKey, newKek } from "./keys.ts";

const BATCH = "0x9c22ff5f21f0b81b113e63f7db6da94fedef11b2119b4088b89664fb9a3cb658" as const;

describe("commitResource", () => {
  it("is HMAC-SHA256 (RFC 4231 test case 2)", async () => {
    const key = await globalThis.crypto.subtle.importKey(
      "raw",
      utf8Encode("Jefe"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    const data = utf8Encode("what do ya want for nothing?");
    const expected = "0x5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert.equal(await commitResource(key, data), expected);
    assert.equal(await verifyCommitment(key, data, expected), true);
  });

  it("is salted: the same content commits differently under another KEK", async () => {
    const doc = canonicalJson({ resourceType: "Condition", code: { text: "Diabetes" } });
    const k1 = await deriveCommitmentKey(newKek(), BATCH);
    const k2 = await deriveCommitmentKey(newKek(), BATCH);
    const c1 = await commitResource(k1, doc);
    assert.match(c1, /^0x[0-9a-f]{64}$/);
    assert.equal(await commitResource(k1, doc), c1);
    assert.notEqual(await commitResource(k2, doc), c1);
    assert.equal(await verifyCommitment(k1, doc, c1), true);
    assert.equal(await verifyCommitment(k2, doc, c1), false);
    assert.equal(
      await verifyCommitment(k1, canonicalJson({ resourceType: "Condition", code: { text: "Asthma" } }), c1),
      false,
    );
    assert.equal(await verifyCommitment(k1, doc, "0x1234"), false);
  });
});
