/** What verification needs from one EPCIS event (isomorphic). */
import type { EpcisEvent } from "./epcis/types.ts";
import { canonicalDigitalLink } from "./epcis/canonicalDigitalLink.ts";

/** The fields of an event the verifier uses. */
export interface EventSummary {
  bizStep: string | undefined;
  /** ms since epoch. */
  time: number;
  location: string | undefined;
  /** Destination ids of a shipment, in canonical Digital Link form where possible. */
  destinations: string[];
  /** Expiry stated in the ILMD (commissioning), ISO date. */
  expiry: string | undefined;
}

/** Canonical form of a party or location id (GLN/SGLN URN and Digital Link compare equal). */
export function canonicalId(id: string): string {
  return canonicalDigitalLink(id) ?? id;
}

/** Summarizes an event for verification. */
export function summarizeEvent(e: EpcisEvent): EventSummary {
  const bizStep =
    typeof e.bizStep === "string"
      ? (e.bizStep.match(/(?:BizStep-|bizstep:)([A-Za-z_]+)$/)?.[1] ?? e.bizStep).toLowerCase()
      : undefined;
  const loc = e.bizLocation?.id ?? e.readPoint?.id;
  const destinations = (e.destinationList ?? []).map((d) =>
    canonicalId(String((d as { destination?: unknown }).destination ?? "")),
  );
  let expiry: string | undefined;
  for (const [k, v] of Object.entries(e.ilmd ?? {})) {
    if (/itemExpirationDate$/i.test(k) && typeof v === "string") expiry = v.slice(0, 10);
  }
  return {
    bizStep,
    time: Date.parse(e.eventTime),
    location: loc === undefined ? undefined : canonicalId(loc),
    destinations,
    expiry,
  };
}
