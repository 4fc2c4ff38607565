/**
 * `GET /health`: every part of the node measured now. `degraded` (with `reasons`) when the chain, the database or
 * the blob store does not answer, when the index lags the chain head by more than `maxLagBlocks`, or when the
 * indexer's retry loop has kept failing for `maxFailureMs` or `maxFailedAttempts` in a row; `ok` again as soon as
 * it catches up.
 */
import type { NodeContext } from "../context.ts";
import type { Health } from "../../kernel/network.ts";

/** When the index makes the node `degraded`. */
export interface HealthPolicy {
  /** Largest acceptable distance from the chain head to the last indexed block (default 20). */
  maxLagBlocks: number;
  /** The indexer may fail for this long (ms) before the node says so (default 30 000). */
  maxFailureMs: number;
  /** ...or this many attempts in a row (default 5), whichever comes first. */
  maxFailedAttempts: number;
}

/** The default {@link HealthPolicy}. */
export const DEFAULT_HEALTH_POLICY: HealthPolicy = { maxLagBlocks: 20, maxFailureMs: 30_000, maxFailedAttempts: 5 };

/** Environment variables of the {@link HealthPolicy}, by field. */
export const HEALTH_ENV = {
  maxLagBlocks: "MEDCHAIN_HEALTH_MAX_LAG_BLOCKS",
  maxFailureMs: "MEDCHAIN_HEALTH_MAX_FAILURE_MS",
  maxFailedAttempts: "MEDCHAIN_HEALTH_MAX_FAILED_ATTEMPTS",
} as const satisfies Record<keyof HealthPolicy, string>;

/**
 * The policy from explicit options, else the environment ({@link HEALTH_ENV}), else the defaults.
 *
 * @throws Error naming the variable when an environment value is not a non-negative integer (a typo must not
 *   silently switch the check off).
 */
export function resolveHealthPolicy(
  options: Partial<HealthPolicy> = {},
  env: NodeJS.ProcessEnv = process.env,
): HealthPolicy {
  const pick = (key: keyof HealthPolicy): number => {
    const given = options[key];
    if (given !== undefined) return given;
    const raw = env[HEALTH_ENV[key]];
    if (raw === undefined || raw === "") return DEFAULT_HEALTH_POLICY[key];
    if (!/^\d+$/.test(raw.trim())) throw new Error(`${HEALTH_ENV[key]} must be a non-negative integer`);
    return Number(raw.trim());
  };
  const maxLagBlocks = pick("maxLagBlocks");
  return { maxLagBlocks, maxFailureMs: pick("maxFailureMs"), maxFailedAttempts: pick("maxFailedAttempts") };
}

/** Health of every part of the node, measured now (`now` in ms, for tests). */
export async function health(ctx: NodeContext, now: number = Date.now()): Promise<Health> {
  const policy = ctx.healthPolicy ?? DEFAULT_HEALTH_POLICY;
  const chain = await ctx.client.getBlockNumber({ cacheTime: 0 }).then(
    (n) => ({ ok: true, blockNumber: Number(n) }),
    () => ({ ok: false, blockNumber: 0 }),
  );
  const db = await ctx.db.health().catch(() => ({ ok: false, kind: ctx.db.kind }));
  const store = await ctx.blobs.health().catch(() => ({ ok: false, kind: "unknown" }));
  const indexer = ctx.indexer.status();
  const indexedBlock = Number(indexer.indexedBlock);
  const lagBlocks = chain.ok ? Math.max(0, chain.blockNumber - indexedBlock) : 0;
  const reasons: string[] = [];
  if (!chain.ok) reasons.push("the chain does not answer");
  if (!db.ok) reasons.push("the database does not answer");
  if (!store.ok) reasons.push("the blob store does not answer");
  if (lagBlocks > policy.maxLagBlocks) reasons.push(`index lags the chain by ${lagBlocks} blocks`);
  const failure = indexer.failure;
  const failing =
    failure !== null &&
    (now - failure.since.getTime() >= policy.maxFailureMs || failure.attempts >= policy.maxFailedAttempts);
  if (failure !== null && failing) {
    const since = failure.since.toISOString();
    reasons.push(`indexer handler records failing since ${since} (${failure.attempts} attempts, ${failure.fault})`);
  }
  return {
    status: reasons.length === 0 ? "ok" : "degraded",
    reasons,
    version: ctx.version,
    chain: { ok: chain.ok, kind: ctx.chain.kind, chainId: ctx.chain.chainId, blockNumber: chain.blockNumber },
    db: { ok: db.ok, kind: ctx.db.kind, indexedBlock },
    store: { ok: store.ok, kind: store.kind },
    indexer: {
      ok: !failing && lagBlocks <= policy.maxLagBlocks,
      indexedBlock,
      lagBlocks,
      failingSince: failure === null ? null : failure.since.toISOString(),
      failedAttempts: failure?.attempts ?? 0,
    },
  };
}
