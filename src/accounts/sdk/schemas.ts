/** API shapes of the accounts slice. */
import { z } from "zod";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";

/** Path params of `GET /accounts/:address`. */
export const zAccountParams = z.object({ address: zAddress });

/** An account's published encryption key, read from the chain at request time. */
export const zAccountInfo = z.object({
  address: zAddress,
  did: z.string(),
  encryptionKey: zBytes32.nullable(),
  keyVersion: z.number().int().nonnegative(),
});

/** An account's public information. */
export type AccountInfo = z.infer<typeof zAccountInfo>;
