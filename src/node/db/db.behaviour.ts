/**
 * Behaviour suite of the SQL index port, shared by every engine (PGlite in
 * memory, PGlite on disk, PostgreSQL). Run it from a `*.test.ts` file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import { sql } from "kysely";

import { MedchainError } from "../../kernel/errors.ts";
import { MIGRATIONS, migrateToLatest } from "./migrations.ts";
import { isUniqueViolation, pgErrorCode } from "./openDb.ts";
import type { Db } from "./openDb.ts";
import { MEDCHAIN_TABLES, MIGRATION_TABLE } from "./schema.ts";
import type { NewBatch } from "./schema.ts";

/** Options of {@link describeDbBehaviour}. */
export interface DbBehaviourOptions {
  /**
   * For persistent engines: closes `db` and opens the same storage again.
   * When given, the suite also checks that data survives a reopen and that
   * `dropAll()` followed by a reopen yields an empty, migrated schema.
   */
  reopen?: (db: Db) => Promise<Db>;
}

/** Lowercase 0x address number `n`. */
function address(n: number): string {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

/** Lowercase 0x 32-byte hash number `n`. */
function hash32(n: number): string {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** A valid batch row, overridable field by field. */
function batch(n: number, overrides: Partial<NewBatch> = {}): NewBatch {
  return {
    batch_id: hash32(0xb000 + n),
    owner: address(1),
    author: address(2),
    categories: 0b101,
    manifest_cid: "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
    merkle_root: hash32(0x7000 + n),
    count: 3,
    version: 1,
    block_number: 100n + BigInt(n),
    tx_hash: hash32(0x1000 + n),
    log_index: n,
    created_at: 1_700_000_000n + BigInt(n),
    ...overrides,
  };
}

/** Names of the tables in the connection's current schema. */
async function tablesOf(db: Pick<Db, "kysely">): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() order by table_name`.execute(db.kysely);
  return rows.map((r) => r.table_name);
}

/** Row counts of the data tables. */
async function counts(db: Pick<Db, "kysely">): Promise<Record<string, bigint>> {
  const out: Record<string, bigint> = {};
  for (const table of ["indexer_state", "accounts", "writers", "batches", "grants", "delegates"] as const) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<bigint>().as("n"))
      .executeTakeFirstOrThrow();
    out[table] = row.n;
  }
  return out;
}

const EMPTY = { indexer_state: 0n, accounts: 0n, writers: 0n, batches: 0n, grants: 0n, delegates: 0n };

/** Asserts that `promise` rejects with SQLSTATE `code`. */
async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(pgErrorCode(error), code, `expected SQLSTATE ${code}, got ${String(error)}`);
    return true;
  });
}

/**
 * Declares the SQL index behaviour tests for one engine.
 *
 * @param name suite title, e.g. `"PGlite in memory"`.
 * @param open opens a migrated index; the suite resets it (`dropAll` then
 *   `migrateToLatest`) before each test, so leftovers from earlier runs do no harm.
 * @param options see {@link DbBehaviourOptions}.
 */
export function describeDbBehaviour(name: string, open: () => Promise<Db>, options: DbBehaviourOptions = {}): void {
  describe(`Db behaviour: ${name}`, () => {
    let shared: Db | undefined;

    /** The shared handle, reset to an empty, migrated schema. */
    async function fresh(): Promise<Db> {
      shared ??= await open();
      await shared.dropAll();
      await migrateToLatest(shared.kysely);
      return shared;
    }

    after(async () => {
      await shared?.close();
    });

    it("reports healthy and its kind", async () => {
      const db = await fresh();
      const health = await db.health();
      assert.equal(health.ok, true, health.detail);
      assert.equal(health.kind, db.kind);
      assert.ok(db.kind === "pglite" || db.kind === "postgres");
    });

    it("has exactly the medchain tables and indexes, all empty", async () => {
      const db = await fresh();
      assert.deepEqual(await tablesOf(db), [...MEDCHAIN_TABLES].sort());
      assert.deepEqual(await counts(db), EMPTY);
      const { rows } = await sql<{ indexname: string }>`
        select indexname from pg_indexes
        where schemaname = current_schema() and tablename = 'batches' order by indexname`.execute(db.kysely);
      assert.deepEqual(
        rows.map((r) => r.indexname),
        ["batches_author_idx", "batches_owner_idx", "batches_pkey"],
      );
    });

    it("indexer_state: insert, select, upsert, nullable block hash", async () => {
      const { kysely } = await fresh();
      await kysely
        .insertInto("indexer_state")
        .values({ id: "records", last_block: 0n, last_block_hash: null })
        .execute();
      assert.deepEqual(await kysely.selectFrom("indexer_state").selectAll().execute(), [
        { id: "records", last_block: 0n, last_block_hash: null },
      ]);
      await kysely
        .insertInto("indexer_state")
        .values({ id: "records", last_block: 42n, last_block_hash: hash32(42) })
        .onConflict((oc) =>
          oc.column("id").doUpdateSet((eb) => ({
            last_block: eb.ref("excluded.last_block"),
            last_block_hash: eb.ref("excluded.last_block_hash"),
          })),
        )
        .execute();
      const row = await kysely
        .selectFrom("indexer_state")
        .selectAll()
        .where("id", "=", "records")
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { id: "records", last_block: 42n, last_block_hash: hash32(42) });
    });

    it("accounts: insert, select, update; a duplicate address is rejected and changes nothing", async () => {
      const { kysely } = await fresh();
      await kysely
        .insertInto("accounts")
        .values({ address: address(1), encryption_key: "0xaa", key_version: 1, block_number: 5n })
        .execute();
      await kysely
        .updateTable("accounts")
        .set({ encryption_key: "0xbb", key_version: 2, block_number: 9n })
        .where("address", "=", address(1))
        .execute();
      await assert.rejects(
        kysely
          .insertInto("accounts")
          .values({ address: address(1), encryption_key: "0xcc", key_version: 1, block_number: 10n })
          .execute(),
        (error: unknown) => isUniqueViolation(error),
      );
      assert.deepEqual(await kysely.selectFrom("accounts").selectAll().execute(), [
        { address: address(1), encryption_key: "0xbb", key_version: 2, block_number: 9n },
      ]);
    });

    it("writers: composite (owner, writer) key, update, select by owner", async () => {
      const { kysely } = await fresh();
      await kysely
        .insertInto("writers")
        .values([
          { owner: address(1), writer: address(2), authorized: true, block_number: 1n },
          { owner: address(1), writer: address(3), authorized: true, block_number: 1n },
          { owner: address(4), writer: address(2), authorized: true, block_number: 2n },
        ])
        .execute();
      await assert.rejects(
        kysely
          .insertInto("writers")
          .values({ owner: address(1), writer: address(2), authorized: false, block_number: 3n })
          .execute(),
        (error: unknown) => isUniqueViolation(error),
      );
      const result = await kysely
        .updateTable("writers")
        .set({ authorized: false, block_number: 7n })
        .where("owner", "=", address(1))
        .where("writer", "=", address(2))
        .executeTakeFirst();
      assert.equal(result.numUpdatedRows, 1n);
      const rows = await kysely
        .selectFrom("writers")
        .selectAll()
        .where("owner", "=", address(1))
        .orderBy("writer")
        .execute();
      assert.deepEqual(rows, [
        { owner: address(1), writer: address(2), authorized: false, block_number: 7n },
        { owner: address(1), writer: address(3), authorized: true, block_number: 1n },
      ]);
    });

    it("batches: insert with defaults, select by owner and author, mark erased, duplicate id rejected", async () => {
      const { kysely } = await fresh();
      await kysely
        .insertInto("batches")
        .values([batch(1), batch(2, { author: address(3) }), batch(3, { owner: address(9) })])
        .execute();
      const byOwner = await kysely
        .selectFrom("batches")
        .selectAll()
        .where("owner", "=", address(1))
        .orderBy("block_number")
        .execute();
      assert.equal(byOwner.length, 2);
      assert.deepEqual(byOwner[0], { ...batch(1), erased: false });
      const byAuthor = await kysely.selectFrom("batches").select("batch_id").where("author", "=", address(3)).execute();
      assert.deepEqual(byAuthor, [{ batch_id: batch(2).batch_id }]);

      await kysely.updateTable("batches").set({ erased: true }).where("batch_id", "=", batch(2).batch_id).execute();
      const erased = await kysely.selectFrom("batches").select("batch_id").where("erased", "=", true).execute();
      assert.deepEqual(erased, [{ batch_id: batch(2).batch_id }]);

      await assert.rejects(
        kysely
          .insertInto("batches")
          .values(batch(1, { count: 99 }))
          .execute(),
        (error: unknown) => isUniqueViolation(error),
      );
      const kept = await kysely
        .selectFrom("batches")
        .select("count")
        .where("batch_id", "=", batch(1).batch_id)
        .executeTakeFirstOrThrow();
      assert.equal(kept.count, 3);
    });

    it("block numbers above 2^31 and 2^53 survive exactly, as bigint, and sort numerically", async () => {
      const { kysely } = await fresh();
      const big = [2n ** 31n + 7n, 2n ** 53n + 1n, 2n ** 63n - 1n];
      await kysely
        .insertInto("batches")
        .values([
          batch(1, { block_number: big[2], created_at: big[1] }),
          batch(2, { block_number: big[1] }),
          batch(3, { block_number: big[0] }),
          batch(4, { block_number: 2 ** 32 }), // a safe-integer number is accepted too
          batch(5, { block_number: 9n }),
        ])
        .execute();
      await kysely
        .insertInto("indexer_state")
        .values({ id: "records", last_block: big[1]!, last_block_hash: null })
        .execute();
      await kysely
        .insertInto("accounts")
        .values({ address: address(1), encryption_key: "0x01", key_version: 1, block_number: big[2]! })
        .execute();
      await kysely
        .insertInto("writers")
        .values({ owner: address(1), writer: address(2), authorized: true, block_number: big[0]! })
        .execute();

      const rows = await kysely
        .selectFrom("batches")
        .select(["block_number", "created_at"])
        .orderBy("block_number")
        .execute();
      assert.deepEqual(
        rows.map((r) => r.block_number),
        [9n, big[0], 2n ** 32n, big[1], big[2]],
      );
      for (const row of rows) assert.equal(typeof row.block_number, "bigint");
      assert.equal(rows.at(-1)?.created_at, big[1]);
      const above = await kysely
        .selectFrom("batches")
        .select("batch_id")
        .where("block_number", ">", 2n ** 53n)
        .execute();
      assert.equal(above.length, 2);
      assert.equal(
        (await kysely.selectFrom("indexer_state").select("last_block").executeTakeFirstOrThrow()).last_block,
        big[1],
      );
      assert.equal(
        (await kysely.selectFrom("accounts").select("block_number").executeTakeFirstOrThrow()).block_number,
        big[2],
      );
      assert.equal(
        (await kysely.selectFrom("writers").select("block_number").executeTakeFirstOrThrow()).block_number,
        big[0],
      );
    });

    it(
      "rejects non-canonical values: mixed-case address, " + "short hash, negative block (CHECK, SQLSTATE 23514)",
      async () => {
        const { kysely } = await fresh();
        const mixed = `0x${"Ab".repeat(20)}`;
        await rejectsWithCode(
          kysely
            .insertInto("accounts")
            .values({ address: mixed, encryption_key: "0x01", key_version: 1, block_number: 1n })
            .execute(),
          "23514",
        );
        await rejectsWithCode(
          kysely
            .insertInto("batches")
            .values(batch(1, { tx_hash: "0x1234" }))
            .execute(),
          "23514",
        );
        await rejectsWithCode(
          kysely
            .insertInto("batches")
            .values(batch(1, { block_number: -1n }))
            .execute(),
          "23514",
        );
        await rejectsWithCode(
          kysely
            .insertInto("writers")
            .values({ owner: address(1), writer: "0xnothex", authorized: true, block_number: 1n })
            .execute(),
          "23514",
        );
        assert.deepEqual(await counts({ kysely }), EMPTY);
      },
    );

    it("a transaction that throws writes nothing", async () => {
      const { kysely } = await fresh();
      const boom = new Error("boom");
      await assert.rejects(
        kysely.transaction().execute(async (trx) => {
          await trx
            .insertInto("accounts")
            .values({ address: address(1), encryption_key: "0x01", key_version: 1, block_number: 1n })
            .execute();
          await trx.insertInto("batches").values(batch(1)).execute();
          await trx
            .insertInto("indexer_state")
            .values({ id: "records", last_block: 1n, last_block_hash: null })
            .execute();
          throw boom;
        }),
        (error: unknown) => error === boom,
      );
      assert.deepEqual(await counts({ kysely }), EMPTY);
    });

    it("a constraint violation inside a transaction rolls back its earlier statements", async () => {
      const { kysely } = await fresh();
      await kysely.insertInto("batches").values(batch(1)).execute();
      await assert.rejects(
        kysely.transaction().execute(async (trx) => {
          await trx.insertInto("batches").values(batch(2)).execute();
          await trx
            .insertInto("indexer_state")
            .values({ id: "records", last_block: 2n, last_block_hash: null })
            .execute();
          await trx.insertInto("batches").values(batch(1)).execute(); // duplicate key
        }),
        (error: unknown) => isUniqueViolation(error),
      );
      const ids = await kysely.selectFrom("batches").select("batch_id").execute();
      assert.deepEqual(ids, [{ batch_id: batch(1).batch_id }]);
      assert.equal((await counts({ kysely })).indexer_state, 0n);
      // the connection is usable again after the rollback
      await kysely.insertInto("batches").values(batch(3)).execute();
    });

    it("a committed transaction keeps all its writes", async () => {
      const { kysely } = await fresh();
      await kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto("batches")
          .values([batch(1), batch(2)])
          .execute();
        await trx
          .insertInto("indexer_state")
          .values({ id: "records", last_block: 102n, last_block_hash: hash32(102) })
          .execute();
      });
      assert.deepEqual(await counts({ kysely }), { ...EMPTY, batches: 2n, indexer_state: 1n });
    });

    it("concurrent writes and transactions all land, failed ones leave nothing", async () => {
      const { kysely } = await fresh();
      await Promise.all(Array.from({ length: 40 }, (_, i) => kysely.insertInto("batches").values(batch(i)).execute()));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          kysely.transaction().execute(async (trx) => {
            await trx
              .insertInto("accounts")
              .values({ address: address(100 + i), encryption_key: "0x01", key_version: 1, block_number: 1n })
              .execute();
            if (i % 2 === 1) await trx.insertInto("batches").values(batch(0)).execute(); // duplicate: rolls back
            await trx
              .insertInto("writers")
              .values({ owner: address(100 + i), writer: address(2), authorized: true, block_number: 1n })
              .execute();
          }),
        ),
      );
      assert.deepEqual(
        outcomes.map((o) => o.status),
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "fulfilled" : "rejected")),
      );
      assert.deepEqual(await counts({ kysely }), { ...EMPTY, batches: 40n, accounts: 5n, writers: 5n });
      const owners = await kysely.selectFrom("writers").select("owner").orderBy("owner").execute();
      assert.deepEqual(
        owners.map((r) => r.owner),
        [0, 2, 4, 6, 8].map((i) => address(100 + i)),
      );
    });

    it("migrateToLatest is idempotent", async () => {
      const db = await fresh();
      assert.deepEqual(await migrateToLatest(db.kysely), []);
      assert.deepEqual(await migrateToLatest(db.kysely), []);
      assert.deepEqual(await tablesOf(db), [...MEDCHAIN_TABLES].sort());
    });

    it("a schema migrated by a newer version (unknown migration) is refused with StorageUnavailable", async () => {
      const db = await fresh();
      await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('9999_from_the_future', ${new Date().toISOString()})`.execute(
        db.kysely,
      );
      await assert.rejects(migrateToLatest(db.kysely), (error: unknown) => {
        assert.ok(error instanceof MedchainError);
        assert.equal(error.code, "StorageUnavailable");
        return true;
      });
    });

    it("dropAll drops every medchain table incl. migration tables; migrating again gives an empty schema", async () => {
      const db = await fresh();
      await db.kysely.insertInto("batches").values(batch(1)).execute();
      await db.kysely
        .insertInto("indexer_state")
        .values({ id: "records", last_block: 101n, last_block_hash: null })
        .execute();
      await db.dropAll();
      assert.deepEqual(await tablesOf(db), [], "nothing may be left in the schema");
      await db.dropAll(); // idempotent
      assert.deepEqual(await migrateToLatest(db.kysely), Object.keys(MIGRATIONS).sort());
      assert.deepEqual(await tablesOf(db), [...MEDCHAIN_TABLES].sort());
      assert.deepEqual(await counts(db), EMPTY);
    });

    const { reopen } = options;
    if (reopen !== undefined) {
      it("keeps data across close and reopen", async () => {
        const db = await fresh();
        await db.kysely
          .insertInto("batches")
          .values(batch(1, { block_number: 2n ** 40n }))
          .execute();
        await db.kysely
          .insertInto("indexer_state")
          .values({ id: "records", last_block: 2n ** 40n, last_block_hash: hash32(1) })
          .execute();
        shared = undefined;
        shared = await reopen(db);
        const row = await shared.kysely.selectFrom("batches").selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(row, { ...batch(1, { block_number: 2n ** 40n }), erased: false });
        assert.equal(
          (await shared.kysely.selectFrom("indexer_state").select("last_block").executeTakeFirstOrThrow()).last_block,
          2n ** 40n,
        );
      });

      it("dropAll then reopen migrates again to an empty schema", async () => {
        const db = await fresh();
        await db.kysely.insertInto("batches").values(batch(1)).execute();
        await db.dropAll();
        shared = undefined;
        shared = await reopen(db);
        assert.deepEqual(await tablesOf(shared), [...MEDCHAIN_TABLES].sort());
        assert.deepEqual(await counts(shared), EMPTY);
        assert.deepEqual(await migrateToLatest(shared.kysely), []);
      });
    }

    it("close is idempotent; health after close is not ok and queries fail", async () => {
      const db = await open();
      await db.close();
      await db.close();
      const health = await db.health();
      assert.equal(health.ok, false);
      assert.equal(health.detail, "closed");
      await assert.rejects(db.kysely.selectFrom("batches").selectAll().execute());
    });
  });
}
