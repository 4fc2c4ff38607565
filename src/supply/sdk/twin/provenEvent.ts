/**
 * Which anchored EPCIS event proves a twin's custody step (isomorphic): the
 * acting partner's latest event of the right business step in the unit's
 * journey, with its inclusion proof, both from the node's verification
 * answer. The contract checks the proof against the root the partner
 * anchored; the node's indexer checks that the event says what the step does.
 */
import { MedchainError } from "../../../kernel/errors.ts";
import type { VerifyResult } from "../schemas.ts";
import { twinTokenId, twinUnitKey } from "./twinKey.ts";
import "../errors.ts";

/** An event proven against its anchored batch. */
export interface ProvenEvent {
  anchorId: bigint;
  eventHash: `0x${string}`;
  proof: `0x${string}`[];
  /** Its destination ids (shipments). */
  destinations: string[];
}

/** The twin key of a verified unit; `InvalidInput` unless it is a serialized unit (GTIN + serial). */
export function twinOfUnit(v: VerifyResult): { unitKey: `0x${string}`; tokenId: bigint } {
  if (v.unit.serial === null)
    throw new MedchainError("InvalidInput", "digital twins are for serialized " + "units (GTIN + serial)", {
      details: { key: v.unit.key },
    });
  const unitKey = twinUnitKey(v.unit.key);
  return { unitKey, tokenId: twinTokenId(unitKey) };
}

/**
 * The latest event of `partner` with one of `steps` in the unit's journey, with its proof; `EventNotProven` if none is
 * anchored.
 */
export function provenEvent(
  v: VerifyResult,
  partner: `0x${string}`,
  steps: ReadonlySet<string>,
  what: string,
): ProvenEvent {
  const me = partner.toLowerCase();
  const event = v.journey.filter((e) => e.partner.toLowerCase() === me && steps.has(e.bizStep ?? "")).at(-1);
  const proof =
    event === undefined
      ? undefined
      : v.proofs.find((p) => p.eventHash === event.eventHash && p.anchorId === event.anchorId);
  if (event === undefined || proof === undefined) {
    throw new MedchainError("EventNotProven", `no ${what} of this unit by this partner is anchored`, {
      details: { unitKey: twinUnitKey(v.unit.key), partner: me },
    });
  }
  return {
    anchorId: BigInt(event.anchorId),
    eventHash: event.eventHash,
    proof: proof.proof,
    destinations: event.destinations,
  };
}

/** What a twin action did. */
export interface TwinActionResult {
  unitKey: `0x${string}`;
  tokenId: string;
  /** The custodian after the action (null once decommissioned). */
  owner: `0x${string}` | null;
  anchorId: string;
  eventHash: `0x${string}`;
  txHash: `0x${string}`;
}
