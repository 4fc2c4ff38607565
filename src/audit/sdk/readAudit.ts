/**
 * The patient's access log (isomorphic): ask every keeper for the patient's
 * events (a signed query: only she or her delegate may read it), merge them
 * newest first, and with `verify` check each event against the chain: its
 * leaf is in the Merkle tree whose root the same keeper anchored on chain.
 */
import { MedchainError } from "../../kernel/errors.ts";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import { randomBytes, toHex } from "../../kernel/crypto/bytes.ts";
import { verifyMerkleProof } from "../../kernel/crypto/merkle.ts";
import { keyReleaseDomain } from "../../kernel/keeperDomain.ts";
import { AUDIT_QUERY_TYPES, auditLeaf, type AuditEvent } from "./auditEvent.ts";

/** One access, and whether it checks out against the chain. */
export interface AuditLine {
  event: AuditEvent;
  /**
   * `verified`: proof and on-chain anchor by the same keeper; `pending`: not anchored yet; `failed`: does not check
   * out; `unchecked`: verify was off.
   */
  status: "verified" | "pending" | "failed" | "unchecked";
  anchorId?: number;
}

/** Reads (and optionally verifies) `patient`'s access log as `reader` (the patient or her delegate). */
export async function readAudit(
  node: NodeClient,
  reader: RecordKeys,
  patient: `0x${string}`,
  options: { verify?: boolean } = {},
): Promise<{ lines: AuditLine[]; keepersAnswered: number }> {
  const net = await node.network();
  const query = {
    requester: reader.account.address.toLowerCase() as `0x${string}`,
    patient: patient.toLowerCase() as `0x${string}`,
    nonce: toHex(randomBytes(32)),
    expiresAt: Math.floor(Date.now() / 1000) + 120,
  };
  const signature = await reader.account.signTypedData({
    domain: keyReleaseDomain(net.chainId, net.contracts.consentRegistry),
    types: AUDIT_QUERY_TYPES,
    primaryType: "AuditQuery",
    message: { ...query, expiresAt: BigInt(query.expiresAt) },
  });
  const answers = await Promise.allSettled(net.keepers.map((k) => node.keeperAudit(k, { query, signature })));
  const refused = answers.find(
    (a): a is PromiseRejectedResult =>
      a.status === "rejected" && a.reason instanceof MedchainError && a.reason.code !== "NodeUnreachable",
  );
  if (refused !== undefined) throw refused.reason;
  const entries = answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
  const anchors = new Map<string, Promise<{ anchorId: number; keeper: string | null }>>();
  const lines: AuditLine[] = await Promise.all(
    entries.map(async (e): Promise<AuditLine> => {
      if (options.verify !== true) return { event: e.event, status: "unchecked" };
      if (e.anchor === null) return { event: e.event, status: "pending" };
      const leaf = auditLeaf(e.event);
      if (!verifyMerkleProof(e.anchor.root, leaf, e.anchor.proof)) return { event: e.event, status: "failed" };
      let a = anchors.get(e.anchor.root);
      if (a === undefined) {
        a = node.anchor(e.anchor.root);
        anchors.set(e.anchor.root, a);
      }
      const on = await a;
      return on.anchorId > 0 && on.keeper === e.event.keeper
        ? { event: e.event, status: "verified", anchorId: on.anchorId }
        : { event: e.event, status: "failed" };
    }),
  );
  lines.sort((x, y) => y.event.at - x.event.at || y.event.seq - x.event.seq);
  return { lines, keepersAnswered: answers.filter((a) => a.status === "fulfilled").length };
}
