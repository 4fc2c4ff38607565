/**
 * Import a FHIR R4 Bundle into a patient's record, encrypting on the client.
 *
 * Key hierarchy (docs/architecture/records-and-keys.md, see {@link sealBatch}): one
 * random key-encryption key (KEK) per batch and category, HPKE-wrapped once to
 * the patient and once to the author; every resource gets its own AES-256-GCM
 * data key derived from its category KEK with HKDF (so a 959-resource import
 * costs a handful of HPKE wraps, not 959 x readers). Only the manifest CID
 * digest, the Merkle root of salted commitments, the category bitmask and the
 * count reach the chain. The batch id is derived from the author's key and
 * the bundle, so a rerun after a crash finds the batch it already registered
 * instead of registering it twice.
 */
import { encodeFunctionData, keccak256, concat, hexToBytes } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { recordRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import { canonicalJson } from "../../kernel/crypto/canonical.ts";
import { utf8Encode, fromHex } from "../../kernel/crypto/bytes.ts";
import { categoryOf, type CategoryName } from "../../kernel/categories.ts";
import { validateBundle } from "./fhirBundle.ts";
import { sealBatch, type BatchProgress } from "./sealBatch.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import "../../accounts/sdk/errors.ts";

/** Progress of a long import. */
export type ImportProgress = BatchProgress;

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

async function batchIdFor(author: RecordKeys, owner: `0x${string}`, bundleBytes: Uint8Array): Promise<`0x${string}`> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey("raw", author.encryptionPrivateKey as Uint8Array<ArrayBuffer>, "HKDF", false, [
    "deriveKey",
  ]);
  const macKey = await subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: utf8Encode("medchain/batch-id/v1") as Uint8Array<ArrayBuffer>,
    },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await subtle.sign("HMAC", macKey, bundleBytes as Uint8Array<ArrayBuffer>));
  return keccak256(concat([hexToBytes(author.account.address), hexToBytes(owner), mac]));
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
      throw new MedchainError("UnknownPatient", "the patient has no " + "published encryption key", {
        details: { patient: ownerLc },
      });
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
    if (existing.erased)
      throw new MedchainError("RecordErased", "this bundle was imported before " + "and that batch has been erased", {
        details: { batchId },
      });
    return { batchId, status: "exists", resources: existing.count, categories, manifestCid: existing.manifestCid };
  }

  const net = await node.network();
  const sealed = await sealBatch({
    node,
    batchId,
    owner: ownerLc,
    author: authorLc,
    version: 1,
    recipients,
    items: resources.map((r, i) => ({
      category: categoryOf(r.resource.resourceType),
      plaintext: plaintexts[i] as Uint8Array,
      entry: { resourceType: r.resource.resourceType, id: r.resource.id, fullUrl: r.fullUrl },
    })),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const { manifestCid, count: total } = sealed;

  onProgress?.({ phase: "register", done: 0, total: 1 });
  const data = encodeFunctionData({
    abi: recordRegistryAbi,
    functionName: "appendBatch",
    args: [batchId, ownerLc, sealed.categoryMask, sealed.manifestDigest, sealed.merkleRoot, total],
  });
  const tx = await relayCall(node, author.account, net.contracts.recordRegistry, data);
  onProgress?.({ phase: "register", done: 1, total: 1 });
  return {
    batchId,
    status: "imported",
    resources: total,
    categories,
    manifestCid,
    txHash: tx.txHash,
    blockNumber: tx.blockNumber,
  };
}
