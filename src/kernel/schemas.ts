/**
 * Zod schemas of values shared by every API (isomorphic: used by routes and
 * the SDK). They carry no transforms, so the same schema validates requests,
 * serializes responses and renders to OpenAPI.
 */
import { z } from "zod";

/**
 * A regex-checked string typed as a template literal (still a plain ZodString at runtime, so it renders to JSON
 * Schema).
 */
function hexString<T extends `0x${string}`>(re: RegExp, message: string): z.ZodType<T, T> {
  return z.string().regex(re, message) as unknown as z.ZodType<T, T>;
}

/** A 20-byte address, any case (compare lowercased). */
export const zAddress = hexString<`0x${string}`>(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address");

/** A 32-byte hex value (batch ids, roots). */
export const zBytes32 = hexString<`0x${string}`>(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hex value");

/** Arbitrary 0x hex bytes. */
export const zHex = hexString<`0x${string}`>(/^0x([0-9a-fA-F]{2})*$/, "expected 0x-prefixed hex bytes");

/** A decimal unsigned integer carried as a string (uint256 does not fit a JSON number). */
export const zUintString = z.string().regex(/^[0-9]{1,78}$/, "expected a decimal integer string");

/** The error body every route answers with (problem+json). */
export const zErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
