/**
 * Kysely types of the node's SQL index.
 *
 * The SQL database is only a cache of chain events: it can be dropped
 * (`Db.dropAll()` in `openDb.ts`) and rebuilt from the chain plus the blob store.
 *
 * Conventions, enforced by CHECK constraints where cheap:
 * - column names are snake_case;
 * - addresses are lowercase `0x` + 40 hex digits, 32-byte hashes (transaction
 *   hashes, block hashes, Merkle roots) lowercase `0x` + 64 hex digits, batch
 *   ids lowercase `0x` hex; checksummed (mixed-case) input is rejected, so
 *   callers lowercase first (viem's `getAddress` output must be lowercased);
 * - every SQL `bigint` (int8) column (block numbers, `created_at`) is read as a
 *   JS `bigint` on both PGlite and PostgreSQL, so values above 2^53 survive
 *   exactly and compare numerically (viem also uses `bigint` for block
 *   numbers). Writes accept `bigint` or a safe-integer `number`. Note that
 *   aggregate results of type int8 (`count(*)`, `sum(int8)`) are `bigint` too.
 * - `integer` (int4) columns are JS `number`.
 *
 * @module
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** An int8 column: read as `bigint`, written as `bigint` or a safe-integer `number`. */
export type Int8Column = ColumnType<bigint, bigint | number, bigint | number>;

/** Progress of the chain-event indexer; one row per indexed stream (e.g. `"records"`). */
export interface IndexerStateTable {
  /** Name of the indexed event stream. */
  id: string;
  /** Last block whose events are fully applied. */
  last_block: Int8Column;
  /** Hash of that block, to detect reorgs on restart; `null` when unknown. */
  last_block_hash: string | null;
}

/** Accounts that registered an encryption (HPKE) public key on chain. */
export interface AccountsTable {
  /** Lowercase 0x account address. */
  address: string;
  /** Encoded public encryption key as published on chain. */
  encryption_key: string;
  /** Version of that key (rotation counter). */
  key_version: number;
  /** Block of the event that set this key. */
  block_number: Int8Column;
}

/** Writer authorizations: which accounts may write into an owner's record. */
export interface WritersTable {
  /** Lowercase 0x address of the record owner (patient). */
  owner: string;
  /** Lowercase 0x address of the writer (provider). */
  writer: string;
  /** Whether the writer is currently authorized. */
  authorized: boolean;
  /** Block of the event that set this state. */
  block_number: Int8Column;
}

/** Record batches anchored on chain. */
export interface BatchesTable {
  /** Lowercase 0x hex batch id. */
  batch_id: string;
  /** Lowercase 0x address of the record owner. */
  owner: string;
  /** Lowercase 0x address of the author (writer). */
  author: string;
  /** Bit set of coarse category codes. */
  categories: number;
  /** CID of the batch manifest ciphertext in the blob store. */
  manifest_cid: string;
  /** Lowercase 0x Merkle root over the batch's entries. */
  merkle_root: string;
  /** Number of records in the batch. */
  count: number;
  /** Batch version. */
  version: number;
  /** True once the batch was erased (crypto-shredded); defaults to false. */
  erased: Generated<boolean>;
  /** Block of the anchoring event. */
  block_number: Int8Column;
  /** Lowercase 0x hash of the anchoring transaction. */
  tx_hash: string;
  /** Index of the anchoring log in its block. */
  log_index: number;
  /** Block timestamp of the anchoring event, in Unix seconds. */
  created_at: Int8Column;
}

/** Consent grants (including break-glass ones) as the chain issued them. */
export interface GrantsTable {
  /** Sequential grant id from the consent registry. */
  grant_id: Int8Column;
  patient: string;
  grantee: string;
  /** Category bitmask. */
  categories: number;
  /** PurposeOfUse bitmask. */
  purposes: number;
  not_before: Int8Column;
  expires_at: Int8Column;
  revoked: Generated<boolean>;
  break_glass: boolean;
  /** Who signed the grant (the patient, a delegate, or the clinician for break-glass). */
  issued_by: string;
  /** Hash of the stated emergency reason (break-glass only). */
  reason_hash: string | null;
  block_number: Int8Column;
}

/** Guardians and caregivers who may manage a patient's grants. */
export interface DelegatesTable {
  patient: string;
  delegate: string;
  allowed: boolean;
  block_number: Int8Column;
}

/**
 * Which batch version first listed a blob (in chain order). Erasure and
 * rotation unpin only the blobs a version owns, so nobody can make the node
 * delete another patient's ciphertexts by listing their CIDs in a manifest.
 */
export interface BlobOwnersTable {
  cid: string;
  batch_id: string;
  /** The manifest (batch version) that first listed it. */
  manifest_cid: string;
}

/** An anchored batch of EPCIS events (one Merkle root on chain) and whether the node could index it. */
export interface SupplyBatchesTable {
  anchor_id: Int8Column;
  partner: string;
  root: string;
  count: number;
  /** CID of the canonical EPCIS document the batch anchors. */
  doc_cid: string;
  /** `indexed`, or `refused` (the document is missing, invalid, or does not match the root). */
  status: string;
  reason: string | null;
  block_number: Int8Column;
}

/** One EPCIS event of an indexed batch (its CBV 2.0 event hash, and the fields verification needs). */
export interface SupplyEventsTable {
  event_hash: string;
  anchor_id: Int8Column;
  /** Position of the event (and its leaf) in the batch. */
  leaf_index: number;
  partner: string;
  event_type: string;
  biz_step: string | null;
  /** Event time, ms since epoch. */
  event_time: Int8Column;
  location: string | null;
  /** JSON array of destination ids (shipping). */
  destinations: string;
  /** Expiry from the commissioning ILMD, if stated. */
  ilmd_expiry: string | null;
  /**
   * The event's inclusion proof in its batch (sibling hashes from the leaf up, 32 bytes each), stored at index time;
   * null in rows indexed before it was kept.
   */
  proof: Uint8Array | null;
}

/** Which events concern which unit (aggregation expanded: shipping a pallet concerns every unit in it). */
export interface SupplyUnitEventsTable {
  unit_key: string;
  event_hash: string;
}

/** Current packing: child object in parent container. */
export interface SupplyContainmentTable {
  child: string;
  parent: string;
}

/** A unit's ERC-721 digital twin as the chain says (DigitalTwin events). */
export interface SupplyTwinsTable {
  /** The unit key as on chain (`bytes32`, the token id), lowercase hex. */
  unit_key: string;
  manufacturer: string;
  /** The current custodian; null once decommissioned. */
  owner: string | null;
  decommissioned: Generated<boolean>;
  /** Block timestamp of the mint, Unix seconds. */
  minted_at: Int8Column;
  /** Block of the last change. */
  block_number: Int8Column;
}

/**
 * Every custody step of a twin (mint, transfers, decommission), with the proven EPCIS event and whether it says what
 * the step did.
 */
export interface SupplyTwinCustodyTable {
  block_number: Int8Column;
  log_index: number;
  unit_key: string;
  /** `minted`, `transferred` or `decommissioned`. */
  kind: string;
  from_partner: string | null;
  to_partner: string | null;
  anchor_id: Int8Column;
  event_hash: string;
  tx_hash: string;
  /** Block timestamp, Unix seconds. */
  block_time: Int8Column;
  /** `ok`, or why the proven event does not back the step (see `twin.indexer.ts`). */
  check_result: string;
}

/** An issuer's accreditation for a credential type (trust registry). */
export interface TrustAccreditationsTable {
  issuer: string;
  /** keccak256 of the credential type name. */
  type_id: string;
  /** The accreditation's epoch (the last one, when no longer active). */
  epoch: number;
  /** Block timestamp of the accreditation. */
  since: Int8Column;
  active: boolean;
  block_number: Int8Column;
}

/** A credential registered in the trust registry (ids, parties and validity only: the claims stay off chain). */
export interface TrustCredentialsTable {
  /** keccak256 of the credential's `id`. */
  credential_id: string;
  type_id: string;
  issuer: string;
  subject: string;
  valid_from: Int8Column;
  valid_until: Int8Column;
  /** The issuer's accreditation epoch it was registered under. */
  epoch: number;
  revoked: Generated<boolean>;
  block_number: Int8Column;
}

/** The credential each account last claimed a role with, per credential type. */
export interface TrustRolesTable {
  account: string;
  type_id: string;
  credential_id: string;
  block_number: Int8Column;
}

/** Members of the consortium (membership token). */
export interface GovMembersTable {
  address: string;
  member: boolean;
  block_number: Int8Column;
}

/** A governance proposal as the Governor created it, with its tallies and timelock progress. */
export interface GovProposalsTable {
  proposal_id: Int8Column;
  proposer: string;
  /** JSON array of target addresses. */
  targets: string;
  /** JSON array of decimal wei values. */
  values: string;
  /** JSON array of 0x calldatas. */
  calldatas: string;
  description: string;
  /** Snapshot timepoint (unix seconds): voting opens after it. */
  vote_start: Int8Column;
  /** Deadline timepoint (unix seconds, inclusive). */
  vote_end: Int8Column;
  /** Earliest execution time once queued. */
  eta: Int8Column | null;
  executed: Generated<boolean>;
  canceled: Generated<boolean>;
  for_votes: Generated<number>;
  against_votes: Generated<number>;
  abstain_votes: Generated<number>;
  created_at: Int8Column;
  block_number: Int8Column;
}

/** One member's vote on a proposal. */
export interface GovVotesTable {
  proposal_id: Int8Column;
  voter: string;
  /** 0 against, 1 for, 2 abstain. */
  support: number;
  weight: number;
  block_number: Int8Column;
}

/** A single-use presentation challenge handed out by this node (node state, not a chain cache). */
export interface CredentialChallengesTable {
  challenge: string;
  domain: string;
  /** Unix seconds after which it is refused. */
  expires_at: Int8Column;
  /** When a presentation used it (unix seconds); null while unused. */
  used_at: Int8Column | null;
}

/**
 * An event whose author-supplied content the indexer refused (malformed manifest, invalid EPCIS document, ...):
 * the event indexed nothing else. Rebuilt from the chain and the blob store like every other row.
 */
export interface IndexerRefusalsTable {
  block_number: Int8Column;
  log_index: number;
  /** The handler that refused it (e.g. `"records"`, `"supply"`). */
  handler: string;
  event_name: string;
  /** The emitting contract, lower case. */
  contract: string;
  tx_hash: string;
  /** Stable reason code (e.g. `InvalidManifest`, `InvalidEpcis`, `IntegrityError`). */
  reason: string;
  /** One line, never the content itself. */
  message: string;
  /** Unix seconds of the event's block. */
  block_time: Int8Column;
}

/** The whole SQL index, as Kysely sees it. */
export interface Database {
  /** See {@link IndexerStateTable}. */
  indexer_state: IndexerStateTable;
  /** See {@link AccountsTable}. */
  accounts: AccountsTable;
  /** See {@link WritersTable}. */
  writers: WritersTable;
  /** See {@link BatchesTable}. */
  batches: BatchesTable;
  /** See {@link GrantsTable}. */
  grants: GrantsTable;
  /** See {@link DelegatesTable}. */
  delegates: DelegatesTable;
  /** See {@link BlobOwnersTable}. */
  blob_owners: BlobOwnersTable;
  supply_batches: SupplyBatchesTable;
  supply_events: SupplyEventsTable;
  supply_unit_events: SupplyUnitEventsTable;
  supply_containment: SupplyContainmentTable;
  supply_twins: SupplyTwinsTable;
  supply_twin_custody: SupplyTwinCustodyTable;
  trust_accreditations: TrustAccreditationsTable;
  trust_credentials: TrustCredentialsTable;
  trust_roles: TrustRolesTable;
  gov_members: GovMembersTable;
  gov_proposals: GovProposalsTable;
  gov_votes: GovVotesTable;
  credential_challenges: CredentialChallengesTable;
  /** See {@link IndexerRefusalsTable}. */
  indexer_refusals: IndexerRefusalsTable;
}

/** Name of the table in which Kysely records applied migrations. */
export const MIGRATION_TABLE = "medchain_migration";
/** Name of Kysely's migration lock table. */
export const MIGRATION_LOCK_TABLE = "medchain_migration_lock";

/**
 * Every table medchain creates, data tables first, then migration tables.
 * `Db.dropAll()` drops exactly these: a migration that adds a table must
 * add it here too (the behaviour suite checks that nothing is left behind).
 */
export const MEDCHAIN_TABLES: readonly string[] = [
  "indexer_refusals",
  "supply_twin_custody",
  "supply_twins",
  "credential_challenges",
  "gov_votes",
  "gov_proposals",
  "gov_members",
  "trust_roles",
  "trust_credentials",
  "trust_accreditations",
  "supply_containment",
  "supply_unit_events",
  "supply_events",
  "supply_batches",
  "blob_owners",
  "delegates",
  "grants",
  "batches",
  "writers",
  "accounts",
  "indexer_state",
  MIGRATION_TABLE,
  MIGRATION_LOCK_TABLE,
] satisfies readonly (keyof Database | typeof MIGRATION_TABLE | typeof MIGRATION_LOCK_TABLE)[];

/** A row of `indexer_state` as read. */
export type IndexerStateRow = Selectable<IndexerStateTable>;
/** A row of `indexer_state` to insert. */
export type NewIndexerState = Insertable<IndexerStateTable>;
/** A change to an `indexer_state` row. */
export type IndexerStateUpdate = Updateable<IndexerStateTable>;
/** A row of `accounts` as read. */
export type AccountRow = Selectable<AccountsTable>;
/** A row of `accounts` to insert. */
export type NewAccount = Insertable<AccountsTable>;
/** A change to an `accounts` row. */
export type AccountUpdate = Updateable<AccountsTable>;
/** A row of `writers` as read. */
export type WriterRow = Selectable<WritersTable>;
/** A row of `writers` to insert. */
export type NewWriter = Insertable<WritersTable>;
/** A change to a `writers` row. */
export type WriterUpdate = Updateable<WritersTable>;
/** A row of `batches` as read. */
export type BatchRow = Selectable<BatchesTable>;
/** A row of `batches` to insert. */
export type NewBatch = Insertable<BatchesTable>;
/** A change to a `batches` row. */
export type BatchUpdate = Updateable<BatchesTable>;
