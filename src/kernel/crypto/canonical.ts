/** Canonical JSON (RFC 8785, JSON Canonicalization Scheme) as UTF-8 bytes. */
import canonicalize from "canonicalize";
import { MedchainError } from "../errors.ts";
import { utf8Encode } from "./bytes.ts";

/**
 * Serializes `value` per RFC 8785 (sorted keys by UTF-16 code units, ECMAScript
 * number formatting, no insignificant whitespace) and returns the UTF-8 bytes.
 * Throws `InvalidInput` for values JSON cannot represent canonically: NaN,
 * Infinity, lone surrogates, cycles, BigInt, or a top-level `undefined`,
 * function or symbol.
 */
export function canonicalJson(value: unknown): Uint8Array<ArrayBuffer> {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "value cannot be serialized as canonical JSON", { cause });
  }
  if (text === undefined) {
    throw new MedchainError("InvalidInput", "value has no JSON representation");
  }
  return utf8Encode(text);
}
