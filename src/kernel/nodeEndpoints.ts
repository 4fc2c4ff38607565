/**
 * The endpoints every node serves whatever its slices (browser-safe declarations, see `endpoint.ts`): `GET /health`,
 * `GET /network`, `GET /contracts` and the blob store (`POST /blobs`, `POST /blobs/fetch`, `GET /blobs/:cid`).
 */
import { z } from "zod";
import { defineEndpoint } from "./endpoint.ts";
import { networkSchema, zContracts, zHealth } from "./network.ts";
import { zFetchBlobsBody, zFetchBlobsResult, zPutBlobsBody, zPutBlobsResult } from "./blobs.ts";

/** `GET /health`. */
export const healthEndpoint = defineEndpoint({
  method: "GET",
  path: "/health",
  response: zHealth,
  tags: ["node"],
  summary: "Health: chain id and head, db and store status",
});

/**
 * `GET /network`. Its schema holds every slice part loaded when first used (lazy: the slices' `sdk/network.ts`
 * declare their parts at import).
 */
export const networkEndpoint = defineEndpoint({
  method: "GET",
  path: "/network",
  response: z.lazy(() => networkSchema()),
  tags: ["node"],
  summary: "Chain id, contract addresses, relayer and every slice's part (keepers, limits)",
});

/** `GET /contracts`. */
export const contractsEndpoint = defineEndpoint({
  method: "GET",
  path: "/contracts",
  response: zContracts,
  tags: ["node"],
  summary: "Chain id and contract addresses",
});

/** `POST /blobs`. */
export const putBlobsEndpoint = defineEndpoint({
  method: "POST",
  path: "/blobs",
  body: zPutBlobsBody,
  response: zPutBlobsResult,
  tags: ["blobs"],
  errors: ["CidMismatch"],
  summary: "Store ciphertexts under their CIDs (each checked; a mismatch stores nothing of the request)",
});

/** `POST /blobs/fetch`. */
export const fetchBlobsEndpoint = defineEndpoint({
  method: "POST",
  path: "/blobs/fetch",
  body: zFetchBlobsBody,
  response: zFetchBlobsResult,
  tags: ["blobs"],
  errors: ["BlobNotFound"],
  summary: "Fetch ciphertexts by CID (clients verify them)",
});

/** `GET /blobs/:cid`: raw bytes (`application/octet-stream`), not callable with `callEndpoint`. */
export const getBlobEndpoint = defineEndpoint({
  method: "GET",
  path: "/blobs/:cid",
  params: z.object({ cid: z.string().min(1).max(128) }),
  response: z.string().describe("the blob's bytes"),
  produces: "application/octet-stream",
  tags: ["blobs"],
  errors: ["BlobNotFound", "IntegrityError"],
  summary: "One blob's bytes",
});

/** Every endpoint above (the node's own, served whatever its slices). */
export const NODE_ENDPOINTS = [
  healthEndpoint,
  networkEndpoint,
  contractsEndpoint,
  putBlobsEndpoint,
  fetchBlobsEndpoint,
  getBlobEndpoint,
] as const;
