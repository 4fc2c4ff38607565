/** API shapes of the node itself: health and network description. */
import { z } from "zod";
import { zAddress } from "../../core/schemas.ts";
import { zKeeperInfo } from "../../keeper/keyRelease.schemas.ts";

/** `GET /health`. */
export const zHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  /** Why `degraded` (empty when `ok`), e.g. `index lags the chain by 42 blocks`. */
  reasons: z.array(z.string()),
  version: z.string(),
  chain: z.object({ ok: z.boolean(), kind: z.string(), chainId: z.number().int(), blockNumber: z.number().int().nonnegative() }),
  db: z.object({ ok: z.boolean(), kind: z.string(), indexedBlock: z.number().int() }),
  store: z.object({ ok: z.boolean(), kind: z.string() }),
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

/** `GET /network`: what a client needs to build and sign requests. */
export const zNetwork = z.object({
  chainId: z.number().int(),
  relayer: zAddress,
  contracts: z.object({
    forwarder: zAddress, keyRegistry: zAddress, recordRegistry: zAddress, consentRegistry: zAddress, auditAnchor: zAddress,
    tradingPartners: zAddress, supplyAnchor: zAddress, digitalTwin: zAddress,
    trustRegistry: zAddress, governor: zAddress, membership: zAddress, timelock: zAddress,
  }),
  /** Keepers holding Shamir shares of category keys; `threshold` of them open one. */
  keepers: z.array(zKeeperInfo),
  threshold: z.number().int().nonnegative(),
  /** Break-glass limits fixed in the consent registry. */
  breakGlass: z.object({ maxCategories: z.number().int(), durationSeconds: z.number().int() }),
});

/** `GET /contracts`: chain id and contract addresses only (keepers use it before the keeper directory is complete). */
export const zContracts = z.object({ chainId: z.number().int(), contracts: zNetwork.shape.contracts });

/** Health of a node. */
export type Health = z.infer<typeof zHealth>;
/** The network a node serves. */
export type NetworkInfo = z.infer<typeof zNetwork>;
