/**
 * medchain's isomorphic client SDK: what the CLI uses today and the web
 * portal will use. Everything here runs in Node >= 22 and in browsers
 * (fetch + WebCrypto); keys never leave the caller.
 */
export { NodeClient, NodeClientBase, createNodeClient, type NodeClientOptions } from "./nodeClient.ts";
export {
  callEndpoint,
  defineEndpoint,
  endpointPath,
  type AnyEndpoint,
  type Endpoint,
  type EndpointInput,
  type EndpointOutput,
  type EndpointTransport,
} from "../kernel/endpoint.ts";
export { MedchainError, ERROR_CODES, type ErrorCode } from "../kernel/errors.ts";
export type { RecordKeys } from "../kernel/accountKeys.ts";
export {
  importBundle,
  type ImportBundleParameters,
  type ImportBundleResult,
  type ImportProgress,
} from "../records/sdk/importBundle.ts";
export {
  exportRecord,
  readManifest,
  type ExportRecordParameters,
  type ExportRecordResult,
} from "../records/sdk/exportRecord.ts";
export { shredBatch } from "../records/sdk/shredBatch.ts";
export { rotateBatch, type RotateBatchOptions, type RotateBatchResult } from "../records/sdk/rotateBatch.ts";
export { authorizeWriter, revokeWriter } from "../records/sdk/writers.ts";
export { validateBundle, parseBundleJson } from "../records/sdk/fhirBundle.ts";
export { CATEGORY, categoryOf, categoryMask, categoriesOfMask, type CategoryName } from "../kernel/categories.ts";
export { publishEncryptionKey } from "../accounts/sdk/publishEncryptionKey.ts";
export { generateEncryptionKeyPair } from "../kernel/crypto/hpke.ts";
export { didOf } from "../accounts/sdk/did.ts";
export { relayCall } from "../kernel/relay/relayCall.ts";
export {
  exportUnifiedRecord,
  type ExportUnifiedRecordParameters,
  type ExportUnifiedRecordResult,
} from "../records/sdk/exportUnified.ts";
export {
  derivePairwiseKeys,
  derivePairwiseSecrets,
  pairwiseProviderLabel,
  PAIRWISE_INFO_PREFIX,
  type PairwiseSecrets,
} from "../kernel/pairwise.ts";
export * from "../identity/sdk/index.ts";
