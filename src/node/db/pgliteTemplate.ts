/**
 * Fast PGlite start for tests (and first starts): a migrated, empty database
 * is built once, dumped with `dumpDataDir()`, and every later open loads that
 * tarball (about 0.4 s) instead of running `initdb` (about 3 s).
 *
 * The tarball is cached in memory per process and on disk in the OS temp
 * directory, keyed by the PGlite build and the source text of the migrations,
 * so a changed migration or PGlite upgrade builds a new template. Set
 * `MEDCHAIN_PGLITE_TEMPLATE_CACHE=off` to skip the disk cache.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";

import { migrationsOf, migrateToLatest } from "./migrations.ts";
import { MODULES } from "../../modules.ts";
import { openDb } from "./openDb.ts";
import type { Db } from "./openDb.ts";
import type { Database } from "./schema.ts";

let memoryCache: Promise<Blob> | undefined;
/** True when {@link memoryCache} was read from the disk cache (so a load failure may mean a bad cache file). */
let cameFromDisk = false;

/** Cache key: PGlite build (wasm size and mtime) plus the migrations' names and source text. */
async function templateKey(): Promise<string> {
  const hash = createHash("sha256");
  try {
    const wasm = await stat(fileURLToPath(import.meta.resolve("@electric-sql/pglite/pglite.wasm")));
    hash.update(`pglite:${wasm.size}:${wasm.mtimeMs}\n`);
  } catch {
    hash.update("pglite:unknown\n");
  }
  for (const [name, migration] of Object.entries(migrationsOf(MODULES))) {
    hash.update(`${name}\n${migration.up.toString()}\n${migration.down?.toString() ?? ""}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

function diskCacheEnabled(): boolean {
  const value = process.env.MEDCHAIN_PGLITE_TEMPLATE_CACHE;
  return value === undefined || !["off", "0", "false", "no"].includes(value.toLowerCase());
}

async function buildTemplate(): Promise<Blob> {
  const pglite = await PGlite.create();
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(kysely);
    return await pglite.dumpDataDir("none");
  } finally {
    await kysely.destroy();
  }
}

/**
 * The migrated, empty template tarball (built at most once per process, and
 * read from the disk cache when a matching one exists).
 */
export function pgliteTemplate(): Promise<Blob> {
  memoryCache ??= loadOrBuild(true).catch((error: unknown) => {
    memoryCache = undefined;
    throw error;
  });
  return memoryCache;
}

async function loadOrBuild(readDiskCache: boolean): Promise<Blob> {
  if (!diskCacheEnabled()) return buildTemplate();
  const file = join(tmpdir(), `medchain-pglite-template-${await templateKey()}.tar`);
  if (readDiskCache) {
    try {
      const blob = new Blob([await readFile(file)]);
      cameFromDisk = true;
      return blob;
    } catch {
      // not cached yet
    }
  }
  const blob = await buildTemplate();
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, new Uint8Array(await blob.arrayBuffer()));
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true });
  }
  return blob;
}

/**
 * Opens a PGlite index (in memory when `dataDir` is null) started from the
 * migrated template. An existing data directory is opened as is. A cached
 * template that fails to load is discarded and rebuilt once.
 */
export async function openPgliteFromTemplate(dataDir: string | null): Promise<Db> {
  const absent = dataDir === null || !existsSync(dataDir);
  try {
    return await openDb({ kind: "pglite", dataDir, loadDataDir: await pgliteTemplate() });
  } catch (error) {
    if (!cameFromDisk || !absent) throw error;
    // The cached tarball did not load (damaged, or from an incompatible
    // PGlite build): rebuild it, overwrite the cache file, and try once more
    // on a clean directory.
    cameFromDisk = false;
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
    memoryCache = loadOrBuild(false);
    return openDb({ kind: "pglite", dataDir, loadDataDir: await memoryCache });
  }
}
