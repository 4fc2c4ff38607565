/**
 * The indexer follows the contracts' events into SQL. SQL is only a cache:
 * every row derives from chain events (plus the blob store for erasure side
 * effects), so dropping the tables and restarting rebuilds the same state.
 * Each block range is applied in one SQL transaction together with the
 * cursor, so a crash never leaves half a range applied.
 *
 * Failures follow one policy (`indexerPolicy.ts`): a handler that throws
 * {@link MalformedContent} for an event refuses that event only (its writes are
 * rolled back to a savepoint, the refusal and its reason are recorded in
 * `indexer_refusals`, and the range goes on); any other error is transient:
 * the range is rolled back and retried with a capped backoff, and the
 * indexer reports how long it has been failing ({@link Indexer.status}).
 */
import { parseEventLogs, type Abi, type ParseEventLogsReturnType, type PublicClient } from "viem";
import { sql, type Kysely, type Transaction } from "kysely";
import { MedchainError } from "../kernel/errors.ts";
import type { Database } from "./db/schema.ts";
import {
  backoffDelay,
  DEFAULT_RETRY,
  faultLabel,
  isMalformedContent,
  type MalformedContent,
  type RetryPolicy,
} from "./indexerPolicy.ts";

type Decoded<TAbi extends Abi> = ParseEventLogsReturnType<TAbi, undefined, true>[number];

/** Where an event sits in the chain, and when its block was made. */
export interface LogPosition {
  /** The emitting contract, lower case. */
  address: `0x${string}`;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: `0x${string}`;
  blockTimestamp: bigint;
}

/**
 * A contract event decoded with its ABI: a union over the ABI's events, so that narrowing on `eventName` types
 * `args` exactly (e.g. `args.batchId` is `` `0x${string}` `` for a `bytes32`).
 */
export type IndexedLog<TAbi extends Abi = Abi> =
  Decoded<TAbi> extends infer L
    ? L extends { eventName: infer N; args: infer A }
      ? { eventName: N; args: A } & LogPosition
      : never
    : never;

/** One slice's share of indexing (records, accounts, ...), typed by the ABI it decodes. */
export interface IndexerHandler<TAbi extends Abi = Abi> {
  /** Short name, recorded with this handler's refusals (e.g. `"records"`). */
  readonly name: string;
  /** Contract addresses whose events this handler wants. */
  readonly addresses: readonly `0x${string}`[];
  /** ABI to decode them (a const ABI, so that logs are typed). */
  readonly abi: TAbi;
  /**
   * Idempotent side effects outside SQL (e.g. unpinning erased blobs), run before the SQL commit. `db` is the index
   * as of the end of the previous range (read it, never write it here: this range's rows are `apply`'s). Every
   * error here is transient (the range is retried).
   */
  sideEffects?(logs: readonly IndexedLog<TAbi>[], db: Kysely<Database>): Promise<void>;
  /**
   * Applies one event to SQL inside the range's transaction, in chain order. Throws {@link MalformedContent} to
   * refuse this event (its writes are undone); any other error makes the whole range be retried later.
   */
  apply(trx: Transaction<Database>, log: IndexedLog<TAbi>): Promise<void>;
  /** Records a refusal in the slice's own tables too (after `apply`'s writes for this event were undone). */
  refused?(trx: Transaction<Database>, log: IndexedLog<TAbi>, refusal: MalformedContent): Promise<void>;
  /** Reloads in-memory state from SQL before a range is retried (a failed range's transaction was rolled back). */
  reset?(db: Kysely<Database>): Promise<void>;
}

/** Declares a handler; its logs are typed from `abi` (pass the generated `as const` ABI). */
export function defineIndexer<const TAbi extends Abi>(handler: IndexerHandler<TAbi>): IndexerHandler<TAbi> {
  return handler;
}

/** The indexer is failing: since when, how many attempts in a row, the last fault (a code, never its message). */
export interface IndexerFailure {
  since: Date;
  attempts: number;
  fault: string;
}

/** What {@link Indexer.status} reports. */
export interface IndexerStatus {
  /** Last block fully indexed (-1 before the first). */
  indexedBlock: bigint;
  /** The chain head the indexer last saw (-1 before the first poll). */
  headBlock: bigint;
  /** The current run of failures, or null while the last run succeeded. */
  failure: IndexerFailure | null;
}

const STREAM = "main";
const RANGE = 2_000n;

/** Options of an {@link Indexer}. */
export interface IndexerOptions {
  client: PublicClient;
  db: Kysely<Database>;
  /** The slices' handlers (each typed by its own ABI). */
  handlers: readonly IndexerHandler<Abi>[];
  /** First block worth scanning (the deployment block). */
  fromBlock: bigint;
  /** Delay between polls while healthy, in ms (default 500). */
  pollMs?: number;
  /** Backoff of retries after a transient fault (default {@link DEFAULT_RETRY}). */
  retry?: RetryPolicy;
  /** How long {@link Indexer.waitFor} waits through transient faults before answering `IndexBehind` (default 30 s). */
  waitTimeoutMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Follows the chain into SQL. */
export class Indexer {
  readonly #o: IndexerOptions;
  #indexed = -1n;
  #head = -1n;
  #failure: IndexerFailure | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: IndexerOptions) {
    this.#o = options;
  }

  /** Last block fully indexed (-1 before the first). */
  get indexedBlock(): bigint {
    return this.#indexed;
  }

  /** Progress and the current run of failures, if any. */
  status(): IndexerStatus {
    const failure = this.#failure === undefined ? null : { ...this.#failure };
    return { indexedBlock: this.#indexed, headBlock: this.#head, failure };
  }

  /** Loads the cursor and starts polling (a first run that fails is retried like any other). */
  async start(): Promise<void> {
    const row = await this.#o.db.selectFrom("indexer_state").selectAll().where("id", "=", STREAM).executeTakeFirst();
    this.#indexed = row === undefined ? this.#o.fromBlock - 1n : row.last_block;
    await this.poll().catch(() => undefined); // logged and counted by poll; the schedule retries it
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay =
      this.#failure === undefined
        ? (this.#o.pollMs ?? 500)
        : backoffDelay(this.#failure.attempts, this.#o.retry ?? DEFAULT_RETRY);
    this.#timer = setTimeout(() => {
      this.poll()
        .catch(() => undefined)
        .finally(() => this.#schedule()); // poll logged the fault
    }, delay);
  }

  /**
   * Indexes up to the chain head now (concurrent calls share one run). Rejects with the fault when the run fails
   * (the fault is logged and counted in {@link status} first).
   */
  poll(): Promise<void> {
    this.#running ??= this.#run()
      .then(
        () => {
          this.#failure = undefined;
        },
        (err: unknown) => {
          const previous = this.#failure;
          const attempts = (previous?.attempts ?? 0) + 1;
          this.#failure = { since: previous?.since ?? new Date(), attempts, fault: faultLabel(err) };
          this.#o.log?.(`indexer run failed (attempt ${this.#failure.attempts}); retrying with backoff`, err);
          throw err;
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /**
   * Resolves once `block` is indexed (read-your-writes for the relayer's callers). Waits through transient faults
   * with the retry backoff; rejects with `IndexBehind` (503, the fault as cause) once `timeoutMs` (default the
   * `waitTimeoutMs` option, 30 s) has passed.
   */
  async waitFor(block: bigint, timeoutMs: number = this.#o.waitTimeoutMs ?? 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#indexed < block && !this.#stopped) {
      try {
        await this.poll(); // may join a run that read the head before `block` existed...
        if (this.#indexed < block) await this.poll(); // ...so a fresh run sees it
      } catch (err) {
        const left = deadline - Date.now();
        if (left <= 0) {
          const message = "the transaction is on chain but the node's index is failing to follow it";
          throw new MedchainError("IndexBehind", message, {
            details: { blockNumber: block.toString(), indexedBlock: this.#indexed.toString() },
            cause: err,
          });
        }
        await sleep(Math.min(left, backoffDelay(this.#failure?.attempts ?? 1, this.#o.retry ?? DEFAULT_RETRY)));
        continue;
      }
      if (this.#indexed < block) await sleep(20);
    }
  }

  async #run(): Promise<void> {
    if (this.#failure !== undefined) {
      for (const h of this.#o.handlers) await h.reset?.(this.#o.db); // the failed range's state was rolled back
    }
    const head = await this.#o.client.getBlockNumber({ cacheTime: 0 });
    if (head > this.#head) this.#head = head;
    while (this.#indexed < head && !this.#stopped) {
      const from = this.#indexed + 1n;
      const to = from + RANGE - 1n < head ? from + RANGE - 1n : head;
      await this.#applyRange(from, to);
      this.#indexed = to;
    }
  }

  async #applyRange(from: bigint, to: bigint): Promise<void> {
    const perHandler: IndexedLog[][] = [];
    const times = new Map<bigint, bigint>();
    for (const h of this.#o.handlers) {
      const raw = await this.#o.client.getLogs({ address: [...h.addresses], fromBlock: from, toBlock: to });
      const decoded = parseEventLogs({ abi: h.abi, logs: raw, strict: true });
      const logs: IndexedLog[] = [];
      for (const l of decoded) {
        let ts = times.get(l.blockNumber);
        if (ts === undefined) {
          ts = (await this.#o.client.getBlock({ blockNumber: l.blockNumber })).timestamp;
          times.set(l.blockNumber, ts);
        }
        logs.push({
          eventName: l.eventName,
          args: l.args,
          address: lower(l.address),
          blockNumber: l.blockNumber,
          logIndex: l.logIndex,
          transactionHash: l.transactionHash,
          blockTimestamp: ts,
        });
      }
      logs.sort((a, b) => {
        if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
        return a.logIndex - b.logIndex;
      });
      perHandler.push(logs);
    }
    for (const [i, h] of this.#o.handlers.entries()) {
      const logs = perHandler[i] ?? [];
      if (logs.length > 0) await h.sideEffects?.(logs, this.#o.db);
    }
    const block = await this.#o.client.getBlock({ blockNumber: to });
    await this.#o.db.transaction().execute(async (trx) => {
      for (const [i, h] of this.#o.handlers.entries()) {
        for (const l of perHandler[i] ?? []) await applyOne(trx, h, l);
      }
      await trx
        .insertInto("indexer_state")
        .values({ id: STREAM, last_block: to, last_block_hash: block.hash })
        .onConflict((oc) => oc.column("id").doUpdateSet({ last_block: to, last_block_hash: block.hash }))
        .execute();
    });
  }

  /** Stops polling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined); // its fault was logged by poll
  }
}

const lower = (a: `0x${string}`): `0x${string}` => a.toLowerCase() as `0x${string}`;

/** Applies one event under a savepoint: a refusal undoes only this event's writes and is recorded; the rest throws. */
async function applyOne(trx: Transaction<Database>, h: IndexerHandler<Abi>, l: IndexedLog): Promise<void> {
  await sql`savepoint medchain_event`.execute(trx);
  try {
    await h.apply(trx, l);
  } catch (err) {
    if (!isMalformedContent(err)) throw err; // transient: the whole range is rolled back and retried
    await sql`rollback to savepoint medchain_event`.execute(trx);
    await trx
      .insertInto("indexer_refusals")
      .values({
        block_number: l.blockNumber,
        log_index: l.logIndex,
        handler: h.name,
        event_name: l.eventName,
        contract: l.address,
        tx_hash: lower(l.transactionHash),
        reason: err.reason,
        message: err.message,
        block_time: l.blockTimestamp,
      })
      .onConflict((oc) => oc.columns(["block_number", "log_index"]).doNothing())
      .execute();
    await h.refused?.(trx, l, err);
  }
  await sql`release savepoint medchain_event`.execute(trx);
}
