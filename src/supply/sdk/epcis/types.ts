/**
 * The EPCIS 2.0 JSON/JSON-LD model medchain reads (EPCIS 2.0 §8, the
 * `EPCIS-JSON-Schema.json` shapes). Only the fields medchain uses are typed;
 * every object stays open (`[key: string]: unknown`) because EPCIS allows
 * namespaced user extensions almost everywhere.
 */

/** The five EPCIS 2.0 event types. */
export const EPCIS_EVENT_TYPES = [
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
] as const;

/** An EPCIS 2.0 event type. */
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** EPCIS `action`. */
export type EpcisAction = "ADD" | "OBSERVE" | "DELETE";

/** One quantity element (`quantityList`, `childQuantityList`, ...). */
export interface QuantityElement {
  epcClass: string;
  quantity?: number;
  uom?: string;
}

/** A business transaction reference. */
export interface BizTransaction {
  type?: string;
  bizTransaction: string;
}

/** A source (`type` + `source`) of `sourceList`. */
export interface SourceElement {
  type: string;
  source: string;
}

/** A destination (`type` + `destination`) of `destinationList`. */
export interface DestinationElement {
  type: string;
  destination: string;
}

/** A read point or business location (`id` plus extensions). */
export interface LocationRef {
  id: string;
  [extension: string]: unknown;
}

/** One EPCIS 2.0 event as JSON (any of the five types). */
export interface EpcisEvent {
  type: EpcisEventType;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime?: string;
  eventID?: string;
  action?: EpcisAction;
  epcList?: string[];
  quantityList?: QuantityElement[];
  parentID?: string;
  childEPCs?: string[];
  childQuantityList?: QuantityElement[];
  inputEPCList?: string[];
  inputQuantityList?: QuantityElement[];
  outputEPCList?: string[];
  outputQuantityList?: QuantityElement[];
  transformationID?: string;
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: { set?: string[]; unset?: string[] };
  readPoint?: LocationRef;
  bizLocation?: LocationRef;
  bizTransactionList?: BizTransaction[];
  sourceList?: SourceElement[];
  destinationList?: DestinationElement[];
  sensorElementList?: Record<string, unknown>[];
  ilmd?: Record<string, unknown>;
  errorDeclaration?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** An EPCIS 2.0 document (`EPCISDocument`) or query document (`EPCISQueryDocument`). */
export interface EpcisDocument {
  "@context": unknown;
  type: "EPCISDocument" | "EPCISQueryDocument";
  schemaVersion?: string;
  creationDate?: string;
  epcisHeader?: Record<string, unknown>;
  epcisBody: {
    eventList?: EpcisEvent[];
    queryResults?: { queryName?: string; resultsBody: { eventList: EpcisEvent[] } };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The events of a document in document order (capture or query document). */
export function epcisEvents(doc: EpcisDocument): EpcisEvent[] {
  if (doc.type === "EPCISQueryDocument") return doc.epcisBody.queryResults?.resultsBody.eventList ?? [];
  return doc.epcisBody.eventList ?? [];
}
