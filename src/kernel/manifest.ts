/**
 * The batch manifest: the one blob whose CID goes on chain for a batch.
 *
 * Public part (safe to serve to anyone): format, batch id, owner and author
 * addresses, per category the HPKE-wrapped key-encryption key for each
 * recipient and the sealed entry list, the salted resource commitments and
 * the ciphertext CIDs (so the node can unpin them on erasure). The entry list
 * (resource type, id, fullUrl per index) is encrypted under a key derived
 * from the category's key-encryption key. A rotated batch's manifest (version
 * > 1) names the manifest it replaces in `supersedes`.
 */
import { z } from "zod";
import { zAddress, zBytes32 } from "./schemas.ts";
import { CATEGORY, type CategoryName } from "./categories.ts";

/** Format tag of version 1 manifests. */
export const MANIFEST_FORMAT = "medchain.batch/v1";

const zWrappedKey = z.object({ recipient: zAddress, enc: z.base64(), ct: z.base64() });

/** A manifest as stored (JSON, canonicalized). */
export const zManifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  batchId: zBytes32,
  owner: zAddress,
  author: zAddress,
  version: z.number().int().positive(),
  sections: z
    .array(
      z.object({
        category: z.enum(Object.keys(CATEGORY) as [CategoryName, ...CategoryName[]]),
        keys: z.array(zWrappedKey).min(1),
        /**
         * Shamir shares of the category key, one HPKE-wrapped to each keeper (threshold custody; absent without
         * keepers).
         */
        shares: z.array(z.object({ keeper: zAddress, enc: z.base64(), ct: z.base64() })).optional(),
        entries: z.base64(),
      }),
    )
    .min(1),
  /** How many keeper shares open a category key (absent without keepers). */
  threshold: z.number().int().positive().optional(),
  commitments: z.array(zBytes32).min(1),
  blobs: z.array(z.string()).min(1),
  /**
   * CID of the manifest this version replaces (set by a rotation, absent on version 1). A provenance link for
   * readers; the node does not trust it to decide what to unpin (it takes the previous version from the chain).
   */
  supersedes: z.string().optional(),
});

/** A batch manifest. */
export type Manifest = z.infer<typeof zManifest>;

/** One entry of a category's sealed entry list. */
export const zManifestEntry = z.object({
  index: z.number().int().nonnegative(),
  resourceType: z.string(),
  id: z.string().optional(),
  fullUrl: z.string().optional(),
});

/** One decrypted manifest entry. */
export type ManifestEntry = z.infer<typeof zManifestEntry>;

/** Domain-separation labels (HPKE info, AEAD additional data). */
export const LABEL = {
  kekInfo: "medchain/kek/v1",
  kekAad: (batchId: string, category: string, recipient: string) =>
    `medchain/kek/v1|${batchId}|${category}|${recipient.toLowerCase()}`,
  entriesAad: (owner: string, batchId: string, category: string) =>
    `medchain/entries/v1|${owner.toLowerCase()}|${batchId}|${category}`,
  /** AAD of a resource ciphertext: binds the record id (batch, index), its version and its owner. */
  resourceAad: (owner: string, batchId: string, index: number, version: number) =>
    `medchain/resource/v1|${owner.toLowerCase()}|${batchId}|${index}|${version}`,
} as const;

/** Index used to derive a category's entry-list key (outside the range of resource indices). */
export const ENTRIES_KEY_INDEX = 0xffffffff;
