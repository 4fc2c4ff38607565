/**
 * The indexer follows the contracts' events into SQL. SQL is only a cache:
 * every row derives from chain events (plus the blob store for erasure side
 * effects), so dropping the tables and restarting rebuilds the same state.
 * Each block range is applied in one SQL transaction together with the
 * cursor, so a crash never leaves half a range applied.
 */
import { parseEventLogs, type Abi, type PublicClient } from "viem";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./db/schema.ts";

/** A decoded contract event with its position and block time. */
export interface IndexedLog {
  eventName: string;
  args: Record<string, unknown>;
  address: `0x${string}`;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: `0x${string}`;
  blockTimestamp: bigint;
}

/** One slice's share of indexing (records, accounts, ...). */
export interface IndexerHandler {
  /** Contract addresses whose events this handler wants. */
  addresses: readonly `0x${string}`[];
  /** ABI to decode them. */
  abi: Abi;
  /**
   * Idempotent side effects outside SQL (e.g. unpinning erased blobs), run before the SQL commit. `db` is the index
   * as of the end of the previous range (read it, never write it here: this range's rows are `apply`'s).
   */
  sideEffects?(logs: readonly IndexedLog[], db: Kysely<Database>): Promise<void>;
  /** Applies the events to SQL inside the range's transaction. */
  apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void>;
}

const STREAM = "main";
const RANGE = 2_000n;

/** Options of an {@link Indexer}. */
export interface IndexerOptions {
  client: PublicClient;
  db: Kysely<Database>;
  handlers: readonly IndexerHandler[];
  /** First block worth scanning (the deployment block). */
  fromBlock: bigint;
  pollMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/** Follows the chain into SQL. */
export class Indexer {
  readonly #o: IndexerOptions;
  #indexed = -1n;
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

  /** Loads the cursor and starts polling. */
  async start(): Promise<void> {
    const row = await this.#o.db.selectFrom("indexer_state").selectAll().where("id", "=", STREAM).executeTakeFirst();
    this.#indexed = row === undefined ? this.#o.fromBlock - 1n : row.last_block;
    await this.poll();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.poll().catch((err: unknown) => this.#o.log?.("indexer poll failed", err)).finally(() => this.#schedule());
    }, this.#o.pollMs ?? 500);
  }

  /** Indexes up to the chain head now (concurrent calls share one run). */
  poll(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Resolves once `block` is indexed (read-your-writes for the relayer's callers). */
  async waitFor(block: bigint): Promise<void> {
    while (this.#indexed < block && !this.#stopped) {
      await this.poll(); // may join a run that read the head before `block` existed...
      if (this.#indexed < block) await this.poll(); // ...so a fresh run sees it
      if (this.#indexed < block) await new Promise((r) => setTimeout(r, 20));
    }
  }

  async #run(): Promise<void> {
    const head = await this.#o.client.getBlockNumber({ cacheTime: 0 });
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
        if (l.blockNumber === null || l.logIndex === null || l.transactionHash === null) continue;
        let ts = times.get(l.blockNumber);
        if (ts === undefined) {
          ts = (await this.#o.client.getBlock({ blockNumber: l.blockNumber })).timestamp;
          times.set(l.blockNumber, ts);
        }
        logs.push({
          eventName: l.eventName, args: l.args as Record<string, unknown>, address: l.address.toLowerCase() as `0x${string}`,
          blockNumber: l.blockNumber, logIndex: l.logIndex, transactionHash: l.transactionHash, blockTimestamp: ts,
        });
      }
      logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
      perHandler.push(logs);
    }
    for (const [i, h] of this.#o.handlers.entries()) {
      const logs = perHandler[i] ?? [];
      if (logs.length > 0) await h.sideEffects?.(logs, this.#o.db);
    }
    const block = await this.#o.client.getBlock({ blockNumber: to });
    await this.#o.db.transaction().execute(async (trx) => {
      for (const [i, h] of this.#o.handlers.entries()) {
        const logs = perHandler[i] ?? [];
        if (logs.length > 0) await h.apply(trx, logs);
      }
      await trx.insertInto("indexer_state").values({ id: STREAM, last_block: to, last_block_hash: block.hash })
        .onConflict((oc) => oc.column("id").doUpdateSet({ last_block: to, last_block_hash: block.hash })).execute();
    });
  }

  /** Stops polling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
