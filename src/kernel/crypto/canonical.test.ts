import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../errors.ts";
import { utf8Decode } from "./bytes.ts";
import { canonicalJson } from "./canonical.ts";

function assertInvalid(value: unknown): void {
  assert.throws(
    () => canonicalJson(value),
    (err: unknown) => err instanceof MedchainError && err.code === "InvalidInput",
  );
}

describe("canonicalJson (RFC 8785)", () => {
  it("reproduces the RFC 8785 section 3.2.2 example, byte for byte", () => {
    // Input as written in the RFC (parsed by JSON.parse, as any JSON input would be).
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    const out = canonicalJson(input);
    assert.equal(
      utf8Decode(out),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // RFC 8785 section 3.2.4: the UTF-8 bytes of that output, as the RFC lists them.
    const expectedHex = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`.replace(/\s+/g, "");
    assert.equal(Buffer.from(out).toString("hex"), expectedHex);
  });

  it("sorts properties by UTF-16 code units (RFC 8785 section 3.2.3 example)", () => {
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    assert.equal(
      utf8Decode(canonicalJson(input)),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it("formats numbers as RFC 8785 Appendix B says", () => {
    const vectors: Array<[string, string]> = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"],
      ["0000000000000001", "5e-324"],
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"],
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"],
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"],
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["44b52d02c7e14af7", "1.0000000000000001e+23"],
      ["444b1ae4d6e2ef4e", "999999999999999700000"],
      ["444b1ae4d6e2ef4f", "999999999999999900000"],
      ["444b1ae4d6e2ef50", "1e+21"],
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3eb0c6f7a0b5ed8d", "0.000001"],
      ["41b3de4355555553", "333333333.3333332"],
      ["41b3de4355555554", "333333333.33333325"],
      ["41b3de4355555555", "333333333.3333333"],
      ["41b3de4355555556", "333333333.3333334"],
      ["41b3de4355555557", "333333333.33333343"],
      ["becbf647612f3696", "-0.0000033333333333333333"],
      ["43143ff3c1cb0959", "1424953923781206.2"],
    ];
    for (const [bits, expected] of vectors) {
      const n = Buffer.from(bits, "hex").readDoubleBE(0);
      assert.equal(utf8Decode(canonicalJson(n)), expected, bits);
      assert.equal(utf8Decode(canonicalJson([n])), `[${expected}]`, bits);
    }
  });

  it("is independent of property order and drops undefined members", () => {
    const a = canonicalJson({ b: [1, { y: 2, x: 1 }], a: "s", u: undefined });
    const b = canonicalJson({ a: "s", b: [1, { x: 1, y: 2 }] });
    assert.deepEqual(a, b);
    assert.equal(utf8Decode(a), '{"a":"s","b":[1,{"x":1,"y":2}]}');
  });

  it("rejects values without a canonical JSON form with InvalidInput", () => {
    assertInvalid(Number.NaN);
    assertInvalid({ n: Number.POSITIVE_INFINITY });
    assertInvalid(["\ud800"]);
    assertInvalid(undefined);
    assertInvalid(() => 1);
    assertInvalid({ big: 1n });
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    assertInvalid(cyclic);
  });
});
