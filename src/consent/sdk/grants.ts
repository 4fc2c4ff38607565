/**
 * Consent actions (isomorphic): the patient (or her delegate) grants and
 * revokes by signing EIP-712 requests that the node relays gaslessly; a
 * clinician opens break-glass; a patient names a guardian or caregiver.
 */
import { encodeFunctionData, keccak256 } from "viem";
import type { Account } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { consentRegistryAbi } from "../../chain/generated/contracts.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import { relayCall } from "../../kernel/relay/relayCall.ts";
import type { RelayResult } from "../../kernel/relay/forwardRequest.ts";
import { categoryMask, type CategoryName } from "../../kernel/categories.ts";
import { utf8Encode } from "../../kernel/crypto/bytes.ts";
import { purposeMask, type PurposeCode } from "../../kernel/purposes.ts";

/** Parameters of {@link grantAccess}. */
export interface GrantParameters {
  patient: `0x${string}`;
  grantee: `0x${string}`;
  categories: readonly CategoryName[];
  purposes: readonly PurposeCode[];
  /** Unix seconds (default: now). */
  notBefore?: number;
  /** Unix seconds. */
  expiresAt: number;
}

function grantIdOf(r: RelayResult, event: string): string {
  const e = r.events.find((x) => x.name === event);
  const id = e?.args.grantId;
  if (typeof id !== "string") throw new MedchainError("Internal", `the transaction did not emit ${event}`);
  return id;
}

/** Grants access; `signer` is the patient or her delegate. Returns the grant id. */
export async function grantAccess(
  node: NodeClient,
  signer: Account,
  p: GrantParameters,
): Promise<{ grantId: string; tx: RelayResult }> {
  const net = await node.network();
  const data = encodeFunctionData({
    abi: consentRegistryAbi,
    functionName: "grant",
    args: [
      p.patient,
      p.grantee,
      categoryMask(p.categories),
      purposeMask(p.purposes),
      BigInt(p.notBefore ?? Math.floor(Date.now() / 1000) - 60),
      BigInt(p.expiresAt),
    ],
  });
  const tx = await relayCall(node, signer, net.contracts.consentRegistry, data);
  return { grantId: grantIdOf(tx, "GrantIssued"), tx };
}

/** Revokes a grant; `signer` is the patient or her delegate. Takes effect for the next key request. */
export async function revokeGrant(node: NodeClient, signer: Account, grantId: string): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({ abi: consentRegistryAbi, functionName: "revoke", args: [BigInt(grantId)] });
  return relayCall(node, signer, net.contracts.consentRegistry, data);
}

/** Names (or removes) a guardian/caregiver who may manage the signer's grants. */
export async function setDelegate(
  node: NodeClient,
  patient: Account,
  delegate: `0x${string}`,
  allowed: boolean,
): Promise<RelayResult> {
  const net = await node.network();
  const data = encodeFunctionData({ abi: consentRegistryAbi, functionName: "setDelegate", args: [delegate, allowed] });
  return relayCall(node, patient, net.contracts.consentRegistry, data);
}

/** Hash of a stated emergency reason (the text stays off chain, with the clinician). */
export function reasonHash(reason: string): `0x${string}` {
  return keccak256(utf8Encode(reason.trim()));
}

/** Break-glass: a clinician opens short, narrow emergency access (purpose ETREAT). Returns the grant id. */
export async function breakGlass(
  node: NodeClient,
  clinician: Account,
  patient: `0x${string}`,
  categories: readonly CategoryName[],
  reason: string,
): Promise<{ grantId: string; expiresAt: number; tx: RelayResult }> {
  if (reason.trim().length < 5)
    throw new MedchainError("InvalidInput", "state the emergency reason " + "(at least 5 characters)");
  const net = await node.network();
  const data = encodeFunctionData({
    abi: consentRegistryAbi,
    functionName: "breakGlass",
    args: [patient, categoryMask(categories), reasonHash(reason)],
  });
  const tx = await relayCall(node, clinician, net.contracts.consentRegistry, data);
  const ev = tx.events.find((x) => x.name === "BreakGlassOpened");
  return { grantId: grantIdOf(tx, "BreakGlassOpened"), expiresAt: Number(ev?.args.expiresAt ?? 0), tx };
}
