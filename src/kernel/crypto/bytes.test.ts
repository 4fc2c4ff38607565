import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../errors.ts";
import {
  concatBytes,
  equalBytes,
  fromBase64,
  fromHex,
  randomBytes,
  toBase64,
  toHex,
  utf8Decode,
  utf8Encode,
} from "./bytes.ts";

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof MedchainError && err.code === code);
}

describe("bytes", () => {
  it("encodes and decodes hex, 0x-prefixed and lowercase", () => {
    assert.equal(toHex(new Uint8Array([0, 1, 0xab, 0xff])), "0x0001abff");
    assert.equal(toHex(new Uint8Array()), "0x");
    assert.deepEqual(fromHex("0x0001abff"), new Uint8Array([0, 1, 0xab, 0xff]));
    assert.deepEqual(fromHex("0001ABff"), new Uint8Array([0, 1, 0xab, 0xff]));
    assert.deepEqual(fromHex("0X0a"), new Uint8Array([10]));
    assert.deepEqual(fromHex("0x"), new Uint8Array());
    const r = randomBytes(1000);
    assert.deepEqual(fromHex(toHex(r)), r);
  });

  it("rejects malformed hex with InvalidInput", () => {
    assertCode(() => fromHex("0x123"), "InvalidInput");
    assertCode(() => fromHex("0xzz"), "InvalidInput");
    assertCode(() => fromHex("0x0g"), "InvalidInput");
    assertCode(() => fromHex(" 00"), "InvalidInput");
  });

  it("matches the RFC 4648 base64 test vectors", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(toBase64(utf8Encode(plain)), encoded);
      assert.equal(utf8Decode(fromBase64(encoded)), plain);
    }
    assert.equal(utf8Decode(fromBase64("Zm9vYg")), "foob", "padding is optional");
    const big = randomBytes(200_000);
    assert.deepEqual(fromBase64(toBase64(big)), big);
    assert.equal(toBase64(new Uint8Array([0xfb, 0xff])), "+/8=");
  });

  it("rejects malformed base64 with InvalidInput", () => {
    for (const bad of ["Zg=", "Z", "Zm9v\n", "-_8=", "Zm9v====", "Zg==Zg=="])
      assertCode(() => fromBase64(bad), "InvalidInput");
  });

  it("round-trips UTF-8 and rejects invalid UTF-8", () => {
    const text = "Grüße, 患者 😀";
    assert.equal(utf8Decode(utf8Encode(text)), text);
    assert.deepEqual(utf8Encode("€"), new Uint8Array([0xe2, 0x82, 0xac]));
    assertCode(() => utf8Decode(new Uint8Array([0xc3, 0x28])), "InvalidInput");
    assertCode(() => utf8Decode(new Uint8Array([0xff])), "InvalidInput");
  });

  it("concatenates, compares and draws random bytes", () => {
    assert.deepEqual(
      concatBytes(new Uint8Array([1]), new Uint8Array(), new Uint8Array([2, 3])),
      new Uint8Array([1, 2, 3]),
    );
    assert.deepEqual(concatBytes(), new Uint8Array());
    assert.equal(randomBytes(0).length, 0);
    const big = randomBytes(70_000);
    assert.equal(big.length, 70_000);
    assert.ok(
      big.subarray(65_536).some((b) => b !== 0),
      "bytes past the first 64 KiB are filled",
    );
    assert.notDeepEqual(randomBytes(32), randomBytes(32));
    assertCode(() => randomBytes(-1), "InvalidInput");
    assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
    assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])), false);
    assert.equal(equalBytes(new Uint8Array(), new Uint8Array()), true);
  });
});
