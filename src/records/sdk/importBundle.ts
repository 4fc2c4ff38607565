/**
 * Import a FHIR R4 Bundle into a patient's record, encrypting on the client.
 *
 * Key hierarchy (DESIGN.md "Records and keys"): one random key-encryption key
 * (KEK) per batch and category, HPKE-wrapped once to the patient and once to
 * the author; every resource gets its own AES-256-GCM data key derived from
 * its category KEK with HKDF (so a 959-resource import costs a handful of
 * HPKE wraps, not 959 x readers). Only the manifest CID digest, the Merkle
 * root of salted commitments, the category bitmask and the count reach the
 * chain. The batch id is derived from the author's key and the bundle, so a
 * rerun after a crash finds the batch it already registered instead of
 * registering it twice.
 */
import { encodeFunctionData, keccak256, concat, hexToBytes } from "viem";
import { MedchainError } from "../../core/errors.ts";
import { recordRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../relay/sdk/relayCall.ts";
import { canonicalJson } from "../crypto/canonical.ts";
import { utf8Encode, toBase64, fromHex } from "../crypto/bytes.ts";
import { wrapKey } from "../crypto/hpke.ts";
import { seal } from "../crypto/aead.ts";
import { newKek, importKek, deriveDekFrom, deriveCommitmentKey } from "../crypto/keys.ts";
import { commitResource } from "../crypto/commitment.ts";
import { merkleRoot } from "../crypto/merkle.ts";
import { cidOf, cidDigestHex } from "../crypto/cid.ts";
import { categoryOf, categoryMask, type CategoryName } from "./categories.ts";
import { validateBundle } from "./fhirBundle.ts";
import { split } from "shamir-secret-sharing";
import { SHARE_LABEL } from "../../keeper/keyRelease.schemas.ts";
import { ENTRIES_KEY_INDEX, LABEL, MANIFEST_FORMAT, type Manifest, type ManifestEntry } from "./manifest.ts";
import type { RecordKeys } from "./recordKeys.ts";

/** Progress of a long import. */
export interface ImportProgress {
  phase: "encrypt" | "upload" | "register";
  done: number;
  total: number;
}

/** Parameters of {@link importBundle}. */
export interface ImportBundleParameters {
  node: NodeClient;
  /** Parsed JSON of the bundle (validated here). */
  bundle: unknown;
  /** The patient who owns the record. */
  owner: `0x${string}`;
  /** The writer (the patient herself, or a provider she authorized). */
  author: RecordKeys;
  onProgress?: (p: ImportProgress) => void;
}

/** What an import did. */
export interface ImportBundleResult {
  batchId: `0x${string}`;
  /** `imported` now, or `exists` when this author had already imported this bundle for this owner. */
  status: "imported" | "exists";
  resources: number;
  categories: Partial<Record<CategoryName, number>>;
  manifestCid: string;
  txHash?: `0x${string}`;
  blockNumber?: number;
}

const CONCURRENCY = 64;
const UPLOAD_BYTES = 4 * 1024 * 1024;

async function batchIdFor(author: RecordKeys, owner: `0x${string}`, bundleBytes: Uint8Array): Promise<`0x${string}`> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey("raw", author.encryptionPrivateKey as Uint8Array<ArrayBuffer>, "HKDF", false, ["deriveKey"]);
  const macKey = await subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8Encode("medchain/batch-id/v1") as Uint8Array<ArrayBuffer> },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await subtle.sign("HMAC", macKey, bundleBytes as Uint8Array<ArrayBuffer>));
  return keccak256(concat([hexToBytes(author.account.address), hexToBytes(owner), mac]));
}

/** Runs `fn` over `items` with bounded concurrency, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>, onDone?: (n: number) => void): Promise<R[]> {
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

/** Validates, encrypts, stores and registers one bundle as one batch. */
export async function importBundle(params: ImportBundleParameters): Promise<ImportBundleResult> {
  const { node, owner, author, onProgress } = params;
  const resources = validateBundle(params.bundle);
  const ownerLc = owner.toLowerCase() as `0x${string}`;
  const authorLc = author.account.address.toLowerCase() as `0x${string}`;

  const recipients = new Map<string, Uint8Array>([[authorLc, author.encryptionPublicKey]]);
  if (ownerLc !== authorLc) {
    const info = await node.account(ownerLc);
    if (info.encryptionKey === null) {
      throw new MedchainError("UnknownPatient", "the patient has no published encryption key", { details: { patient: ownerLc } });
    }
    recipients.set(ownerLc, fromHex(info.encryptionKey));
  }

  const plaintexts = resources.map((r) => canonicalJson(r.resource));
  const batchId = await batchIdFor(author, ownerLc, canonicalJson(resources));
  const categories: Partial<Record<CategoryName, number>> = {};
  for (const r of resources) {
    const c = categoryOf(r.resource.resourceType);
    categories[c] = (categories[c] ?? 0) + 1;
  }

  // Idempotence: a rerun of an interrupted import finds the batch if it was registered.
  const existing = await node.getBatch(batchId).catch((e: unknown) => {
    if (e instanceof MedchainError && e.code === "RecordNotFound") return null;
    throw e;
  });
  if (existing !== null) {
    if (existing.erased) throw new MedchainError("RecordErased", "this bundle was imported before and that batch has been erased", { details: { batchId } });
    return { batchId, status: "exists", resources: existing.count, categories, manifestCid: existing.manifestCid };
  }

  const version = 1;
  const net = await node.network();
  const catNames = Object.keys(categories) as CategoryName[];
  const catKeys = new Map<CategoryName, { kek: Uint8Array; kekKey: CryptoKey; commitKey: CryptoKey }>();
  for (const c of catNames) {
    const kek = newKek();
    catKeys.set(c, { kek, kekKey: await importKek(kek), commitKey: await deriveCommitmentKey(kek, batchId) });
  }

  const total = resources.length;
  onProgress?.({ phase: "encrypt", done: 0, total });
  const sealed = await mapLimit(
    resources,
    CONCURRENCY,
    async (r, i) => {
      const keys = catKeys.get(categoryOf(r.resource.resourceType));
      if (keys === undefined) throw new MedchainError("Internal", "category key missing");
      const plain = plaintexts[i] as Uint8Array;
      const dek = await deriveDekFrom(keys.kekKey, batchId, i);
      const ct = await seal(dek, plain, utf8Encode(LABEL.resourceAad(ownerLc, batchId, i, version)));
      const [cid, commitment] = await Promise.all([cidOf(ct), commitResource(keys.commitKey, plain)]);
      return { ct, cid, commitment };
    },
    (n) => { if (n % 50 === 0 || n === total) onProgress?.({ phase: "encrypt", done: n, total }); },
  );

  const sections: Manifest["sections"] = [];
  for (const c of catNames) {
    const keys = catKeys.get(c);
    if (keys === undefined) continue;
    const entries: ManifestEntry[] = [];
    resources.forEach((r, index) => {
      if (categoryOf(r.resource.resourceType) !== c) return;
      const e: ManifestEntry = { index, resourceType: r.resource.resourceType };
      if (r.resource.id !== undefined) e.id = r.resource.id;
      if (r.fullUrl !== undefined) e.fullUrl = r.fullUrl;
      entries.push(e);
    });
    const entriesKey = await deriveDekFrom(keys.kekKey, batchId, ENTRIES_KEY_INDEX);
    const sealedEntries = await seal(entriesKey, canonicalJson(entries), utf8Encode(LABEL.entriesAad(ownerLc, batchId, c)));
    const wrapped: Manifest["sections"][number]["keys"] = [];
    for (const [recipient, pub] of recipients) {
      const w = await wrapKey(pub, keys.kek, utf8Encode(LABEL.kekInfo), utf8Encode(LABEL.kekAad(batchId, c, recipient)));
      wrapped.push({ recipient: recipient as `0x${string}`, enc: toBase64(w.enc), ct: toBase64(w.ct) });
    }
    // Threshold custody: the category key split k-of-n (Shamir), one share HPKE-wrapped to each keeper.
    const shares: NonNullable<Manifest["sections"][number]["shares"]> = [];
    if (net.keepers.length > 0 && net.threshold > 0) {
      const parts = await split(keys.kek, net.keepers.length, net.threshold);
      for (const [i, k] of net.keepers.entries()) {
        const w = await wrapKey(fromHex(k.encryptionKey), parts[i] as Uint8Array, utf8Encode(SHARE_LABEL.info), utf8Encode(SHARE_LABEL.aad(batchId, c, k.address)));
        shares.push({ keeper: k.address.toLowerCase() as `0x${string}`, enc: toBase64(w.enc), ct: toBase64(w.ct) });
        (parts[i] as Uint8Array).fill(0);
      }
    }
    sections.push({ category: c, keys: wrapped, ...(shares.length > 0 ? { shares } : {}), entries: toBase64(sealedEntries) });
  }
  for (const k of catKeys.values()) k.kek.fill(0);

  const commitments = sealed.map((s) => s.commitment);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, batchId, owner: ownerLc, author: authorLc, version, sections, commitments,
    ...(net.keepers.length > 0 ? { threshold: net.threshold } : {}),
    blobs: sealed.map((s) => s.cid),
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

  onProgress?.({ phase: "register", done: 0, total: 1 });
  const data = encodeFunctionData({
    abi: recordRegistryAbi,
    functionName: "appendBatch",
    args: [batchId, ownerLc, categoryMask(catNames), cidDigestHex(manifestCid), merkleRoot(commitments), total],
  });
  const tx = await relayCall(node, author.account, net.contracts.recordRegistry, data);
  onProgress?.({ phase: "register", done: 1, total: 1 });
  return { batchId, status: "imported", resources: total, categories, manifestCid, txHash: tx.txHash, blockNumber: tx.blockNumber };
}
