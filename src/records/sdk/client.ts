/** The records slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import { getBatchEndpoint, listBatchesEndpoint, listWritersEndpoint } from "./endpoints.ts";
import type { BatchInfo } from "./schemas.ts";

/** The records slice's client methods. */
export interface RecordsActions {
  /** `GET /records?owner=`: the owner's batches from the node's index. */
  listBatches(owner: `0x${string}`): Promise<BatchInfo[]>;
  /** `GET /records/:batchId`: one batch, read from the chain. */
  getBatch(batchId: `0x${string}`): Promise<BatchInfo>;
  /** `GET /records/writers?owner=`: accounts the owner lets write into her record. */
  writers(owner: `0x${string}`): Promise<Array<{ writer: `0x${string}`; blockNumber: number }>>;
}

/** Builds the records slice's methods for `client` (use with `client.extend(recordsActions)`). */
export function recordsActions(client: NodeClientBase): RecordsActions {
  return {
    listBatches: async (owner) => (await client.call(listBatchesEndpoint, { query: { owner } })).batches,
    getBatch: (batchId) => client.call(getBatchEndpoint, { params: { batchId } }),
    writers: async (owner) => (await client.call(listWritersEndpoint, { query: { owner } })).writers,
  };
}
