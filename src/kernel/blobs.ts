/** API shapes of the node's blob store: ciphertexts by CID (isomorphic). */
import { z } from "zod";

/** Body of `POST /blobs`: ciphertexts keyed by the CID the client computed. */
export const zPutBlobsBody = z.object({
  blobs: z
    .array(z.object({ cid: z.string().min(1).max(128), data: z.base64() }))
    .min(1)
    .max(5000),
});
/** Answer of `POST /blobs`. */
export const zPutBlobsResult = z.object({ stored: z.number().int().nonnegative() });
/** Body of `POST /blobs/fetch`. */
export const zFetchBlobsBody = z.object({ cids: z.array(z.string().min(1).max(128)).min(1).max(5000) });
/** Answer of `POST /blobs/fetch`. */
export const zFetchBlobsResult = z.object({ blobs: z.array(z.object({ cid: z.string(), data: z.base64() })) });
