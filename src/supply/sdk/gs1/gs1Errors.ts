/**
 * The two errors of the GS1 parsers. `InvalidBarcode`: the input is not
 * recognisable as any supported form (scan data, element string, Digital Link,
 * EPC URI). `InvalidGs1`: the form is recognised but the content breaks a GS1
 * rule (unknown AI, length, character set, check digit, date, AI association).
 * Details name the AI, the rule and a position, never the scanned data.
 */
import { MedchainError } from "../../../kernel/errors.ts";
import "../errors.ts";

/** Structured, non-sensitive facts about a GS1 failure. */
export interface Gs1ErrorDetails extends Record<string, unknown> {
  /** The rule broken, e.g. `INCORRECT_CHECK_DIGIT`, `VALUE_TOO_LONG`, `UNKNOWN_AI`. */
  rule: string;
  /** The AI concerned, when there is one. */
  ai?: string;
  /** Position (0-based) in the AI value, or in the input when no AI is concerned. */
  position?: number;
}

/** An `InvalidGs1` error: the input's form was recognised, its GS1 content is invalid. */
export function invalidGs1(message: string, details: Gs1ErrorDetails): MedchainError {
  return new MedchainError("InvalidGs1", message, { details });
}

/** An `InvalidBarcode` error: the input is not a GS1 barcode, URI or URN this module reads. */
export function invalidBarcode(message: string, details: Gs1ErrorDetails): MedchainError {
  return new MedchainError("InvalidBarcode", message, { details });
}
