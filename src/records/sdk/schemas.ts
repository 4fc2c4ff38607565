/** API shapes of the records slice (isomorphic: routes validate with them, the SDK parses with them). */
import { z } from "zod";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";

/** A record batch as the chain knows it (no personal data: pseudonymous addresses, commitments, CID). */
export const zBatchInfo = z.object({
  batchId: zBytes32,
  owner: zAddress,
  author: zAddress,
  categories: z.number().int().nonnegative(),
  manifestCid: z.string(),
  merkleRoot: zBytes32,
  count: z.number().int().positive(),
  version: z.number().int().positive(),
  erased: z.boolean(),
  createdAt: z.number().int().nonnegative(),
});

/** Query of `GET /records`. */
export const zListBatchesQuery = z.object({ owner: zAddress });
/** Answer of `GET /records`. */
export const zBatchList = z.object({ batches: z.array(zBatchInfo) });
/** Params of `GET /records/:batchId`. */
export const zBatchParams = z.object({ batchId: zBytes32 });

/** A batch as the chain knows it. */
export type BatchInfo = z.infer<typeof zBatchInfo>;

/** Query of `GET /records/writers`. */
export const zWritersQuery = z.object({ owner: zAddress });
/** Answer of `GET /records/writers`: accounts the owner currently lets write into her record (from the index). */
export const zWriterList = z.object({
  writers: z.array(z.object({ writer: zAddress, blockNumber: z.number().int() })),
});
