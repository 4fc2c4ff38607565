/** Mints a unit's digital twin lazily, proving its commissioning (isomorphic, gasless). */
import { encodeFunctionData, type Account } from "viem";
import { digitalTwinAbi } from "../../../chain/generated/contracts.ts";
import { relayCall } from "../../../kernel/relay/relayCall.ts";
import type { NodeClient } from "../../../sdk/nodeClient.ts";
import { provenEvent, twinOfUnit, type TwinActionResult } from "./provenEvent.ts";

/**
 * Mints the twin of the unit `scan` names, as `manufacturer`, to `to` (default: itself), proving the manufacturer's
 * anchored commissioning event of the unit. Errors: `EventNotProven` (no such event anchored), `TwinExists` (minted
 * before, even if decommissioned since), `AccessDenied` (not an active manufacturer), `InvalidInput` (not a
 * serialized unit, or `to` is not an active partner).
 */
export async function mintTwin(
  node: NodeClient,
  manufacturer: Account,
  scan: string,
  options: { to?: `0x${string}` } = {},
): Promise<TwinActionResult> {
  const v = await node.verify(scan);
  const { unitKey, tokenId } = twinOfUnit(v);
  const e = provenEvent(v, manufacturer.address, new Set(["commissioning"]), "commissioning");
  const to = (options.to ?? manufacturer.address).toLowerCase() as `0x${string}`;
  const net = await node.network();
  const tx = await relayCall(
    node,
    manufacturer,
    net.contracts.digitalTwin,
    encodeFunctionData({
      abi: digitalTwinAbi,
      functionName: "mintTwin",
      args: [e.anchorId, e.eventHash, e.proof, unitKey, to],
    }),
  );
  return {
    unitKey,
    tokenId: tokenId.toString(),
    owner: to,
    anchorId: e.anchorId.toString(),
    eventHash: e.eventHash,
    txHash: tx.txHash,
  };
}
