/**
 * Opens the node's SQL index: embedded PGlite (default, in a data directory
 * or in memory) or a real PostgreSQL server, behind the same Kysely API.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";

import { MedchainError } from "../../kernel/errors.ts";
import { migrateToLatest, tablesOf } from "./migrations.ts";
import { MODULES } from "../../modules.ts";
import type { Database } from "./schema.ts";

/** PostgreSQL type oid of int8 (`bigint`). */
const INT8_OID = 20;

/** Where the SQL index lives. */
export type DbConfig =
  | {
      kind: "pglite";
      /** Data directory (created if missing); `null` keeps the database in memory. */
      dataDir: string | null;
      /**
       * Optional `dumpDataDir()` tarball to start from when the data directory
       * is new (or in memory): about 0.4 s instead of about 3 s for `initdb`.
       * Ignored when `dataDir` already holds a database. See `pgliteTemplate.ts`.
       */
      loadDataDir?: Blob;
    }
  | {
      kind: "postgres";
      /** `postgres://user:password@host:port/database`; the password never appears in errors. */
      url: string;
      /** Maximum pool size (default 10). */
      poolSize?: number;
    };

/** Result of {@link Db.health}. */
export interface DbHealth {
  /** True when a trivial query succeeded just now. */
  ok: boolean;
  /** `"pglite"` or `"postgres"`. */
  kind: string;
  /** Why not ok, or where the data lives (never a password). */
  detail?: string;
}

/** An open, migrated SQL index. */
export interface Db {
  /** Which engine is behind {@link Db.kysely}. */
  readonly kind: DbConfig["kind"];
  /** Typed query builder over the index (see `schema.ts` for column conventions). */
  readonly kysely: Kysely<Database>;
  /** Runs `select 1`; never throws. */
  health(): Promise<DbHealth>;
  /**
   * Drops every medchain table, including Kysely's migration tables, in one
   * transaction (for a reindex). The handle stays open; call
   * `migrateToLatest(db.kysely)` or re-open to get an empty schema again.
   */
  dropAll(): Promise<void>;
  /** Closes the pool or the embedded database; idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the SQL index and migrates it to the latest schema.
 *
 * @throws MedchainError `StorageUnavailable` when the database cannot be
 *   reached or opened (bad URL, server down, wrong password, unusable data
 *   directory) or a migration fails. Messages, details and causes never hold
 *   the URL's password.
 */
export async function openDb(config: DbConfig): Promise<Db> {
  const db = config.kind === "pglite" ? await openPglite(config) : await openPostgres(config);
  try {
    await migrateToLatest(db.kysely);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

async function openPglite(config: Extract<DbConfig, { kind: "pglite" }>): Promise<Db> {
  const { dataDir } = config;
  let pglite: PGlite;
  try {
    let fresh = true;
    if (dataDir !== null) {
      await mkdir(dataDir, { recursive: true });
      fresh = !existsSync(join(dataDir, "PG_VERSION"));
    }
    pglite = await PGlite.create({
      ...(dataDir === null ? {} : { dataDir }),
      ...(fresh && config.loadDataDir !== undefined ? { loadDataDir: config.loadDataDir } : {}),
      parsers: { [pgliteTypes.INT8]: (value: string) => BigInt(value) },
    });
  } catch (cause) {
    throw new MedchainError("StorageUnavailable", "cannot open the embedded database (PGlite)", {
      details: { kind: "pglite", dataDir },
      cause,
    });
  }
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const where = dataDir === null ? "in memory" : dataDir;
  return makeDb("pglite", kysely, where, (text) => text);
}

async function openPostgres(config: Extract<DbConfig, { kind: "postgres" }>): Promise<Db> {
  const secrets = urlSecrets(config.url);
  const scrub = (text: string): string => scrubSecrets(text, secrets);
  let parsed: URL;
  try {
    parsed = new URL(config.url);
  } catch {
    // No cause: Node's URL error carries the whole input, password included.
    throw new MedchainError("StorageUnavailable", "the PostgreSQL URL is not valid", { details: { kind: "postgres" } });
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new MedchainError("StorageUnavailable", "the PostgreSQL URL must start with postgres:// or postgresql://", {
      details: { kind: "postgres", url: redactUrl(config.url) },
    });
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary"
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle client losing its server emits 'error' on the pool; without a
  // listener that would crash the process. The next query reports the failure.
  pool.on("error", () => undefined);
  try {
    await pool.query("select 1");
  } catch (cause) {
    await pool.end().catch(() => undefined);
    const code = pgErrorCode(cause);
    throw new MedchainError("StorageUnavailable", "cannot connect to PostgreSQL", {
      details: { kind: "postgres", url: redactUrl(config.url), ...(code === undefined ? {} : { code }) },
      cause: scrubError(cause, secrets),
    });
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return makeDb("postgres", kysely, redactUrl(config.url), scrub);
}

function makeDb(kind: Db["kind"], kysely: Kysely<Database>, where: string, scrub: (text: string) => string): Db {
  let closed = false;
  return {
    kind,
    kysely,
    async health() {
      if (closed) return { ok: false, kind, detail: "closed" };
      try {
        await kysely.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
        return { ok: true, kind, detail: where };
      } catch (error) {
        return { ok: false, kind, detail: scrub(error instanceof Error ? error.message : String(error)) };
      }
    },
    async dropAll() {
      await kysely.transaction().execute(async (trx) => {
        for (const table of tablesOf(MODULES)) {
          await trx.schema.dropTable(table).ifExists().cascade().execute();
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

/** The URL with its password (if any) replaced by `***`; unparsable input gives `"<invalid url>"`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    return "<invalid url>";
  }
}

/** The SQLSTATE code of a PostgreSQL/PGlite error (e.g. `"23505"`), if it has one. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** True for a unique or primary-key violation (SQLSTATE 23505) from either engine. */
export function isUniqueViolation(error: unknown): boolean {
  return pgErrorCode(error) === "23505";
}

/** Password strings to keep out of errors: as written in the URL and percent-decoded. */
function urlSecrets(url: string): string[] {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(url);
    const values = [parsed.password, ...[...parsed.searchParams].filter(([k]) => /pass/i.test(k)).map(([, v]) => v)];
    for (const value of values) {
      if (value === "") continue;
      secrets.add(value);
      try {
        secrets.add(decodeURIComponent(value));
      } catch {
        // keep the raw form only
      }
    }
  } catch {
    // Unparsable: fall back to anything between "//user:" and "@".
    const match = /\/\/[^:/@]*:([^@]*)@/.exec(url);
    if (match?.[1]) secrets.add(match[1]);
  }
  return [...secrets].filter((s) => s.length > 0);
}

function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

/** The error itself when it holds no secret, else a plain copy with the secrets scrubbed. */
function scrubError(error: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return error;
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
  let leaks = secrets.some((s) => text.includes(s));
  if (!leaks && typeof error === "object" && error !== null) {
    try {
      leaks = secrets.some((s) => JSON.stringify(error).includes(s));
    } catch {
      leaks = true;
    }
  }
  if (!leaks) return error;
  const copy = new Error(scrubSecrets(error instanceof Error ? error.message : String(error), secrets));
  const code = pgErrorCode(error);
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
