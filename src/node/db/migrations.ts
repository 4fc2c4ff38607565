/**
 * Schema migrations of the SQL index, held in code (no lookup of files on
 * disk, so they work the same from `src/`, a bundle or a test).
 *
 * The baseline below (0001-0007) predates the slice modules: platform tables
 * and those of the first slices. A slice adds its own tables and migrations in
 * its module (`tables`, `migrations`, names `<yyyymmdd>_<slice>_<what>`), and
 * its table types to `Database` by declaration merging.
 *
 * Rules: never edit a migration that may have run somewhere; add a new one
 * with a name that sorts after the others.
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import type { Migration, MigrationProvider, MigrationResult } from "kysely/migration";

import { MedchainError } from "../../kernel/errors.ts";
import { MEDCHAIN_TABLES, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./schema.ts";
import type { SliceModule } from "../module.ts";
import { MODULES } from "../../modules.ts";
import type { Database } from "./schema.ts";

const ADDRESS = "^0x[0-9a-f]{40}$";
const HASH32 = "^0x[0-9a-f]{64}$";
const HEX = "^0x[0-9a-f]+$";

/** `col ~ 'pattern'` as a CHECK expression (pattern is a constant of this module, not input). */
function matches(column: string, pattern: string) {
  return sql`${sql.ref(column)} ~ ${sql.lit(pattern)}`;
}

/** Every migration, by name; names sort in the order they must run. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_index": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("indexer_state")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("last_block", "bigint", (c) => c.notNull().check(sql`last_block >= 0`))
        .addColumn("last_block_hash", "text", (c) => c.check(matches("last_block_hash", HASH32)))
        .execute();

      await db.schema
        .createTable("accounts")
        .addColumn("address", "text", (c) => c.primaryKey().check(matches("address", ADDRESS)))
        .addColumn("encryption_key", "text", (c) => c.notNull())
        .addColumn("key_version", "integer", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();

      await db.schema
        .createTable("writers")
        .addColumn("owner", "text", (c) => c.notNull().check(matches("owner", ADDRESS)))
        .addColumn("writer", "text", (c) => c.notNull().check(matches("writer", ADDRESS)))
        .addColumn("authorized", "boolean", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addPrimaryKeyConstraint("writers_pkey", ["owner", "writer"])
        .execute();

      await db.schema
        .createTable("batches")
        .addColumn("batch_id", "text", (c) => c.primaryKey().check(matches("batch_id", HEX)))
        .addColumn("owner", "text", (c) => c.notNull().check(matches("owner", ADDRESS)))
        .addColumn("author", "text", (c) => c.notNull().check(matches("author", ADDRESS)))
        .addColumn("categories", "integer", (c) => c.notNull())
        .addColumn("manifest_cid", "text", (c) => c.notNull())
        .addColumn("merkle_root", "text", (c) => c.notNull().check(matches("merkle_root", HASH32)))
        .addColumn("count", "integer", (c) => c.notNull().check(sql`count >= 0`))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("erased", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addColumn("tx_hash", "text", (c) => c.notNull().check(matches("tx_hash", HASH32)))
        .addColumn("log_index", "integer", (c) => c.notNull().check(sql`log_index >= 0`))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("batches_owner_idx").on("batches").column("owner").execute();
      await db.schema.createIndex("batches_author_idx").on("batches").column("author").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["batches", "writers", "accounts", "indexer_state"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0002_consent": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("grants")
        .addColumn("grant_id", "bigint", (c) => c.primaryKey().check(sql`grant_id > 0`))
        .addColumn("patient", "text", (c) => c.notNull().check(matches("patient", ADDRESS)))
        .addColumn("grantee", "text", (c) => c.notNull().check(matches("grantee", ADDRESS)))
        .addColumn("categories", "integer", (c) => c.notNull())
        .addColumn("purposes", "integer", (c) => c.notNull())
        .addColumn("not_before", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("revoked", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("break_glass", "boolean", (c) => c.notNull())
        .addColumn("issued_by", "text", (c) => c.notNull().check(matches("issued_by", ADDRESS)))
        .addColumn("reason_hash", "text", (c) => c.check(matches("reason_hash", HASH32)))
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();
      await db.schema.createIndex("grants_patient_idx").on("grants").column("patient").execute();
      await db.schema.createIndex("grants_grantee_idx").on("grants").column("grantee").execute();
      await db.schema
        .createTable("delegates")
        .addColumn("patient", "text", (c) => c.notNull().check(matches("patient", ADDRESS)))
        .addColumn("delegate", "text", (c) => c.notNull().check(matches("delegate", ADDRESS)))
        .addColumn("allowed", "boolean", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addPrimaryKeyConstraint("delegates_pkey", ["patient", "delegate"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["delegates", "grants"]) await db.schema.dropTable(table).ifExists().execute();
    },
  },
  "0003_blob_owners": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("blob_owners")
        .addColumn("cid", "text", (c) => c.primaryKey())
        .addColumn("batch_id", "text", (c) => c.notNull().check(matches("batch_id", HEX)))
        .addColumn("manifest_cid", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("blob_owners_version_idx")
        .on("blob_owners")
        .columns(["batch_id", "manifest_cid"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("blob_owners").ifExists().execute();
    },
  },
  "0004_supply": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("supply_batches")
        .addColumn("anchor_id", "bigint", (c) => c.primaryKey())
        .addColumn("partner", "text", (c) => c.notNull().check(matches("partner", ADDRESS)))
        .addColumn("root", "text", (c) => c.notNull().check(matches("root", HASH32)))
        .addColumn("count", "integer", (c) => c.notNull())
        .addColumn("doc_cid", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("block_number", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("supply_events")
        .addColumn("event_hash", "text", (c) => c.primaryKey().check(matches("event_hash", HASH32)))
        .addColumn("anchor_id", "bigint", (c) => c.notNull())
        .addColumn("leaf_index", "integer", (c) => c.notNull())
        .addColumn("partner", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("biz_step", "text")
        .addColumn("event_time", "bigint", (c) => c.notNull())
        .addColumn("location", "text")
        .addColumn("destinations", "text", (c) => c.notNull())
        .addColumn("ilmd_expiry", "text")
        .execute();
      await db.schema
        .createIndex("supply_events_anchor_idx")
        .on("supply_events")
        .columns(["anchor_id", "leaf_index"])
        .execute();
      await db.schema
        .createTable("supply_unit_events")
        .addColumn("unit_key", "text", (c) => c.notNull())
        .addColumn("event_hash", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("supply_unit_events_pkey", ["unit_key", "event_hash"])
        .execute();
      await db.schema
        .createTable("supply_containment")
        .addColumn("child", "text", (c) => c.primaryKey())
        .addColumn("parent", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("supply_containment_parent_idx").on("supply_containment").column("parent").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ["supply_containment", "supply_unit_events", "supply_events", "supply_batches"])
        await db.schema.dropTable(t).ifExists().execute();
    },
  },
  "0005_supply_twins": {
    async up(db: Kysely<unknown>): Promise<void> {
      // each event's inclusion proof, stored at index time (sibling hashes leaf to root, 32 bytes each)
      await db.schema.alterTable("supply_events").addColumn("proof", "bytea").execute();
      await db.schema
        .createIndex("supply_unit_events_event_idx")
        .on("supply_unit_events")
        .column("event_hash")
        .execute();
      await db.schema
        .createTable("supply_twins")
        .addColumn("unit_key", "text", (c) => c.primaryKey().check(matches("unit_key", HASH32)))
        .addColumn("manufacturer", "text", (c) => c.notNull().check(matches("manufacturer", ADDRESS)))
        .addColumn("owner", "text", (c) => c.check(matches("owner", ADDRESS)))
        .addColumn("decommissioned", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("minted_at", "bigint", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();
      await db.schema
        .createTable("supply_twin_custody")
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addColumn("log_index", "integer", (c) => c.notNull().check(sql`log_index >= 0`))
        .addColumn("unit_key", "text", (c) => c.notNull().check(matches("unit_key", HASH32)))
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('minted', 'transferred', 'decommissioned')`))
        .addColumn("from_partner", "text", (c) => c.check(matches("from_partner", ADDRESS)))
        .addColumn("to_partner", "text", (c) => c.check(matches("to_partner", ADDRESS)))
        .addColumn("anchor_id", "bigint", (c) => c.notNull())
        .addColumn("event_hash", "text", (c) => c.notNull().check(matches("event_hash", HASH32)))
        .addColumn("tx_hash", "text", (c) => c.notNull().check(matches("tx_hash", HASH32)))
        .addColumn("block_time", "bigint", (c) => c.notNull())
        .addColumn("check_result", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("supply_twin_custody_pkey", ["block_number", "log_index"])
        .execute();
      await db.schema
        .createIndex("supply_twin_custody_unit_idx")
        .on("supply_twin_custody")
        .columns(["unit_key", "block_number", "log_index"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ["supply_twin_custody", "supply_twins"]) await db.schema.dropTable(t).ifExists().execute();
      await db.schema.dropIndex("supply_unit_events_event_idx").ifExists().execute();
      await db.schema.alterTable("supply_events").dropColumn("proof").execute();
    },
  },
  // 0006 (not 0005): the supply slice's digital twins take 0005 on main, and migrations must run in name order.
  "0006_identity": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("trust_accreditations")
        .addColumn("issuer", "text", (c) => c.notNull().check(matches("issuer", ADDRESS)))
        .addColumn("type_id", "text", (c) => c.notNull().check(matches("type_id", HASH32)))
        .addColumn("epoch", "integer", (c) => c.notNull())
        .addColumn("since", "bigint", (c) => c.notNull())
        .addColumn("active", "boolean", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addPrimaryKeyConstraint("trust_accreditations_pkey", ["issuer", "type_id"])
        .execute();
      await db.schema
        .createTable("trust_credentials")
        .addColumn("credential_id", "text", (c) => c.primaryKey().check(matches("credential_id", HASH32)))
        .addColumn("type_id", "text", (c) => c.notNull().check(matches("type_id", HASH32)))
        .addColumn("issuer", "text", (c) => c.notNull().check(matches("issuer", ADDRESS)))
        .addColumn("subject", "text", (c) => c.notNull().check(matches("subject", ADDRESS)))
        .addColumn("valid_from", "bigint", (c) => c.notNull())
        .addColumn("valid_until", "bigint", (c) => c.notNull())
        .addColumn("epoch", "integer", (c) => c.notNull())
        .addColumn("revoked", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();
      await db.schema.createIndex("trust_credentials_subject_idx").on("trust_credentials").column("subject").execute();
      await db.schema
        .createTable("trust_roles")
        .addColumn("account", "text", (c) => c.notNull().check(matches("account", ADDRESS)))
        .addColumn("type_id", "text", (c) => c.notNull().check(matches("type_id", HASH32)))
        .addColumn("credential_id", "text", (c) => c.notNull().check(matches("credential_id", HASH32)))
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addPrimaryKeyConstraint("trust_roles_pkey", ["account", "type_id"])
        .execute();
      await db.schema
        .createTable("gov_members")
        .addColumn("address", "text", (c) => c.primaryKey().check(matches("address", ADDRESS)))
        .addColumn("member", "boolean", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();
      await db.schema
        .createTable("gov_proposals")
        .addColumn("proposal_id", "bigint", (c) => c.primaryKey().check(sql`proposal_id > 0`))
        .addColumn("proposer", "text", (c) => c.notNull().check(matches("proposer", ADDRESS)))
        .addColumn("targets", "text", (c) => c.notNull())
        .addColumn("values", "text", (c) => c.notNull())
        .addColumn("calldatas", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("vote_start", "bigint", (c) => c.notNull())
        .addColumn("vote_end", "bigint", (c) => c.notNull())
        .addColumn("eta", "bigint")
        .addColumn("executed", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("canceled", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("for_votes", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("against_votes", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("abstain_votes", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .execute();
      await db.schema
        .createTable("gov_votes")
        .addColumn("proposal_id", "bigint", (c) => c.notNull())
        .addColumn("voter", "text", (c) => c.notNull().check(matches("voter", ADDRESS)))
        .addColumn("support", "integer", (c) => c.notNull())
        .addColumn("weight", "integer", (c) => c.notNull())
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addPrimaryKeyConstraint("gov_votes_pkey", ["proposal_id", "voter"])
        .execute();
      // Single-use presentation challenges: node state, not chain state (a dropped index forgets pending challenges,
      // so their presentations are refused, never accepted twice).
      await db.schema
        .createTable("credential_challenges")
        .addColumn("challenge", "text", (c) => c.primaryKey())
        .addColumn("domain", "text", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("used_at", "bigint")
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        "credential_challenges",
        "gov_votes",
        "gov_proposals",
        "gov_members",
        "trust_roles",
        "trust_credentials",
        "trust_accreditations",
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
  "0007_indexer_refusals": {
    async up(db: Kysely<unknown>): Promise<void> {
      // Events whose author-supplied content the indexer refused (one row per event, with the reason).
      await db.schema
        .createTable("indexer_refusals")
        .addColumn("block_number", "bigint", (c) => c.notNull().check(sql`block_number >= 0`))
        .addColumn("log_index", "integer", (c) => c.notNull().check(sql`log_index >= 0`))
        .addColumn("handler", "text", (c) => c.notNull())
        .addColumn("event_name", "text", (c) => c.notNull())
        .addColumn("contract", "text", (c) => c.notNull().check(matches("contract", ADDRESS)))
        .addColumn("tx_hash", "text", (c) => c.notNull().check(matches("tx_hash", HASH32)))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("block_time", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("indexer_refusals_pkey", ["block_number", "log_index"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("indexer_refusals").ifExists().execute();
    },
  },
};

/** A slice's migration name: `<yyyymmdd>_<slice>_<what>`, so that it sorts after the baseline above. */
const SLICE_MIGRATION = /^(\d{8})_([a-z][a-z0-9]*)_[a-z0-9_]+$/;

/**
 * The baseline migrations above plus every slice's own (each named `<yyyymmdd>_<slice>_<what>`). The baseline
 * predates the slice modules and is never edited; a slice's tables and migrations live in its module.
 */
export function migrationsOf(modules: readonly SliceModule[]): Readonly<Record<string, Migration>> {
  const all: Record<string, Migration> = { ...MIGRATIONS };
  for (const m of modules) {
    for (const [name, migration] of Object.entries(m.migrations ?? {})) {
      const parts = SLICE_MIGRATION.exec(name);
      if (parts === null || parts[2] !== m.name)
        throw new Error(`migration ${name} of slice ${m.name} is not named <yyyymmdd>_${m.name}_<what>`);
      if (Object.hasOwn(all, name)) throw new Error(`migration ${name} is defined twice`);
      all[name] = migration;
    }
  }
  return all;
}

/** Every table medchain creates: the slices' own, then the baseline's ({@link MEDCHAIN_TABLES}). */
export function tablesOf(modules: readonly SliceModule[]): readonly string[] {
  return [...modules.flatMap((m) => m.tables ?? []), ...MEDCHAIN_TABLES];
}

/** Serves the baseline and every listed slice's migrations to Kysely's `Migrator`. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrationsOf(MODULES);
  },
};

/** A Kysely `Migrator` over every migration, with medchain's migration table names. */
export function createMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/**
 * Brings the schema up to date (idempotent; concurrent callers are serialized
 * by Kysely's migration lock). Returns the names of the migrations it applied.
 *
 * @throws MedchainError `StorageUnavailable` when a migration fails; nothing of
 *   the failed migration is kept (each runs in a transaction).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = (results ?? []).find((r: MigrationResult) => r.status === "Error");
    throw new MedchainError("StorageUnavailable", "database schema migration failed", {
      details: failed === undefined ? {} : { migration: failed.migrationName },
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
