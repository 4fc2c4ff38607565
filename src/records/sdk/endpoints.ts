/** The records slice's HTTP endpoints, declared once (routes and client both come from here). */
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { zBatchInfo, zBatchList, zBatchParams, zListBatchesQuery, zWriterList, zWritersQuery } from "./schemas.ts";

/** `GET /records?owner=`. */
export const listBatchesEndpoint = defineEndpoint({
  method: "GET",
  path: "/records",
  query: zListBatchesQuery,
  response: zBatchList,
  tags: ["records"],
  summary: "List a patient's record batches (from the index)",
});

/** `GET /records/writers?owner=`. */
export const listWritersEndpoint = defineEndpoint({
  method: "GET",
  path: "/records/writers",
  query: zWritersQuery,
  response: zWriterList,
  tags: ["records"],
  summary: "Accounts a patient currently lets write into her record (from the index)",
});

/** `GET /records/:batchId`. */
export const getBatchEndpoint = defineEndpoint({
  method: "GET",
  path: "/records/:batchId",
  params: zBatchParams,
  response: zBatchInfo,
  tags: ["records"],
  errors: ["RecordNotFound"],
  summary: "One record batch, read from the chain",
});

/** Every endpoint of the records slice. */
export const RECORDS_ENDPOINTS = [listBatchesEndpoint, listWritersEndpoint, getBatchEndpoint] as const;
