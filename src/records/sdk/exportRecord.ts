/**
 * Export a patient's unified record (every batch, every author) as one FHIR
 * Bundle, decrypted on the client. Nothing from the node is trusted: blob
 * CIDs are recomputed, the manifest is checked against the on-chain digest,
 * commitments against the on-chain Merkle root, and every resource against
 * its commitment. A failure names the record (`batchId#index`), never its
 * content.
 */
import type { Bundle, BundleEntry, Resource } from "@medplum/fhirtypes";
import { MedchainError } from "../../kernel/errors.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import type { BatchInfo } from "./schemas.ts";
import { utf8Decode, utf8Encode, fromBase64 } from "../../kernel/crypto/bytes.ts";
import { unwrapKey } from "../../kernel/crypto/hpke.ts";
import { open } from "../../kernel/crypto/aead.ts";
import { importKek, deriveDekFrom, deriveCommitmentKey } from "../../kernel/crypto/keys.ts";
import { commitResource } from "../../kernel/crypto/commitment.ts";
import { merkleRoot } from "../../kernel/crypto/merkle.ts";
import { cidOf } from "../../kernel/crypto/cid.ts";
import {
  ENTRIES_KEY_INDEX,
  LABEL,
  zManifest,
  zManifestEntry,
  type Manifest,
  type ManifestEntry,
} from "../../kernel/manifest.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import { CATEGORY, type CategoryName } from "../../kernel/categories.ts";
import { requestCategoryKey } from "../../keeper/sdk/requestCategoryKey.ts";
import type { PurposeCode } from "../../kernel/purposes.ts";

/** Parameters of {@link exportRecord}. */
export interface ExportRecordParameters {
  node: NodeClient;
  reader: RecordKeys;
  /** The patient whose record to export. */
  owner: `0x${string}`;
  /** Only these batches (default: every batch of the owner). An erased batch named here fails with `RecordErased`. */
  batchIds?: readonly `0x${string}`[];
  /**
   * Read through a grant (consent issue): category keys this reader holds no
   * direct wrap for are requested from the keepers under this grant and
   * purpose, for the categories the grant covers; the others stay hidden.
   */
  access?: { grantId: string; purpose: PurposeCode; categories: number };
  onProgress?: (p: { done: number; total: number }) => void;
}

/** A decrypted record and what was left out. */
export interface ExportRecordResult {
  bundle: Bundle;
  /** Batches read, with the resources each gave. */
  batches: Array<{ batchId: `0x${string}`; author: `0x${string}`; resources: number }>;
  /** Batches skipped: erased ones, and ones this reader holds no key for. */
  skipped: Array<{ batchId: `0x${string}`; reason: "erased" | "no-key" }>;
  /** Categories of read batches that stayed hidden (no key, not covered by the grant). */
  hidden: Array<{ batchId: `0x${string}`; category: CategoryName }>;
}

async function fetchVerified(
  node: NodeClient,
  cids: readonly string[],
  names: readonly string[],
): Promise<Uint8Array[]> {
  const blobs = await node.fetchBlobs(cids);
  await Promise.all(
    blobs.map(async (b, i) => {
      if ((await cidOf(b)) !== cids[i]) {
        throw new MedchainError(
          "IntegrityError",
          `stored ciphertext of record ${names[i]} does not match its content id`,
          { details: { record: names[i], cid: cids[i] } },
        );
      }
    }),
  );
  return blobs;
}

/** Reads and checks a batch's manifest against the chain. */
export async function readManifest(node: NodeClient, batch: BatchInfo): Promise<Manifest> {
  const [bytes] = await fetchVerified(node, [batch.manifestCid], [`${batch.batchId}#manifest`]);
  const parsed = zManifest.safeParse(JSON.parse(utf8Decode(bytes as Uint8Array)));
  if (!parsed.success)
    throw new MedchainError("IntegrityError", `manifest of batch ${batch.batchId} is malformed`, {
      details: { record: batch.batchId },
    });
  const m = parsed.data;
  if (
    m.batchId !== batch.batchId ||
    m.owner !== batch.owner ||
    m.author !== batch.author ||
    m.commitments.length !== batch.count ||
    m.blobs.length !== batch.count ||
    merkleRoot(m.commitments) !== batch.merkleRoot
  ) {
    throw new MedchainError("IntegrityError", `manifest of batch ${batch.batchId} does not match the chain`, {
      details: { record: batch.batchId },
    });
  }
  return m;
}

/** The category key of a section: from a direct wrap, or from the keepers under a grant; null when neither applies. */
async function sectionKey(
  node: NodeClient,
  reader: RecordKeys,
  m: Manifest,
  section: Manifest["sections"][number],
  access: ExportRecordParameters["access"],
): Promise<Uint8Array | null> {
  const me = reader.account.address.toLowerCase();
  const wrapped = section.keys.find((k) => k.recipient === me);
  if (wrapped !== undefined) {
    try {
      return await unwrapKey(
        reader.encryptionPrivateKey,
        { enc: fromBase64(wrapped.enc), ct: fromBase64(wrapped.ct) },
        utf8Encode(LABEL.kekInfo),
        utf8Encode(LABEL.kekAad(m.batchId, section.category, me)),
      );
    } catch (cause) {
      throw new MedchainError(
        "IntegrityError",
        `wrapped key of batch ${m.batchId} (${section.category}) does not open with this key`,
        { cause, details: { record: m.batchId } },
      );
    }
  }
  if (access === undefined || ((access.categories >>> CATEGORY[section.category]) & 1) === 0) return null;
  return requestCategoryKey(node, reader, {
    batchId: m.batchId,
    category: section.category,
    grantId: access.grantId,
    purpose: access.purpose,
  });
}

/**
 * One decrypted record of a batch: its index, category, entry and canonical JSON bytes (verified against its
 * commitment).
 */
export interface OpenedRecord {
  index: number;
  category: CategoryName;
  entry: ManifestEntry;
  plaintext: Uint8Array;
}

/**
 * Decrypts every section of manifest `m` this reader can open (direct wrap, or keepers under `access`) and checks
 * each record against its commitment. Sections it cannot open are appended to `hidden`; null when it opens none.
 * Records come sorted by index.
 */
export async function openBatch(
  node: NodeClient,
  reader: RecordKeys,
  m: Manifest,
  access: ExportRecordParameters["access"],
  hidden: ExportRecordResult["hidden"],
): Promise<OpenedRecord[] | null> {
  const out: OpenedRecord[] = [];
  let readable = 0;
  for (const section of m.sections) {
    const kek = await sectionKey(node, reader, m, section, access);
    if (kek === null) {
      hidden.push({ batchId: m.batchId, category: section.category });
      continue;
    }
    readable += 1;
    const kekKey = await importKek(kek);
    const commitKey = await deriveCommitmentKey(kek, m.batchId);
    kek.fill(0);
    const entriesKey = await deriveDekFrom(kekKey, m.batchId, ENTRIES_KEY_INDEX);
    const entriesPlain = await open(
      entriesKey,
      fromBase64(section.entries),
      utf8Encode(LABEL.entriesAad(m.owner, m.batchId, section.category)),
    ).catch((cause: unknown) => {
      throw new MedchainError("IntegrityError", `entry list of batch ${m.batchId} failed its integrity check`, {
        cause,
        details: { record: m.batchId },
      });
    });
    const entries = zManifestEntry.array().parse(JSON.parse(utf8Decode(entriesPlain)));
    const names = entries.map((e) => `${m.batchId}#${e.index}`);
    const cts = await fetchVerified(
      node,
      entries.map((e) => m.blobs[e.index] ?? ""),
      names,
    );
    await Promise.all(
      entries.map(async (e, j) => {
        const name = names[j] as string;
        const dek = await deriveDekFrom(kekKey, m.batchId, e.index);
        let plain: Uint8Array;
        try {
          plain = await open(
            dek,
            cts[j] as Uint8Array,
            utf8Encode(LABEL.resourceAad(m.owner, m.batchId, e.index, m.version)),
          );
        } catch (cause) {
          throw new MedchainError("IntegrityError", `record ${name} failed its integrity check (ciphertext altered)`, {
            cause,
            details: { record: name },
          });
        }
        if ((await commitResource(commitKey, plain)) !== m.commitments[e.index]) {
          throw new MedchainError("IntegrityError", `record ${name} does not match its on-chain commitment`, {
            details: { record: name },
          });
        }
        out.push({ index: e.index, category: section.category, entry: e, plaintext: plain });
      }),
    );
  }
  if (readable === 0) {
    for (let i = hidden.length - 1; i >= 0; i--) if (hidden[i]?.batchId === m.batchId) hidden.splice(i, 1);
    return null;
  }
  return out.sort((a, b) => a.index - b.index);
}

async function decryptBatch(
  node: NodeClient,
  reader: RecordKeys,
  m: Manifest,
  access: ExportRecordParameters["access"],
  hidden: ExportRecordResult["hidden"],
): Promise<BundleEntry[] | null> {
  const opened = await openBatch(node, reader, m, access, hidden);
  return opened === null
    ? null
    : opened.map(({ entry: e, plaintext }) => {
        const resource = JSON.parse(utf8Decode(plaintext)) as Resource;
        return e.fullUrl === undefined ? { resource } : { fullUrl: e.fullUrl, resource };
      });
}

/** Decrypts the owner's record (or the named batches) into one FHIR Bundle of type `collection`. */
export async function exportRecord(params: ExportRecordParameters): Promise<ExportRecordResult> {
  const { node, reader, onProgress } = params;
  const owner = params.owner.toLowerCase() as `0x${string}`;
  const explicit = params.batchIds !== undefined;
  const batches = explicit
    ? await Promise.all((params.batchIds ?? []).map((id) => node.getBatch(id)))
    : await node.listBatches(owner);
  const result: ExportRecordResult = {
    bundle: { resourceType: "Bundle", type: "collection", entry: [] },
    batches: [],
    skipped: [],
    hidden: [],
  };
  let done = 0;
  for (const batch of batches) {
    if (batch.erased) {
      if (explicit)
        throw new MedchainError("RecordErased", `batch ${batch.batchId} has been erased; its keys no longer exist`, {
          details: { batchId: batch.batchId },
        });
      result.skipped.push({ batchId: batch.batchId, reason: "erased" });
      continue;
    }
    if (batch.owner !== owner && !explicit) continue;
    const m = await readManifest(node, batch);
    const entries = await decryptBatch(node, reader, m, params.access, result.hidden);
    if (entries === null) {
      if (explicit)
        throw new MedchainError("AccessDenied", `this key holds no key for batch ${batch.batchId}`, {
          details: { batchId: batch.batchId },
        });
      result.skipped.push({ batchId: batch.batchId, reason: "no-key" });
      continue;
    }
    result.bundle.entry?.push(...entries);
    result.batches.push({ batchId: batch.batchId, author: batch.author, resources: entries.length });
    done += 1;
    onProgress?.({ done, total: batches.length });
  }
  if (result.batches.length === 0 && result.skipped.some((s) => s.reason === "no-key")) {
    throw new MedchainError("AccessDenied", "this key can read none of the patient's records", { details: { owner } });
  }
  return result;
}
