/**
 * Supply benchmarks (issue 4), baselines measured in the same run:
 * - amortized gas per commissioned unit when one anchored batch commissions
 *   1k, 10k and 100k units, next to an OpenZeppelin ERC-721 `_safeMint` per
 *   unit on the same chain;
 * - events captured per second end to end (parse, validate, hash, store,
 *   anchor, index) for a document of 1,000 events;
 * - verification latency p50/p99 with 1,000,000 serialized units indexed;
 * - Merkle leaves per second next to raw keccak256 of the same bytes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { encodeFunctionData, keccak256, type Abi } from "viem";
import { supplyAnchorAbi } from "../src/chain/generated/contracts.ts";
import { relayCall } from "../src/relay/sdk/relayCall.ts";
import { captureDocument } from "../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../src/supply/sdk/gs1/checkDigit.ts";
import { verifyScan } from "../src/supply/supply.service.ts";
import { createTxSender } from "../src/node/chain/txSender.ts";
import { merkleRoot } from "../src/records/crypto/merkle.ts";
import { randomBytes, toHex } from "../src/records/crypto/bytes.ts";
import { newIdentity, startTestNode } from "../test/support/testNode.ts";
import type { BenchResult } from "./result.ts";

const ROOT = join(import.meta.dirname, "..");

function ozArtifact(): { abi: Abi; bytecode: `0x${string}` } {
  const file = join(ROOT, "artifacts/test/contracts/supply/OzMintBaseline.sol/OzMintBaseline.json");
  if (!existsSync(file)) execFileSync("npx", ["hardhat", "build", "--quiet"], { cwd: ROOT, stdio: "ignore" });
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: `0x${string}` };
}

function pct(sorted: number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100;
}

/** Runs the supply benchmarks against a real embedded node. */
export async function benchSupply(): Promise<BenchResult[]> {
  const t = await startTestNode();
  const out: BenchResult[] = [];
  try {
    const { ctx } = t.node;
    const token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
    const maker = await newIdentity(t.client);
    const gln = withCheckDigit("030001111111");
    const reg = await fetch(`${t.node.url}/admin/partners`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ account: maker.account.address, kind: "manufacturer", gln, companyPrefix: "030001" }),
    });
    if (!reg.ok) throw new Error(await reg.text());

    // OpenZeppelin ERC-721 mint per unit, same chain
    const oz = ozArtifact();
    // a second funded key of the embedded chain, so the relayer's nonce sequence is untouched
    const sender = createTxSender(ctx.chain, ctx.client, { keyIndex: 1 });
    const ozc = await sender.deployContract({ abi: oz.abi, bytecode: oz.bytecode, args: [] });
    const mints: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await sender.writeContract({ address: ozc.address, abi: oz.abi, functionName: "mint", args: [maker.account.address, BigInt(1000 + i)] });
      mints.push(Number(r.gasUsed));
    }
    const ozPerUnit = mints.reduce((a, b) => a + b, 0) / mints.length;

    // one anchored batch commissioning N units: the anchor's gas is flat in N
    for (const n of [1_000, 10_000, 100_000]) {
      const root = keccak256(randomBytes(32));
      const r = await relayCall(t.client, maker.account, ctx.deployment.supplyAnchor, encodeFunctionData({
        abi: supplyAnchorAbi, functionName: "anchorBatch", args: [root, 1, keccak256(randomBytes(32))],
      }));
      out.push({ name: `supply.gasPerCommissionedUnit.${n}`, value: Math.round((r.gasUsed / n) * 100) / 100, unit: "gas", baseline: { name: "OpenZeppelin ERC-721 _safeMint per unit", value: Math.round(ozPerUnit) }, ratio: Math.round((r.gasUsed / n / ozPerUnit) * 100000) / 100000 });
    }

    // events captured per second, end to end
    const events = Array.from({ length: 1000 }, (_, i) => ({
      type: "ObjectEvent", action: "ADD", bizStep: "commissioning", eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), eventTimeZoneOffset: "+00:00",
      epcList: [`urn:epc:id:sgtin:030001.0012345.B${i}`], readPoint: { id: "urn:epc:id:sgln:030001.111111.0" },
    }));
    const doc = { "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], type: "EPCISDocument", schemaVersion: "2.0", creationDate: "2026-01-01T00:00:00Z", epcisBody: { eventList: events } };
    const c0 = performance.now();
    await captureDocument(t.client, maker.account, doc);
    const captureSec = (performance.now() - c0) / 1000;
    out.push({ name: "supply.capture.eventsPerSecond", value: Math.round(events.length / captureSec), unit: "events/s" });

    // 1,000,000 serialized units indexed (bulk-loaded in SQL), then verification latency
    const db = ctx.db.kysely;
    const gtin = withCheckDigit("0030001012345");
    const N = 1_000_000;
    const l0 = performance.now();
    await sql`insert into supply_batches (anchor_id, partner, root, count, doc_cid, status, reason, block_number)
      select 1000000 + b, ${maker.account.address.toLowerCase()}, '0x' || lpad(to_hex(b), 64, '0'), 1000, 'bench', 'indexed', null, 0 from generate_series(0, ${N / 1000 - 1}) b`.execute(db);
    await sql`insert into supply_events (event_hash, anchor_id, leaf_index, partner, event_type, biz_step, event_time, location, destinations, ilmd_expiry)
      select '0xbe' || lpad(to_hex(i), 62, '0'), 1000000 + i / 1000, i % 1000, ${maker.account.address.toLowerCase()}, 'ObjectEvent', 'commissioning',
             1767225600000 + i, null, '[]', '2030-12-31' from generate_series(0, ${N - 1}) i`.execute(db);
    await sql`insert into supply_unit_events (unit_key, event_hash)
      select ${`https://id.gs1.org/01/${gtin}/21/S`} || i, '0xbe' || lpad(to_hex(i), 62, '0') from generate_series(0, ${N - 1}) i`.execute(db);
    const loadSec = (performance.now() - l0) / 1000;
    const lat: number[] = [];
    for (let k = 0; k < 1200; k++) {
      const i = Math.floor(Math.random() * N);
      const q0 = performance.now();
      const v = await verifyScan(ctx, `(01)${gtin}(21)S${i}`);
      if (k >= 200) lat.push(performance.now() - q0);
      if (v.verdict !== "authentic") throw new Error(`bench unit ${i}: ${v.verdict}`);
    }
    lat.sort((a, b) => a - b);
    out.push({ name: "supply.verify.p50.1MUnits", value: pct(lat, 50), unit: "ms" }, { name: "supply.verify.p99.1MUnits", value: pct(lat, 99), unit: "ms" });
    out.push({ name: "supply.bulkIndex.1MUnits", value: Math.round(loadSec * 10) / 10, unit: "s" });

    // Merkle leaves per second vs raw keccak256 of the same leaves
    const leaves = Array.from({ length: 10_000 }, () => toHex(randomBytes(32)));
    const m0 = performance.now();
    merkleRoot(leaves);
    const mSec = (performance.now() - m0) / 1000;
    const h0 = performance.now();
    for (const l of leaves) keccak256(l);
    const hSec = (performance.now() - h0) / 1000;
    out.push({ name: "supply.merkle.leavesPerSecond", value: Math.round(leaves.length / mSec), unit: "leaves/s", baseline: { name: "viem keccak256 of each leaf once", value: Math.round(leaves.length / hSec) }, ratio: Math.round((hSec / mSec) * 1000) / 1000 });
    return out;
  } finally {
    await t.close();
  }
}
