/**
 * Capture, client side (isomorphic): the node validates and stores the EPCIS
 * document (refusing it stores nothing; only the current custodian of a unit
 * may ship it), the partner signs the anchor of its
 * Merkle root (gasless), and the node, following the chain, indexes the
 * events once the anchored root matches the document.
 */
import { encodeFunctionData, type Account } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { supplyAnchorAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import "./errors.ts";

/** What a capture did. */
export interface CaptureResult {
  anchorId: string;
  root: `0x${string}`;
  events: number;
  cid: string;
  txHash: `0x${string}`;
  status: string;
}

/**
 * Validates, stores, anchors and indexes one EPCIS document as `partner`. The node refuses (and nothing is stored or
 * anchored) an invalid document (`InvalidEpcis`) or one shipping a unit `partner` does not hold (`NotCustodian`).
 */
export async function captureDocument(node: NodeClient, partner: Account, document: unknown): Promise<CaptureResult> {
  const prepared = await node.prepareSupplyDocument(document, partner.address);
  const net = await node.network();
  const tx = await relayCall(
    node,
    partner,
    net.contracts.supplyAnchor,
    encodeFunctionData({
      abi: supplyAnchorAbi,
      functionName: "anchorBatch",
      args: [prepared.root, prepared.count, prepared.digest],
    }),
  );
  const anchorId = tx.events.find((e) => e.name === "BatchAnchored")?.args.batchId;
  if (typeof anchorId !== "string")
    throw new MedchainError("Internal", "the anchor transaction " + "did not emit BatchAnchored");
  const batch = await node.supplyBatch(anchorId);
  if (batch.status !== "indexed") {
    throw new MedchainError(
      "InvalidEpcis",
      `the anchored batch was refused by the indexer (${batch.reason ?? "unknown reason"})`,
      { details: { anchorId, reason: batch.reason } },
    );
  }
  return {
    anchorId,
    root: prepared.root,
    events: prepared.count,
    cid: prepared.cid,
    txHash: tx.txHash,
    status: batch.status,
  };
}

/** Recalls a GTIN lot as its manufacturer (gasless). */
export async function recallLot(
  node: NodeClient,
  manufacturer: Account,
  p: { gtin: string; companyPrefix: string; lot: string; reason: string },
): Promise<`0x${string}`> {
  const net = await node.network();
  const tx = await relayCall(
    node,
    manufacturer,
    net.contracts.supplyAnchor,
    encodeFunctionData({
      abi: supplyAnchorAbi,
      functionName: "recall",
      args: [BigInt(p.gtin), p.companyPrefix, p.lot, p.reason],
    }),
  );
  return tx.txHash;
}
