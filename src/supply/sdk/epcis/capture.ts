/**
 * The pure part of EPCIS capture: parse (JSON-LD or XML), validate, hash every
 * event and replay its containment, all or nothing. A refused document
 * changes nothing: the containment model passed in is only replaced by the
 * caller with the returned one.
 */
import { MedchainError } from "../../../kernel/errors.ts";
import { ContainmentModel, replayContainment, type EventMove } from "./aggregation.ts";
import { eventHash, hashNamespaces } from "./eventHash.ts";
import { epcisEvents, type EpcisDocument, type EpcisEvent } from "./types.ts";
import { validateEpcisDocument, type ValidateEpcisOptions } from "./validate.ts";
import { readEpcisXml } from "./xml12.ts";
import "../errors.ts";

/**
 * Parses and validates an EPCIS document given as text: XML (EPCIS 1.2 or
 * 2.0) when it starts with `<`, else JSON / JSON-LD. Throws `InvalidEpcis`
 * (including for text that is not JSON) or `UnsupportedEpcis`.
 */
export function parseEpcis(text: string, options?: ValidateEpcisOptions): EpcisDocument {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("<")) return readEpcisXml(trimmed, options);
  let json: unknown;
  try {
    json = JSON.parse(trimmed) as unknown;
  } catch {
    throw new MedchainError("InvalidEpcis", "EPCIS document is neither JSON nor XML", {
      details: { event: null, path: "", rule: "json:syntax", count: 1 },
    });
  }
  return validateEpcisDocument(json, options);
}

/** A validated document with its events, their CBV 2.0 hashes and what each moved. */
export interface CapturedEpcis {
  document: EpcisDocument;
  events: EpcisEvent[];
  /** `ni:///sha-256;…?ver=CBV2.0` per event, in order. */
  hashes: string[];
  /** Per event, what it physically moved (units in cases in pallets included). */
  moves: EventMove[];
  /** The containment after the document (a new model; the one passed in is unchanged). */
  model: ContainmentModel;
}

/**
 * Validates a document (object, or text as for {@link parseEpcis}), hashes
 * its events and replays them onto a copy of `model`. Throws on any refusal,
 * in which case nothing has changed.
 */
export function captureEpcis(
  input: unknown,
  model: ContainmentModel = new ContainmentModel(),
  options?: ValidateEpcisOptions,
): CapturedEpcis {
  const document = typeof input === "string" ? parseEpcis(input, options) : validateEpcisDocument(input, options);
  const events = epcisEvents(document);
  const ns = hashNamespaces(document["@context"]);
  const hashes = events.map((e) => eventHash(e, ns));
  const replay = replayContainment(events, model);
  return { document, events, hashes, moves: replay.moves, model: replay.model };
}
