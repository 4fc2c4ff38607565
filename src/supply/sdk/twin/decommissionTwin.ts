/** Decommissions (dispenses) a unit's digital twin, proving the dispenser's dispensing event (isomorphic, gasless). */
import { encodeFunctionData, type Account } from "viem";
import { digitalTwinAbi } from "../../../chain/generated/contracts.ts";
import { relayCall } from "../../../kernel/relay/relayCall.ts";
import type { NodeClient } from "../../../sdk/nodeClient.ts";
import { provenEvent, twinOfUnit, type TwinActionResult } from "./provenEvent.ts";

/** The business steps that end a unit's life at a dispenser (as the verifier counts dispenses). */
const DISPENSE = new Set(["dispensing", "decommissioning", "retail_selling"]);

/**
 * Burns the twin of the unit `scan` names for good, as its custodian `dispenser`, proving the dispenser's latest
 * anchored dispensing (or decommissioning) event of it. Errors: `EventNotProven`, `NotCustodian`, `AccessDenied`
 * (not an active dispenser), `TwinNotFound`, `TwinDecommissioned` (already dispensed).
 */
export async function decommissionTwin(node: NodeClient, dispenser: Account, scan: string): Promise<TwinActionResult> {
  const v = await node.verify(scan);
  const { unitKey, tokenId } = twinOfUnit(v);
  const e = provenEvent(v, dispenser.address, DISPENSE, "dispensing");
  const net = await node.network();
  const tx = await relayCall(
    node,
    dispenser,
    net.contracts.digitalTwin,
    encodeFunctionData({
      abi: digitalTwinAbi,
      functionName: "decommission",
      args: [tokenId, e.anchorId, e.eventHash, e.proof],
    }),
  );
  return {
    unitKey,
    tokenId: tokenId.toString(),
    owner: null,
    anchorId: e.anchorId.toString(),
    eventHash: e.eventHash,
    txHash: tx.txHash,
  };
}
