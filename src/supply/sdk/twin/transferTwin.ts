/** Hands a unit's digital twin to the partner its custodian shipped it to (isomorphic, gasless). */
import { encodeFunctionData, type Account } from "viem";
import { digitalTwinAbi } from "../../../chain/generated/contracts.ts";
import { MedchainError } from "../../../kernel/errors.ts";
import { relayCall } from "../../../kernel/relay/relayCall.ts";
import type { NodeClient } from "../../../sdk/nodeClient.ts";
import { normalizeDestination, partyId } from "../custody.ts";
import { provenEvent, twinOfUnit, type TwinActionResult } from "./provenEvent.ts";

/**
 * Moves the twin of the unit `scan` names from `custodian` to the recipient of the custodian's latest anchored
 * shipment of it: `to` if given (it must be a destination of that shipment, when the shipment names any), else the
 * registered partner whose GLN the shipment names. Errors: `EventNotProven` (no shipment anchored by the custodian),
 * `NotCustodian` (the caller does not hold the twin), `TwinNotFound`, `TwinDecommissioned`, `InvalidInput` (no or
 * another recipient).
 */
export async function transferTwin(
  node: NodeClient,
  custodian: Account,
  scan: string,
  options: { to?: `0x${string}` } = {},
): Promise<TwinActionResult> {
  const v = await node.verify(scan);
  const { unitKey, tokenId } = twinOfUnit(v);
  const e = provenEvent(v, custodian.address, new Set(["shipping"]), "shipment");
  const destinations = new Set(e.destinations.map(normalizeDestination));
  const partners = await node.supplyPartners();
  const addressed = partners.filter((p) => p.active && destinations.has(partyId(p.gln)));
  let to: `0x${string}`;
  if (options.to !== undefined) {
    to = options.to.toLowerCase() as `0x${string}`;
    if (destinations.size > 0 && !addressed.some((p) => p.account.toLowerCase() === to)) {
      throw new MedchainError("InvalidInput", "the shipment is not " + "addressed to that partner", {
        details: { unitKey, to },
      });
    }
  } else {
    const only = addressed.length === 1 ? addressed[0] : undefined;
    if (only === undefined)
      throw new MedchainError(
        "InvalidInput",
        "the shipment does not name exactly one " + "registered partner: give the recipient",
        { details: { unitKey, candidates: addressed.length } },
      );
    to = only.account.toLowerCase() as `0x${string}`;
  }
  const net = await node.network();
  const tx = await relayCall(
    node,
    custodian,
    net.contracts.digitalTwin,
    encodeFunctionData({
      abi: digitalTwinAbi,
      functionName: "transferCustody",
      args: [tokenId, to, e.anchorId, e.eventHash, e.proof],
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
