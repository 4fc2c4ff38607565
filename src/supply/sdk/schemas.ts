/** API shapes of the supply slice (isomorphic). */
import { z } from "zod";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";

/** One event of a unit's journey. */
export const zJourneyEvent = z.object({
  eventHash: zBytes32,
  anchorId: z.string(),
  bizStep: z.string().nullable(),
  eventType: z.string(),
  time: z.string(),
  partner: zAddress,
  location: z.string().nullable(),
  /** For a shipment: its destination ids (canonical GS1 Digital Link form where possible). */
  destinations: z.array(z.string()),
});

/** One custody step of a digital twin, with the proven EPCIS event and whether that event says what the step did. */
export const zTwinStep = z.object({
  kind: z.enum(["minted", "transferred", "decommissioned"]),
  from: zAddress.nullable(),
  to: zAddress.nullable(),
  anchorId: z.string(),
  eventHash: zBytes32,
  txHash: zBytes32,
  blockNumber: z.string(),
  time: z.string(),
  /**
   * `ok`, or why the proven event does not back the step (`EVENT_NOT_INDEXED`, `EVENT_OTHER_UNIT`, `EVENT_WRONG_STEP`,
   * `EVENT_WRONG_RECIPIENT`).
   */
  check: z.string(),
});

/** A unit's ERC-721 digital twin as indexed from the chain. */
export const zTwin = z.object({
  /** `bytes32` unit key: keccak256 of the canonical unit key; the token id is its integer value. */
  unitKey: zBytes32,
  tokenId: z.string(),
  manufacturer: zAddress,
  /** The current custodian (one at a time); null once decommissioned. */
  owner: zAddress.nullable(),
  decommissioned: z.boolean(),
  mintedAt: z.string(),
  custody: z.array(zTwinStep),
});

/** Answer of `GET /supply/twin?scan=`: the scanned unit and its twin. */
export const zTwinOfScan = z.object({
  unit: z.object({ key: z.string(), gtin: z.string().nullable(), serial: z.string().nullable() }),
  twin: zTwin,
});

/** An inclusion proof of an event against its anchored root (checkable with SupplyAnchor.verifyEvent). */
export const zEventProof = z.object({
  eventHash: zBytes32,
  anchorId: z.string(),
  root: zBytes32,
  proof: z.array(zBytes32),
});

/** Answer of `GET /supply/verify`. */
export const zVerifyResult = z.object({
  unit: z.object({
    key: z.string(),
    gtin: z.string().nullable(),
    serial: z.string().nullable(),
    lot: z.string().nullable(),
    expiry: z.string().nullable(),
  }),
  verdict: z.enum(["unknown", "dispensed", "recalled", "expired", "suspect", "authentic"]),
  reasons: z.array(
    z.object({ code: z.string(), verdict: z.string(), message: z.string(), eventHash: z.string().optional() }),
  ),
  journey: z.array(zJourneyEvent),
  proofs: z.array(zEventProof),
  /** The unit's digital twin, if one was minted (lazily; most units have none). */
  twin: zTwin.nullable(),
});

/**
 * Body of `POST /supply/documents`: an EPCIS 2.0 JSON document (or EPCIS XML text) and the trading partner that will
 * anchor it.
 */
export const zCaptureBody = z.object({
  document: z.union([z.record(z.string(), z.unknown()), z.string()]),
  partner: zAddress,
});

/** Answer of `POST /supply/documents`: what the partner must anchor. */
export const zPreparedCapture = z.object({
  cid: z.string(),
  digest: zBytes32,
  root: zBytes32,
  count: z.number().int().positive(),
  eventHashes: z.array(z.string()),
});

/** Answer of `GET /supply/batches/:anchorId`. */
export const zSupplyBatch = z.object({
  anchorId: z.string(),
  partner: zAddress,
  root: zBytes32,
  count: z.number(),
  status: z.string(),
  reason: z.string().nullable(),
});

/**
 * Why a registered partner may not act now: `PartnerSuspended` (by the registrar) or, for a partner registered by
 * credential, the error code of its credential's state in the trust registry.
 */
export const PARTNER_REASONS = [
  "PartnerSuspended",
  "CredentialRevoked",
  "CredentialExpired",
  "CredentialNotYetValid",
  "CredentialIssuerNotAccredited",
  "CredentialNotRegistered",
] as const;

/** A reason a partner may not act now (see {@link PARTNER_REASONS}). */
export type PartnerReason = (typeof PARTNER_REASONS)[number];

/** Answer of `GET /supply/partners`. */
export const zPartnerList = z.object({
  partners: z.array(
    z.object({
      account: zAddress,
      kind: z.number(),
      gln: z.string(),
      /** False while the registrar has it suspended. */
      active: z.boolean(),
      /** The trust-registry credential its right rests on, or null for a partner the operator registered. */
      credentialId: zBytes32.nullable(),
      /** Whether it may act now: active and, for a credential partner, its credential valid. */
      mayAct: z.boolean(),
      /** Why not (null when it may act). */
      reason: z.enum(PARTNER_REASONS).nullable(),
    }),
  ),
});

/** A registered trading partner. */
export type PartnerInfo = z.infer<typeof zPartnerList>["partners"][number];
/** The result of a verification. */
export type VerifyResult = z.infer<typeof zVerifyResult>;
/** A digital twin. */
export type Twin = z.infer<typeof zTwin>;
/** A validated, stored document ready to anchor. */
export type PreparedCapture = z.infer<typeof zPreparedCapture>;

/** One anchored supply batch as indexed (`GET /supply/anchors`). */
export const zAnchorSummary = z.object({
  anchorId: z.string(),
  partner: zAddress,
  root: zBytes32,
  count: z.number().int(),
  status: z.string(),
  reason: z.string().nullable(),
  blockNumber: z.number().int(),
});
/** Query of `GET /supply/anchors`. */
export const zAnchorsQuery = z.object({ partner: zAddress.optional() });
/** Answer of `GET /supply/anchors`. */
export const zAnchorList = z.object({ anchors: z.array(zAnchorSummary) });

/**
 * Answer of `GET /supply/anchors/:anchorId`: the batch, its root as the chain holds it, and every event with its
 * inclusion proof.
 */
export const zAnchorDetail = z.object({
  anchor: zAnchorSummary,
  /** The root read from SupplyAnchor now (null when the chain has no such batch). */
  chainRoot: zBytes32.nullable(),
  events: z.array(
    z.object({
      eventHash: zBytes32,
      leafIndex: z.number().int(),
      eventType: z.string(),
      bizStep: z.string().nullable(),
      time: z.string(),
      location: z.string().nullable(),
      proof: z.array(zBytes32),
    }),
  ),
});

/** One recall as the chain recorded it (`GET /supply/recalls`). */
export const zRecallInfo = z.object({
  gtin: z.string(),
  lot: z.string(),
  manufacturer: zAddress,
  reason: z.string(),
  blockNumber: z.number().int(),
  txHash: zBytes32,
  /** Whether the lot is still recalled now (read from the chain). */
  active: z.boolean(),
});
/** Answer of `GET /supply/recalls`. */
export const zRecallList = z.object({ recalls: z.array(zRecallInfo) });

/** An anchored batch as indexed. */
export type AnchorSummary = z.infer<typeof zAnchorSummary>;
/** An anchored batch with its events and proofs. */
export type AnchorDetail = z.infer<typeof zAnchorDetail>;
/** A recall. */
export type RecallInfo = z.infer<typeof zRecallInfo>;
