/**
 * Records benchmarks, each with a baseline measured in the same run:
 * - end-to-end import throughput of the largest fixture bundle (validate,
 *   encrypt, store, register on chain) vs raw node:crypto AES-256-GCM over
 *   the same canonical bytes;
 * - gas per imported resource (amortized over one batch) vs registering each
 *   resource as its own batch;
 * - export (decrypt + verify) throughput.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { importBundle } from "../src/records/sdk/importBundle.ts";
import { exportRecord } from "../src/records/sdk/exportRecord.ts";
import { canonicalJson } from "../src/kernel/crypto/canonical.ts";
import { newIdentity, startTestNode } from "../test/support/testNode.ts";
import { largestSyntheaFile } from "../test/support/fixtures.ts";
import type { BenchResult } from "./result.ts";

function rawAeadSeconds(plaintexts: readonly Uint8Array[]): number {
  const key = randomBytes(32);
  const t0 = performance.now();
  for (const p of plaintexts) {
    const c = createCipheriv("aes-256-gcm", key, randomBytes(12));
    c.update(p);
    c.final();
    c.getAuthTag();
  }
  return (performance.now() - t0) / 1000;
}

/** Runs the records benchmarks against a real embedded node. */
export async function benchRecords(): Promise<BenchResult[]> {
  const bundle = JSON.parse(readFileSync(largestSyntheaFile(), "utf8")) as { entry: Array<{ resource: unknown }> };
  const n = bundle.entry.length;
  const plaintexts = bundle.entry.map((e) => canonicalJson(e.resource));
  const bytes = plaintexts.reduce((s, p) => s + p.length, 0);
  const t = await startTestNode();
  try {
    const patient = await newIdentity(t.client);
    // warm-up on another owner (JIT, connections)
    const warm = await newIdentity(t.client);
    await importBundle({
      node: t.client,
      bundle: { resourceType: "Bundle", type: "collection", entry: bundle.entry.slice(0, 50) },
      owner: warm.account.address,
      author: warm,
    });

    const t0 = performance.now();
    const r = await importBundle({ node: t.client, bundle, owner: patient.account.address, author: patient });
    const importSec = (performance.now() - t0) / 1000;
    const rawSec = Math.min(rawAeadSeconds(plaintexts), rawAeadSeconds(plaintexts), rawAeadSeconds(plaintexts));

    const receipt = await t.node.ctx.client.getTransactionReceipt({ hash: r.txHash ?? "0x" });
    const gasPerResource = Number(receipt.gasUsed) / n;
    // baseline: the same resources registered one batch each (first 20, averaged)
    const single = await newIdentity(t.client);
    let singleGas = 0;
    const k = 20;
    for (let i = 0; i < k; i++) {
      const one = await importBundle({
        node: t.client,
        bundle: { resourceType: "Bundle", type: "collection", entry: [bundle.entry[i]] },
        owner: single.account.address,
        author: single,
      });
      singleGas += Number((await t.node.ctx.client.getTransactionReceipt({ hash: one.txHash ?? "0x" })).gasUsed);
    }
    const singleGasPerResource = singleGas / k;

    const e0 = performance.now();
    const ex = await exportRecord({ node: t.client, reader: patient, owner: patient.account.address });
    const exportSec = (performance.now() - e0) / 1000;
    if (ex.bundle.entry?.length !== n) throw new Error("export lost resources");

    const ours = n / importSec;
    const raw = n / rawSec;
    return [
      {
        name: "records.import.throughput",
        value: round(ours),
        unit: "resources/s",
        baseline: { name: "node:crypto aes-256-gcm, same bytes (encrypt only)", value: round(raw) },
        ratio: round(ours / raw, 4),
      },
      {
        name: "records.import.bandwidth",
        value: round(bytes / importSec / 1e6, 3),
        unit: "MB/s",
        baseline: { name: "node:crypto aes-256-gcm, same bytes", value: round(bytes / rawSec / 1e6, 1) },
        ratio: round(rawSec / importSec, 4),
      },
      { name: "records.import.seconds", value: round(importSec, 3), unit: "s" },
      {
        name: "records.import.gasPerResource",
        value: round(gasPerResource, 1),
        unit: "gas",
        baseline: { name: "one batch per resource", value: round(singleGasPerResource) },
        ratio: round(gasPerResource / singleGasPerResource, 5),
      },
      { name: "records.export.throughput", value: round(n / exportSec), unit: "resources/s" },
    ];
  } finally {
    await t.close();
  }
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
