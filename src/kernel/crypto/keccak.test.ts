import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { randomBytes, toHex, utf8Encode } from "./bytes.ts";
import { keccak256Bytes, keccak256Into } from "./keccak.ts";

describe("keccak256", () => {
  it("matches the known Keccak-256 values", () => {
    assert.equal(
      toHex(keccak256Bytes(new Uint8Array())),
      "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
    assert.equal(
      toHex(keccak256Bytes(utf8Encode("abc"))),
      "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    );
  });

  it("matches viem's keccak256 for every length from 0 to 600 bytes (several blocks)", () => {
    for (let len = 0; len <= 600; len++) {
      const data = randomBytes(len);
      assert.equal(toHex(keccak256Bytes(data)), keccak256(data), `length ${len}`);
    }
  });

  it("reads and writes at offsets, also in place", () => {
    const buf = randomBytes(400);
    const expected = keccak256(buf.subarray(5, 5 + 300));
    const out = new Uint8Array(40);
    keccak256Into(buf, 5, 300, out, 3);
    assert.equal(toHex(out.subarray(3, 35)), expected);
    const inPlace = buf.slice();
    keccak256Into(inPlace, 0, 64, inPlace, 0);
    assert.equal(toHex(inPlace.subarray(0, 32)), keccak256(buf.subarray(0, 64)));
    assert.deepEqual(inPlace.subarray(32), buf.subarray(32), "bytes after the digest are untouched");
  });
});
