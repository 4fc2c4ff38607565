/**
 * Byte helpers for the records crypto layer. Isomorphic: only web platform
 * globals (TextEncoder, TextDecoder, btoa, atob, crypto.getRandomValues).
 */
import { MedchainError } from "../errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Encodes a string as UTF-8 bytes. */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Decodes UTF-8 bytes; throws `InvalidInput` when they are not well-formed UTF-8. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new MedchainError("InvalidInput", "bytes are not valid UTF-8", { details: { length: bytes.length }, cause });
  }
}

/** Encodes bytes as standard base64 (RFC 4648 section 4, with padding). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Decodes standard base64 (RFC 4648 section 4); padding is optional, whitespace
 * and the URL-safe alphabet are rejected. Throws `InvalidInput` on malformed input.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!BASE64_RE.test(text)) {
    throw new MedchainError("InvalidInput", "malformed base64", { details: { length: text.length } });
  }
  const padded = text.length % 4 === 0 ? text : text + "=".repeat(4 - (text.length % 4));
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Encodes bytes as lowercase, `0x`-prefixed hex (the chain's convention). */
export function toHex(bytes: Uint8Array): `0x${string}` {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]!]!;
  return out as `0x${string}`;
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Decodes hex, with or without a `0x` prefix, either case. Throws `InvalidInput`
 * for an odd length or a non-hex character.
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const start = hex.startsWith("0x") || hex.startsWith("0X") ? 2 : 0;
  const digits = hex.length - start;
  if (digits % 2 !== 0) {
    throw new MedchainError("InvalidInput", "hex string has an " + "odd number of digits", {
      details: { length: hex.length },
    });
  }
  const out = new Uint8Array(digits / 2);
  for (let i = 0, j = start; i < out.length; i++, j += 2) {
    const hi = hexNibble(hex.charCodeAt(j));
    const lo = hexNibble(hex.charCodeAt(j + 1));
    if (hi < 0 || lo < 0) {
      throw new MedchainError("InvalidInput", "hex string has a non-hex character", { details: { position: j } });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `n` bytes from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MedchainError("InvalidInput", "random byte count must be a non-negative integer", { details: { n } });
  }
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/**
 * Compares two byte arrays without an early exit on the first difference (the
 * time depends only on the lengths). Different lengths compare unequal.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Returns the bytes as a `Uint8Array` backed by a plain `ArrayBuffer`, as
 * WebCrypto's `BufferSource` requires (copies only when the input is backed by
 * a `SharedArrayBuffer`).
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
