/**
 * Supply benchmarks (issue 4), baselines measured in the same run:
 * - amortized gas per commissioned unit when one anchored batch commissions
 *   1k, 10k and 100k units, next to an OpenZeppelin ERC-721 `_safeMint` per
 *   unit on the same chain;
 * - events captured per second end to end (parse, validate, hash, store,
 *   anchor, index) for a document of 1,000 events;
 * - verification latency p50/p95/p99 with 1,000,000 serialized units indexed
 *   (each with a three-event journey and stored proofs), in process and over HTTP;
 * - Merkle leaves per second next to raw keccak256 of the same bytes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql, type Insertable } from "kysely";
import { concat, encodeFunctionData, hexToBytes, keccak256, type Abi } from "viem";
import { supplyAnchorAbi } from "../src/chain/generated/contracts.ts";
import { relayCall } from "../src/kernel/relay/relayCall.ts";
import { captureDocument } from "../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../src/kernel/gs1CheckDigit.ts";
import { verifyScan } from "../src/supply/supply.service.ts";
import { analyzeSupplyTables } from "../src/supply/supply.indexer.ts";
import { createTxSender } from "../src/node/chain/txSender.ts";
import { MerkleTree, merkleRoot, verifyMerkleProof } from "../src/kernel/crypto/merkle.ts";
import type { VerifyResult } from "../src/supply/sdk/schemas.ts";
import type { SupplyBatchesTable, SupplyEventsTable } from "../src/node/db/schema.ts";
import { randomBytes, toHex } from "../src/kernel/crypto/bytes.ts";
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
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
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
      const r = await sender.writeContract({
        address: ozc.address,
        abi: oz.abi,
        functionName: "mint",
        args: [maker.account.address, BigInt(1000 + i)],
      });
      mints.push(Number(r.gasUsed));
    }
    const ozPerUnit = mints.reduce((a, b) => a + b, 0) / mints.length;

    // one anchored batch commissioning N units: the anchor's gas is flat in N
    for (const n of [1_000, 10_000, 100_000]) {
      const root = keccak256(randomBytes(32));
      const r = await relayCall(
        t.client,
        maker.account,
        ctx.deployment.supplyAnchor,
        encodeFunctionData({
          abi: supplyAnchorAbi,
          functionName: "anchorBatch",
          args: [root, 1, keccak256(randomBytes(32))],
        }),
      );
      out.push({
        name: `supply.gasPerCommissionedUnit.${n}`,
        value: Math.round((r.gasUsed / n) * 100) / 100,
        unit: "gas",
        baseline: { name: "OpenZeppelin ERC-721 _safeMint per unit", value: Math.round(ozPerUnit) },
        ratio: Math.round((r.gasUsed / n / ozPerUnit) * 100000) / 100000,
      });
    }

    // events captured per second, end to end
    const events = Array.from({ length: 1000 }, (_, i) => ({
      type: "ObjectEvent",
      action: "ADD",
      bizStep: "commissioning",
      eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      eventTimeZoneOffset: "+00:00",
      epcList: [`urn:epc:id:sgtin:030001.0012345.B${i}`],
      readPoint: { id: "urn:epc:id:sgln:030001.111111.0" },
    }));
    const doc = {
      "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-01-01T00:00:00Z",
      epcisBody: { eventList: events },
    };
    const c0 = performance.now();
    await captureDocument(t.client, maker.account, doc);
    const captureSec = (performance.now() - c0) / 1000;
    out.push({
      name: "supply.capture.eventsPerSecond",
      value: Math.round(events.length / captureSec),
      unit: "events/s",
    });

    // 1,000,000 serialized units indexed, each with a journey (commissioned by the maker in batches of 1,000, the batch
    // shipped to a wholesaler that received it), every event with its real inclusion proof as the indexer stores it
    const db = ctx.db.kysely;
    const wholesaler = await newIdentity(t.client);
    const wholesalerGln = withCheckDigit("039999999999");
    const reg2 = await fetch(`${t.node.url}/admin/partners`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ account: wholesaler.account.address, kind: "wholesaler", gln: wholesalerGln }),
    });
    if (!reg2.ok) throw new Error(await reg2.text());
    const gtin = withCheckDigit("0030001012345");
    const N = Number(process.env.MEDCHAIN_BENCH_SUPPLY_UNITS ?? 1_000_000); // a smaller N only to try the bench out
    const size = N === 1_000_000 ? "1MUnits" : `${N}Units`;
    const PER = 1_000;
    const makerAddr = maker.account.address.toLowerCase();
    const wholesalerAddr = wholesaler.account.address.toLowerCase();
    const hex = (tag: string, n: number): `0x${string}` => `0x${tag}${n.toString(16).padStart(62, "0")}`;
    const DAY = 86_400_000;
    const T0 = 1767225600000;
    const l0 = performance.now();
    const receipts: Array<Insertable<SupplyEventsTable>> = [];
    const batchRows: Array<Insertable<SupplyBatchesTable>> = [];
    for (let b = 0; b < N / PER; b++) {
      const leaves = [...Array.from({ length: PER }, (_, k) => hex("c0", b * PER + k)), hex("5e", b)];
      const tree = MerkleTree.of(leaves);
      batchRows.push({
        anchor_id: 1_000_000 + b,
        partner: makerAddr,
        root: tree.root,
        count: leaves.length,
        doc_cid: "bench",
        status: "indexed",
        reason: null,
        block_number: 0,
      });
      const rows = leaves.map((h, k) => ({
        event_hash: h,
        anchor_id: 1_000_000 + b,
        leaf_index: k,
        partner: makerAddr,
        event_type: "ObjectEvent",
        biz_step: k < PER ? "commissioning" : "shipping",
        event_time: k < PER ? T0 + b * PER + k : T0 + DAY + b,
        location: null,
        destinations: k < PER ? "[]" : JSON.stringify([`https://id.gs1.org/414/${wholesalerGln}`]),
        ilmd_expiry: k < PER ? "2030-12-31" : null,
        proof: hexToBytes(concat(tree.proof(k))),
      }));
      await db.insertInto("supply_events").values(rows).execute();
      const rcv = hex("ec", b);
      batchRows.push({
        anchor_id: 2_000_000 + b,
        partner: wholesalerAddr,
        root: MerkleTree.of([rcv]).root,
        count: 1,
        doc_cid: "bench",
        status: "indexed",
        reason: null,
        block_number: 0,
      });
      receipts.push({
        event_hash: rcv,
        anchor_id: 2_000_000 + b,
        leaf_index: 0,
        partner: wholesalerAddr,
        event_type: "ObjectEvent",
        biz_step: "receiving",
        event_time: T0 + 2 * DAY + b,
        location: null,
        destinations: "[]",
        ilmd_expiry: null,
        proof: new Uint8Array(0),
      });
    }
    for (let i = 0; i < receipts.length; i += PER)
      await db
        .insertInto("supply_events")
        .values(receipts.slice(i, i + PER))
        .execute();
    for (let i = 0; i < batchRows.length; i += PER)
      await db
        .insertInto("supply_batches")
        .values(batchRows.slice(i, i + PER))
        .execute();
    for (const [tag, per] of [
      ["c0", 1],
      ["5e", PER],
      ["ec", PER],
    ] as const) {
      await sql`insert into supply_unit_events (unit_key, event_hash)
        select ${`https://id.gs1.org/01/${gtin}/21/S`} || i, ${`0x${tag}`} || lpad(to_hex(i / ${per}), 62, '0') from generate_series(0, ${N - 1}) i`.execute(
        db,
      );
    }
    await analyzeSupplyTables(db); // as the indexer does each time the supply tables grew by 10%
    const loadSec = (performance.now() - l0) / 1000;
    const stats = async (label: string, verify: (scan: string) => Promise<VerifyResult>): Promise<void> => {
      const lat: number[] = [];
      for (let k = 0; k < 1200; k++) {
        const i = Math.floor(Math.random() * N);
        const scan = `(01)${gtin}(17)301231(10)L${Math.floor(i / PER)}(21)S${i}`;
        const q0 = performance.now();
        const v = await verify(scan);
        if (k >= 200) lat.push(performance.now() - q0);
        if (v.verdict !== "authentic" || v.journey.length !== 3)
          throw new Error(`bench unit ${i}: ${v.verdict}, ${v.journey.length} events`);
        if (k % 100 === 0 && !v.proofs.every((p) => verifyMerkleProof(p.root, p.eventHash, p.proof)))
          throw new Error(`bench unit ${i}: a proof does not check`);
      }
      lat.sort((a, b) => a - b);
      for (const p of [50, 95, 99])
        out.push({ name: `supply.verify.${label}.p${p}.${size}`, value: pct(lat, p), unit: "ms" });
    };
    await stats("inprocess", (scan) => verifyScan(ctx, scan));
    await stats("http", (scan) => t.client.verify(scan));
    out.push({ name: `supply.bulkIndex.${size}`, value: Math.round(loadSec * 10) / 10, unit: "s" });

    // Merkle leaves per second vs raw keccak256 of the same leaves
    const leaves = Array.from({ length: 10_000 }, () => toHex(randomBytes(32)));
    const m0 = performance.now();
    merkleRoot(leaves);
    const mSec = (performance.now() - m0) / 1000;
    const h0 = performance.now();
    for (const l of leaves) keccak256(l);
    const hSec = (performance.now() - h0) / 1000;
    out.push({
      name: "supply.merkle.leavesPerSecond",
      value: Math.round(leaves.length / mSec),
      unit: "leaves/s",
      baseline: { name: "viem keccak256 of each leaf once", value: Math.round(leaves.length / hSec) },
      ratio: Math.round((hSec / mSec) * 1000) / 1000,
    });
    return out;
  } finally {
    await t.close();
  }
}
