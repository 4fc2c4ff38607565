/**
 * Runs the SQL index behaviour suite against PGlite (in memory, on a data
 * directory) and a real PostgreSQL, plus engine-specific checks: opening
 * errors, password redaction and start-up timings.
 *
 * Set `MEDCHAIN_TEST_PG_REQUIRED=1` (CI) to fail instead of skipping when no
 * PostgreSQL is available.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { inspect } from "node:util";

import { MedchainError } from "../../kernel/errors.ts";
import { startTestPostgres } from "../../../test/support/postgres.ts";
import { describeDbBehaviour } from "./db.behaviour.ts";
import { openDb, redactUrl } from "./openDb.ts";
import type { Db } from "./openDb.ts";
import { openPgliteFromTemplate, pgliteTemplate } from "./pgliteTemplate.ts";

// Started first, before any suite runs, so that its start time is measured alone.
const started = performance.now();
const postgres = await startTestPostgres();
const startMs = performance.now() - started;

const scratch = await mkdtemp(join(tmpdir(), "medchain-db-test-"));
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});
let dirCounter = 0;
const newDir = (): string => join(scratch, `pgdata-${++dirCounter}`);

/** Asserts a `StorageUnavailable` MedchainError that nowhere mentions `secret`. */
function assertUnavailableWithout(secret: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof MedchainError, `not a MedchainError: ${String(error)}`);
    assert.equal(error.code, "StorageUnavailable");
    const everything = [
      error.message,
      JSON.stringify(error.toJSON()),
      inspect(error, { depth: Infinity }),
      String(error.stack),
    ].join("\n");
    assert.ok(!everything.includes(secret), `the password leaked: ${everything}`);
    return true;
  };
}

// --- PGlite -----------------------------------------------------------------

describeDbBehaviour("PGlite in memory", () => openPgliteFromTemplate(null));

const pgliteDirs = new Map<Db, string>();
describeDbBehaviour(
  "PGlite data dir",
  async () => {
    const dir = newDir();
    const db = await openPgliteFromTemplate(dir);
    pgliteDirs.set(db, dir);
    return db;
  },
  {
    reopen: async (db) => {
      const dir = pgliteDirs.get(db);
      assert.ok(dir !== undefined);
      await db.close();
      const again = await openDb({ kind: "pglite", dataDir: dir });
      pgliteDirs.set(again, dir);
      return again;
    },
  },
);

describe("openDb: PGlite", () => {
  it("creates a new data dir with initdb (no template), reopens it with its data; timings", async (t) => {
    const dir = newDir();
    let start = performance.now();
    const db = await openDb({ kind: "pglite", dataDir: dir });
    const created = performance.now() - start;
    await db.kysely
      .insertInto("indexer_state")
      .values({ id: "records", last_block: 3n, last_block_hash: null })
      .execute();
    await db.close();

    start = performance.now();
    const again = await openDb({ kind: "pglite", dataDir: dir });
    const reopened = performance.now() - start;
    try {
      const row = await again.kysely.selectFrom("indexer_state").selectAll().executeTakeFirstOrThrow();
      assert.equal(row.last_block, 3n);
    } finally {
      await again.close();
    }

    await pgliteTemplate();
    start = performance.now();
    const fast = await openPgliteFromTemplate(newDir());
    const fromTemplate = performance.now() - start;
    await fast.close();
    start = performance.now();
    const fastMemory = await openPgliteFromTemplate(null);
    const fromTemplateMemory = performance.now() - start;
    await fastMemory.close();
    t.diagnostic(
      `PGlite open (incl. migrations): new data dir ${created.toFixed(0)} ms, reopen ${reopened.toFixed(0)} ms, ` +
        `new data dir from template ${fromTemplate.toFixed(0)} ms, ` +
        `in memory from template ${fromTemplateMemory.toFixed(0)} ms`,
    );
  });

  it("a data dir that is a regular file gives StorageUnavailable", async () => {
    const file = join(scratch, "not-a-dir");
    await writeFile(file, "x");
    await assert.rejects(openDb({ kind: "pglite", dataDir: file }), (error: unknown) => {
      assert.ok(error instanceof MedchainError);
      assert.equal(error.code, "StorageUnavailable");
      return true;
    });
  });
});

// --- PostgreSQL: errors that need no server ---------------------------------

describe("test PostgreSQL support", () => {
  it("reports a skip reason when PostgreSQL is not installed", async (t) => {
    if (process.env.MEDCHAIN_TEST_PG_URL) {
      t.skip("MEDCHAIN_TEST_PG_URL is set, so installed binaries are not looked for");
      return;
    }
    assert.deepEqual(await startTestPostgres({ pgRoot: join(scratch, "no-postgresql-here") }), {
      skipped: "PostgreSQL is not installed (apt-get install -y postgresql)",
    });
  });
});

describe("openDb: PostgreSQL connection errors", () => {
  const secret = "s3cr3t-P4ss-word";

  it("redactUrl hides the password", () => {
    assert.equal(
      redactUrl(`postgres://alice:${secret}@db.example:5432/medchain`),
      "postgres://alice:***@db.example:5432/medchain",
    );
    assert.equal(redactUrl("postgres://db.example/medchain"), "postgres://db.example/medchain");
    assert.equal(redactUrl(`postgres://db.example/m?password=${secret}`), "postgres://db.example/m?password=***");
    assert.equal(redactUrl("::not a url::"), "<invalid url>");
  });

  it("an invalid URL gives StorageUnavailable without the password", async () => {
    await assert.rejects(
      openDb({ kind: "postgres", url: `postgres://alice:${secret}@[broken/medchain` }),
      assertUnavailableWithout(secret),
    );
    await assert.rejects(
      openDb({ kind: "postgres", url: `mysql://alice:${secret}@localhost/medchain` }),
      assertUnavailableWithout(secret),
    );
  });

  it("a server that is down gives StorageUnavailable without the password", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1));
      });
    });
    await assert.rejects(
      openDb({ kind: "postgres", url: `postgres://alice:${secret}@127.0.0.1:${port}/medchain` }),
      assertUnavailableWithout(secret),
    );
  });
});

// --- PostgreSQL: a real server ----------------------------------------------

if ("skipped" in postgres) {
  const reason = postgres.skipped;
  if (process.env.MEDCHAIN_TEST_PG_REQUIRED === "1") {
    it("Db behaviour: PostgreSQL", () => assert.fail(`MEDCHAIN_TEST_PG_REQUIRED=1 but: ${reason}`));
  } else {
    it("Db behaviour: PostgreSQL", (t) => t.skip(reason));
  }
} else {
  const { url } = postgres;
  after(async () => {
    await postgres.stop();
  });

  describeDbBehaviour("PostgreSQL", () => openDb({ kind: "postgres", url }), {
    reopen: async (db) => {
      await db.close();
      return openDb({ kind: "postgres", url });
    },
  });

  describe("openDb: PostgreSQL server", () => {
    it("test cluster start time and open time", async (t) => {
      const start = performance.now();
      const db = await openDb({ kind: "postgres", url });
      const opened = performance.now() - start;
      await db.close();
      t.diagnostic(`test PostgreSQL ready in ${startMs.toFixed(0)} ms; openDb ${opened.toFixed(0)} ms`);
    });

    it("a wrong password gives StorageUnavailable without that password", async () => {
      const wrong = "definitely-Wrong-pw-4711";
      const parsed = new URL(url);
      parsed.password = wrong;
      await assert.rejects(openDb({ kind: "postgres", url: parsed.toString() }), (error: unknown) => {
        assertUnavailableWithout(wrong)(error);
        assert.equal((error as MedchainError).details?.code, "28P01"); // invalid_password
        return true;
      });
    });

    it("a missing database gives StorageUnavailable", async () => {
      const parsed = new URL(url);
      parsed.pathname = "/no_such_database";
      await assert.rejects(openDb({ kind: "postgres", url: parsed.toString() }), (error: unknown) => {
        assertUnavailableWithout(decodeURIComponent(new URL(url).password))(error);
        assert.equal((error as MedchainError).details?.code, "3D000"); // invalid_catalog_name
        return true;
      });
    });

    it("health turns not-ok (without the password) when the server goes away", async () => {
      // A second, private cluster so that stopping it does not disturb the suite.
      const other = await startTestPostgres();
      assert.ok(!("skipped" in other));
      const db = await openDb({ kind: "postgres", url: other.url });
      try {
        assert.equal((await db.health()).ok, true);
        await other.stop();
        const health = await db.health();
        assert.equal(health.ok, false);
        assert.ok(!String(health.detail).includes(decodeURIComponent(new URL(other.url).password)));
      } finally {
        await db.close();
        await other.stop();
      }
    });
  });
}
