/**
 * Consent benchmarks (issue 3), each next to a baseline measured in the same run:
 * - key release latency (p50/p95/p99) for 2-of-3 keepers, in-process (keeper
 *   objects called directly) and over HTTP (the client SDK against the node);
 * - gas per grant and per revoke, next to a naive on-chain consent (the FHIR
 *   Consent resource posted as calldata);
 * - gas per audited access, amortized through Merkle batching, next to one
 *   on-chain anchor per access.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { combine } from "shamir-secret-sharing";
import { encodeFunctionData, keccak256, toHex as viemToHex } from "viem";
import { createTxSender } from "../src/node/chain/txSender.ts";
import { importBundle } from "../src/records/sdk/importBundle.ts";
import { grantAccess, revokeGrant } from "../src/consent/sdk/grants.ts";
import { requestCategoryKey, signKeyRequest } from "../src/keeper/sdk/requestCategoryKey.ts";
import { unwrapKey } from "../src/kernel/crypto/hpke.ts";
import { fromBase64, utf8Encode } from "../src/kernel/crypto/bytes.ts";
import { SHARE_LABEL } from "../src/keeper/sdk/schemas.ts";
import { auditAnchorAbi } from "../src/chain/generated/contracts.ts";
import { relayCall } from "../src/kernel/relay/relayCall.ts";
import { newIdentity, startTestNode } from "../test/support/testNode.ts";
import { FIXTURES, readJson, smallSyntheaFile } from "../test/support/fixtures.ts";
import type { BenchResult } from "./result.ts";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function latency(name: string, samples: number[]): BenchResult[] {
  const s = [...samples].sort((a, b) => a - b);
  return [50, 95, 99].map((p) => ({
    name: `${name}.p${p}`,
    value: Math.round(percentile(s, p) * 100) / 100,
    unit: "ms",
  }));
}

/** Runs the consent benchmarks against a real embedded node. */
export async function benchConsent(): Promise<BenchResult[]> {
  const t = await startTestNode();
  try {
    const patient = await newIdentity(t.client);
    const reader = await newIdentity(t.client);
    const batchId = (
      await importBundle({
        node: t.client,
        bundle: readJson(smallSyntheaFile()),
        owner: patient.account.address,
        author: patient,
      })
    ).batchId;
    const now = Math.floor(Date.now() / 1000);
    const grant = await grantAccess(t.client, patient.account, {
      patient: patient.account.address,
      grantee: reader.account.address,
      categories: ["observations"],
      purposes: ["TREAT"],
      expiresAt: now + 86400,
    });
    const req = { batchId, category: "observations" as const, grantId: grant.grantId, purpose: "TREAT" as const };
    const N = 200;

    // over HTTP: the SDK path a client uses (sign, ask 3 keepers, combine the first 2)
    for (let i = 0; i < 10; i++) await requestCategoryKey(t.client, reader, req); // warm-up
    const http: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      await requestCategoryKey(t.client, reader, req);
      http.push(performance.now() - t0);
    }
    // in-process: the same checks by the keeper objects, no HTTP
    const keepers = t.node.ctx.keepers.slice(0, 2);
    const inproc: number[] = [];
    for (let i = 0; i < N + 10; i++) {
      const t0 = performance.now();
      const s = await signKeyRequest(t.client, reader, req);
      const shares = await Promise.all(
        keepers.map(async (k) => {
          const w = await k.release(s.request, s.signature);
          return unwrapKey(
            reader.encryptionPrivateKey,
            { enc: fromBase64(w.enc), ct: fromBase64(w.ct) },
            utf8Encode(SHARE_LABEL.releaseInfo),
            utf8Encode(
              SHARE_LABEL.releaseAad(s.request.batchId, s.request.category, s.request.requester, s.request.nonce),
            ),
          );
        }),
      );
      await combine(shares);
      if (i >= 10) inproc.push(performance.now() - t0);
    }

    // gas: grant and revoke, vs posting the FHIR Consent itself on chain (calldata to the patient's address)
    const client = t.node.ctx.client;
    const gasOf = async (hash: `0x${string}`): Promise<number> =>
      Number((await client.getTransactionReceipt({ hash })).gasUsed);
    const g2 = await grantAccess(t.client, patient.account, {
      patient: patient.account.address,
      grantee: reader.account.address,
      categories: ["observations", "clinical"],
      purposes: ["TREAT"],
      expiresAt: now + 86400,
    });
    const grantGas = await gasOf(g2.tx.txHash);
    const revokeGas = await gasOf((await revokeGrant(t.client, patient.account, g2.grantId)).txHash);
    const consentJson = readFileSync(join(FIXTURES, "fhir-consent", "consent-example-smartonfhir.json"));
    // a second funded key of the embedded chain posts it, so the relayer's nonce sequence is untouched
    const sender2 = createTxSender(t.node.ctx.chain, client, { keyIndex: 1 });
    const naiveReceipt = await sender2.sendTransaction({ to: patient.account.address, data: viemToHex(consentJson) });
    const naiveGas = Number(naiveReceipt.gasUsed);

    // gas per audited access: anchor a batch of the accesses above vs one anchor per access
    const k0 = t.node.ctx.keepers[0];
    if (k0 === undefined) throw new Error("no keeper");
    const before = await client.readContract({
      address: t.node.ctx.deployment.auditAnchor,
      abi: auditAnchorAbi,
      functionName: "anchorCount",
    });
    await k0.anchorPending();
    const id = await client.readContract({
      address: t.node.ctx.deployment.auditAnchor,
      abi: auditAnchorAbi,
      functionName: "anchorCount",
    });
    let batchGas = 0;
    let batchCount = 0;
    for (let a = before + 1n; a <= id; a++) {
      const anchor = await client.readContract({
        address: t.node.ctx.deployment.auditAnchor,
        abi: auditAnchorAbi,
        functionName: "getAnchor",
        args: [a],
      });
      batchCount += anchor.count;
    }
    const logs = await client.getContractEvents({
      address: t.node.ctx.deployment.auditAnchor,
      abi: auditAnchorAbi,
      eventName: "AuditAnchored",
      fromBlock: 0n,
    });
    for (const l of logs.filter((x) => (x.args.anchorId ?? 0n) > before)) batchGas += await gasOf(l.transactionHash);
    // naive: one anchor per access (the keeper anchors a single-event root)
    const single: number[] = [];
    const keeperAccount = k0.account;
    const relay = t.client;
    for (let i = 0; i < 5; i++) {
      const root = keccak256(utf8Encode(`naive-access-${i}-${Date.now()}`));
      const data = encodeFunctionData({ abi: auditAnchorAbi, functionName: "anchor", args: [root, 1, root] });
      single.push(await gasOf((await relayCall(relay, keeperAccount, t.node.ctx.deployment.auditAnchor, data)).txHash));
    }
    const singleGas = single.reduce((a, b) => a + b, 0) / single.length;
    const perAccess = batchGas / Math.max(batchCount, 1);
    return [
      ...latency("keeper.release.2of3.http", http),
      ...latency("keeper.release.2of3.inprocess", inproc),
      {
        name: "consent.grant.gas",
        value: grantGas,
        unit: "gas",
        baseline: { name: "FHIR Consent JSON posted as calldata", value: naiveGas },
        ratio: Math.round((grantGas / naiveGas) * 1000) / 1000,
      },
      {
        name: "consent.revoke.gas",
        value: revokeGas,
        unit: "gas",
        baseline: { name: "FHIR Consent JSON posted as calldata", value: naiveGas },
        ratio: Math.round((revokeGas / naiveGas) * 1000) / 1000,
      },
      {
        name: "audit.gasPerAccess",
        value: Math.round(perAccess),
        unit: "gas",
        baseline: { name: "one on-chain anchor per access", value: Math.round(singleGas) },
        ratio: Math.round((perAccess / singleGas) * 10000) / 10000,
      },
      { name: "audit.accessesPerAnchor", value: batchCount, unit: "events" },
    ];
  } finally {
    await t.close();
  }
}
