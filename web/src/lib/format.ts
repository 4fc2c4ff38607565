/** Display helpers: dates, addresses, error messages (never patient data in errors: the SDK's messages carry none). */
import { MedchainError } from "../../../src/kernel/errors.ts";

const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** "3 Apr 2023" from an ISO date/time (or epoch ms); "unknown date" when absent or invalid. */
export function formatDate(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === "") return "unknown date";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateFmt.format(d);
}

/** "3 Apr 2023, 08:00" from an ISO date/time or epoch ms. */
export function formatDateTime(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === "") return "unknown time";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateTimeFmt.format(d);
}

/** "0x12ab…cdef" */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A sentence for an error, with its stable code when it is a medchain error. */
export function errorMessage(err: unknown): string {
  if (err instanceof MedchainError) return `${err.shortMessage} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The stable code of an error, if any. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof MedchainError ? err.code : undefined;
}

/** Formats a number with at most `digits` decimals. */
export function formatNumber(n: number, digits = 1): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/\.?0+$/, "");
}
