/** API shapes of the audit slice (isomorphic). */
import { z } from "zod";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";
import { zAuditEntry } from "./auditEvent.ts";

/** Answer of `POST <keeper>/audit`. */
export const zAuditList = z.object({ entries: z.array(zAuditEntry) });

/** An audit root as anchored on chain (`anchorId` 0: not anchored). */
export const zAnchorInfo = z.object({
  root: zBytes32,
  anchorId: z.number().int().nonnegative(),
  keeper: zAddress.nullable(),
  count: z.number().int().nonnegative(),
  anchoredAt: z.number().int().nonnegative(),
});

/** An anchored audit root. */
export type AnchorInfo = z.infer<typeof zAnchorInfo>;
