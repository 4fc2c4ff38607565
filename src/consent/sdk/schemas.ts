/** API shapes of the consent slice (isomorphic). */
import { z } from "zod";
import { zAddress, zBytes32, zUintString } from "../../kernel/schemas.ts";

/** A grant as indexed from the chain. */
export const zGrantInfo = z.object({
  grantId: zUintString,
  patient: zAddress,
  grantee: zAddress,
  categories: z.number().int().nonnegative(),
  purposes: z.number().int().nonnegative(),
  notBefore: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  revoked: z.boolean(),
  breakGlass: z.boolean(),
  issuedBy: zAddress,
  reasonHash: zBytes32.nullable(),
  /** Valid now (not revoked, within its period), by the node's clock. */
  active: z.boolean(),
});

/** Query of `GET /consent/grants`. */
export const zGrantsQuery = z.object({ patient: zAddress.optional(), grantee: zAddress.optional() });
/** Answer of `GET /consent/grants`. */
export const zGrantList = z.object({ grants: z.array(zGrantInfo) });

/** A grant as indexed. */
export type GrantInfo = z.infer<typeof zGrantInfo>;
