/**
 * What a node says about itself (isomorphic): `GET /health`, `GET /network`
 * and `GET /contracts`. The contracts and the slice-specific parts of the
 * network description are declared by the slices, by declaration merging on
 * {@link DeployedContracts} and {@link NetworkExtensions} and, at run time,
 * with {@link defineNetworkPart}; the kernel names no slice.
 */
import { z } from "zod";
import { zAddress } from "./schemas.ts";

/** `GET /health`. */
export const zHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  chain: z.object({
    ok: z.boolean(),
    kind: z.string(),
    chainId: z.number().int(),
    blockNumber: z.number().int().nonnegative(),
  }),
  db: z.object({ ok: z.boolean(), kind: z.string(), indexedBlock: z.number().int() }),
  store: z.object({ ok: z.boolean(), kind: z.string() }),
  /** Why `degraded` (empty when `ok`), e.g. `index lags the chain by 42 blocks`. */
  reasons: z.array(z.string()),
  /** The index: its distance to the chain head and the current run of failures of its retry loop (if any). */
  indexer: z.object({
    ok: z.boolean(),
    indexedBlock: z.number().int(),
    lagBlocks: z.number().int().nonnegative(),
    /** ISO time of the first failure of the current run of failures; null while the last run succeeded. */
    failingSince: z.string().nullable(),
    failedAttempts: z.number().int().nonnegative(),
  }),
});

/** Health of a node. */
export type Health = z.infer<typeof zHealth>;

/**
 * The contracts of a network by key (`recordRegistry`, ...). Each slice adds its own:
 * `declare module "../../kernel/network.ts" { interface DeployedContracts { recordRegistry: \`0x${string}\` } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- slices extend it (declaration merging)
export interface DeployedContracts {}

/** Parts of `GET /network` that slices add (keepers, break-glass limits, ...), by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- slices extend it (declaration merging)
export interface NetworkExtensions {}

/** `GET /network`: what a client needs to build and sign requests. */
export interface NetworkInfo extends NetworkExtensions {
  chainId: number;
  /** The address that pays for relayed calls. */
  relayer: `0x${string}`;
  contracts: DeployedContracts;
}

/** `GET /contracts`: chain id and contract addresses only (keepers use it before the keeper directory is complete). */
export interface ContractsInfo {
  chainId: number;
  contracts: DeployedContracts;
}

const PARTS = new Map<string, z.ZodType>();

/** Declares (at import of a slice's SDK) the schema of a field the slice adds to `GET /network`. */
export function defineNetworkPart<T extends z.ZodType>(field: string, schema: T): T {
  const known = PARTS.get(field);
  if (known !== undefined && known !== schema) throw new Error(`network field ${field} is declared twice`);
  PARTS.set(field, schema);
  return schema;
}

/** The schema of `GET /contracts`. */
export const zContracts = z.object({ chainId: z.number().int(), contracts: z.record(z.string(), zAddress) });

/**
 * The schema of `GET /network`: the kernel's fields and every part declared by the slices loaded here (loose: a part
 * whose slice is not loaded here passes unchecked, for the slice that reads it checks it when loaded).
 */
export function networkSchema(): z.ZodObject {
  return z.looseObject({
    chainId: z.number().int(),
    relayer: zAddress,
    contracts: z.record(z.string(), zAddress),
    ...Object.fromEntries(PARTS),
  });
}
