/**
 * Sealing a batch on the client: the one place where records get their keys,
 * used by import (version 1) and by rotation (version n + 1).
 *
 * Key hierarchy (docs/architecture/records-and-keys.md): one fresh random
 * key-encryption key (KEK) per category, HPKE-wrapped once to each recipient
 * and split k-of-n (Shamir) among the keepers, one share HPKE-wrapped to each;
 * every resource gets its own AES-256-GCM data key derived from its category
 * KEK with HKDF, and its ciphertext's AAD binds owner, batch, index and
 * version. Commitments are salted with a key derived from the same KEK, so
 * new KEKs mean new data keys, new ciphertexts and new commitments: nothing
 * derived from an earlier KEK opens or links to what is sealed here.
 *
 * Ciphertexts are uploaded first and the manifest last, so a stored manifest
 * never points at missing blobs. Registering the batch on chain is the
 * caller's (append or rotate).
 */
import { MedchainError } from "../../kernel/errors.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { canonicalJson } from "../../kernel/crypto/canonical.ts";
import { utf8Encode, toBase64, fromHex } from "../../kernel/crypto/bytes.ts";
import { wrapKey } from "../../kernel/crypto/hpke.ts";
import { seal } from "../../kernel/crypto/aead.ts";
import { newKek, importKek, deriveDekFrom, deriveCommitmentKey } from "../../kernel/crypto/keys.ts";
import { commitResource } from "../../kernel/crypto/commitment.ts";
import { merkleRoot } from "../../kernel/crypto/merkle.ts";
import { cidOf, cidDigestHex } from "../../kernel/crypto/cid.ts";
import { split } from "shamir-secret-sharing";
import { SHARE_LABEL } from "../../keeper/sdk/schemas.ts";
import { categoryMask, type CategoryName } from "../../kernel/categories.ts";
import { ENTRIES_KEY_INDEX, LABEL, MANIFEST_FORMAT, type Manifest, type ManifestEntry } from "../../kernel/manifest.ts";

/** Progress of a long import or rotation. */
export interface BatchProgress {
  phase: "encrypt" | "upload" | "register";
  done: number;
  total: number;
}

/** One record to seal; its index in the batch is its position in the list. */
export interface SealItem {
  category: CategoryName;
  /** The resource's canonical JSON (what the commitment and the ciphertext cover). */
  plaintext: Uint8Array;
  /** What the category's sealed entry list says of it. */
  entry: { resourceType: string; id?: string | undefined; fullUrl?: string | undefined };
}

/** Parameters of {@link sealBatch}. */
export interface SealBatchParameters {
  node: NodeClient;
  batchId: `0x${string}`;
  owner: `0x${string}`;
  author: `0x${string}`;
  /** Version bound into every ciphertext's AAD and written in the manifest. */
  version: number;
  items: readonly SealItem[];
  /** Who gets a direct HPKE wrap of every category key: lowercase address -> X25519 public key, in manifest order. */
  recipients: ReadonlyMap<string, Uint8Array>;
  /** CID of the manifest this one replaces (rotation). */
  supersedes?: string;
  onProgress?: (p: BatchProgress) => void;
}

/** A sealed and uploaded batch, ready to register on chain. */
export interface SealedBatch {
  manifest: Manifest;
  manifestCid: string;
  /** The manifest CID's sha2-256 digest (the on-chain form). */
  manifestDigest: `0x${string}`;
  merkleRoot: `0x${string}`;
  /** Categories in order of first appearance, and their bitmask. */
  categories: CategoryName[];
  categoryMask: number;
  count: number;
}

const CONCURRENCY = 64;
const UPLOAD_BYTES = 4 * 1024 * 1024;

/** Runs `fn` over `items` with bounded concurrency, keeping order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
  onDone?: (n: number) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
      done += 1;
      onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Encrypts `items` under fresh category keys, builds the manifest and uploads ciphertexts, then the manifest. */
export async function sealBatch(params: SealBatchParameters): Promise<SealedBatch> {
  const { node, batchId, owner, version, items, recipients, onProgress } = params;
  const ownerLc = owner.toLowerCase() as `0x${string}`;
  const authorLc = params.author.toLowerCase() as `0x${string}`;
  if (items.length === 0) throw new MedchainError("InvalidInput", "a batch needs at least one resource");
  if (recipients.size === 0) throw new MedchainError("InvalidInput", "a batch needs at least one key recipient");

  const net = await node.network();
  const catNames = [...new Set(items.map((it) => it.category))];
  const catKeys = new Map<CategoryName, { kek: Uint8Array; kekKey: CryptoKey; commitKey: CryptoKey }>();
  for (const c of catNames) {
    const kek = newKek();
    catKeys.set(c, { kek, kekKey: await importKek(kek), commitKey: await deriveCommitmentKey(kek, batchId) });
  }

  const total = items.length;
  onProgress?.({ phase: "encrypt", done: 0, total });
  const sealed = await mapLimit(
    items,
    CONCURRENCY,
    async (item, i) => {
      const keys = catKeys.get(item.category);
      if (keys === undefined) throw new MedchainError("Internal", "category key missing");
      const dek = await deriveDekFrom(keys.kekKey, batchId, i);
      const ct = await seal(dek, item.plaintext, utf8Encode(LABEL.resourceAad(ownerLc, batchId, i, version)));
      const [cid, commitment] = await Promise.all([cidOf(ct), commitResource(keys.commitKey, item.plaintext)]);
      return { ct, cid, commitment };
    },
    (n) => {
      if (n % 50 === 0 || n === total) onProgress?.({ phase: "encrypt", done: n, total });
    },
  );

  const sections: Manifest["sections"] = [];
  for (const c of catNames) {
    const keys = catKeys.get(c);
    if (keys === undefined) continue;
    const entries: ManifestEntry[] = [];
    items.forEach((item, index) => {
      if (item.category !== c) return;
      const e: ManifestEntry = { index, resourceType: item.entry.resourceType };
      if (item.entry.id !== undefined) e.id = item.entry.id;
      if (item.entry.fullUrl !== undefined) e.fullUrl = item.entry.fullUrl;
      entries.push(e);
    });
    const entriesKey = await deriveDekFrom(keys.kekKey, batchId, ENTRIES_KEY_INDEX);
    const sealedEntries = await seal(
      entriesKey,
      canonicalJson(entries),
      utf8Encode(LABEL.entriesAad(ownerLc, batchId, c)),
    );
    const wrapped: Manifest["sections"][number]["keys"] = [];
    for (const [recipient, pub] of recipients) {
      const w = await wrapKey(
        pub,
        keys.kek,
        utf8Encode(LABEL.kekInfo),
        utf8Encode(LABEL.kekAad(batchId, c, recipient)),
      );
      wrapped.push({ recipient: recipient.toLowerCase() as `0x${string}`, enc: toBase64(w.enc), ct: toBase64(w.ct) });
    }
    // Threshold custody: the category key split k-of-n (Shamir), one share HPKE-wrapped to each keeper.
    const shares: NonNullable<Manifest["sections"][number]["shares"]> = [];
    if (net.keepers.length > 0 && net.threshold > 0) {
      const parts = await split(keys.kek, net.keepers.length, net.threshold);
      for (const [i, k] of net.keepers.entries()) {
        const w = await wrapKey(
          fromHex(k.encryptionKey),
          parts[i] as Uint8Array,
          utf8Encode(SHARE_LABEL.info),
          utf8Encode(SHARE_LABEL.aad(batchId, c, k.address)),
        );
        shares.push({ keeper: k.address.toLowerCase() as `0x${string}`, enc: toBase64(w.enc), ct: toBase64(w.ct) });
        (parts[i] as Uint8Array).fill(0);
      }
    }
    sections.push({
      category: c,
      keys: wrapped,
      ...(shares.length > 0 ? { shares } : {}),
      entries: toBase64(sealedEntries),
    });
  }
  for (const k of catKeys.values()) k.kek.fill(0);

  const commitments = sealed.map((s) => s.commitment);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    batchId,
    owner: ownerLc,
    author: authorLc,
    version,
    sections,
    commitments,
    ...(net.keepers.length > 0 ? { threshold: net.threshold } : {}),
    blobs: sealed.map((s) => s.cid),
    ...(params.supersedes === undefined ? {} : { supersedes: params.supersedes }),
  };
  const manifestBytes = canonicalJson(manifest);
  const manifestCid = await cidOf(manifestBytes);

  // Upload ciphertexts first, the manifest last: a manifest never points at missing blobs.
  let uploaded = 0;
  onProgress?.({ phase: "upload", done: 0, total });
  let chunk: Array<{ cid: string; data: Uint8Array }> = [];
  let chunkBytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    await node.putBlobs(chunk);
    uploaded += chunk.length;
    onProgress?.({ phase: "upload", done: uploaded, total });
    chunk = [];
    chunkBytes = 0;
  };
  for (const s of sealed) {
    chunk.push({ cid: s.cid, data: s.ct });
    chunkBytes += s.ct.length;
    if (chunkBytes >= UPLOAD_BYTES) await flush();
  }
  await flush();
  await node.putBlobs([{ cid: manifestCid, data: manifestBytes }]);

  return {
    manifest,
    manifestCid,
    manifestDigest: cidDigestHex(manifestCid),
    merkleRoot: merkleRoot(commitments),
    categories: catNames,
    categoryMask: categoryMask(catNames),
    count: total,
  };
}
