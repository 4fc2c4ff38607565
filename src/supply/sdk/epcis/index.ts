/** EPCIS 2.0 capture for medicine provenance: validation, XML reading, CBV 2.0 event hashes, containment. */
export * from "./types.ts";
export * from "./vocabulary.ts";
export { canonicalDigitalLink } from "./canonicalDigitalLink.ts";
export { epcisProblems, validateEpcisDocument, type EpcisProblem, type ValidateEpcisOptions } from "./validate.ts";
export { epcisXmlToJson, readEpcisXml, EPCIS_XML_NAMESPACES } from "./xml12.ts";
export {
  canonicalNumber,
  canonicalTimestamp,
  documentEventHashes,
  eventHash,
  eventHashDigest,
  eventPreHash,
  EVENT_HASH_VERSION,
  hashNamespaces,
  type HashNamespaces,
} from "./eventHash.ts";
export {
  containmentKey,
  ContainmentModel,
  namedObjects,
  replayContainment,
  type ContainmentReplay,
  type EventMove,
} from "./aggregation.ts";
export { captureEpcis, parseEpcis, type CapturedEpcis } from "./capture.ts";
