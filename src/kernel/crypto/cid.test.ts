import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CID } from "multiformats/cid";
import { base58btc } from "multiformats/bases/base58";
import * as Digest from "multiformats/hashes/digest";
import { MedchainError } from "../errors.ts";
import { randomBytes, toHex, utf8Encode } from "./bytes.ts";
import { cidDigestHex, cidFromDigest, cidOf } from "./cid.ts";

function assertInvalid(fn: () => unknown, message?: string): void {
  assert.throws(fn, (err: unknown) => err instanceof MedchainError && err.code === "InvalidInput", message);
}

describe("cid", () => {
  it("gives the IPFS raw CID of 'hello'", async () => {
    const cid = await cidOf(utf8Encode("hello"));
    assert.equal(cid, "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
    // sha256("hello")
    assert.equal(cidDigestHex(cid), "0x2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assert.equal(cidFromDigest("0x2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), cid);
  });

  it("round-trips digest and CID, and the digest is sha-256 of the bytes", async () => {
    for (const size of [0, 1, 1000, 300_000]) {
      const bytes = randomBytes(size);
      const cid = await cidOf(bytes);
      const digest = cidDigestHex(cid);
      assert.equal(digest, `0x${createHash("sha256").update(bytes).digest("hex")}`);
      assert.equal(cidFromDigest(digest), cid);
    }
    const upper = `0x${"AB".repeat(32)}` as const;
    assert.equal(cidDigestHex(cidFromDigest(upper)), `0x${"ab".repeat(32)}`);
  });

  it("accepts the same CID in another multibase", () => {
    const cid = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";
    const z = CID.parse(cid).toString(base58btc);
    assert.ok(z.startsWith("z"));
    assert.equal(cidDigestHex(z), cidDigestHex(cid));
  });

  it("rejects malformed, CIDv0, non-raw and non-sha256 CIDs with InvalidInput", () => {
    assertInvalid(() => cidDigestHex(""), "empty");
    assertInvalid(() => cidDigestHex("not a cid"), "garbage");
    assertInvalid(() => cidDigestHex("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4ye"), "truncated");
    assertInvalid(() => cidDigestHex("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"), "CIDv0 (dag-pb)");
    const digest = Digest.create(0x12, randomBytes(32));
    assertInvalid(() => cidDigestHex(CID.createV1(0x70, digest).toString()), "dag-pb codec");
    assertInvalid(() => cidDigestHex(CID.createV1(0x71, digest).toString()), "dag-cbor codec");
    assertInvalid(() => cidDigestHex(CID.createV1(0x55, Digest.create(0x13, randomBytes(64))).toString()), "sha2-512");
    assertInvalid(
      () => cidDigestHex(CID.createV1(0x55, Digest.create(0x00, utf8Encode("hello"))).toString()),
      "identity hash",
    );
    assertInvalid(
      () => cidDigestHex(CID.createV1(0x55, Digest.create(0x12, randomBytes(20))).toString()),
      "short sha2-256",
    );
    for (const bad of [
      "0x1234",
      "0x" + "00".repeat(33),
      "00".repeat(32),
      toHex(randomBytes(32)).replace("0x", "0xg"),
    ]) {
      assertInvalid(() => cidFromDigest(bad as `0x${string}`), bad);
    }
  });
});
