/**
 * Medicine provenance end to end on a real node: partners registered on
 * chain, the DSCSA example captured (validated, stored, anchored, indexed),
 * shipping the pallet moves all 12 units, a pharmacist's scan gives
 * authentic / unknown / dispensed (clone) / recalled / expired with reasons
 * and proofs that check against the chain, and a refused document stores nothing.
 * Only the current custodian ships a unit: the node's capture path refuses
 * anything else (`NotCustodian`), and the same shipment anchored on chain
 * without it is still indexed (the chain decides) and flagged by the verifier.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { encodeFunctionData } from "viem";
import { supplyAnchorAbi } from "../../src/chain/generated/contracts.ts";
import { captureDocument, recallLot } from "../../src/supply/sdk/captureDocument.ts";
import { captureEpcis } from "../../src/supply/sdk/epcis/capture.ts";
import { eventHashDigest, hashNamespaces } from "../../src/supply/sdk/epcis/eventHash.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import { merkleRoot } from "../../src/kernel/crypto/merkle.ts";
import { cidDigestHex, cidOf } from "../../src/kernel/crypto/cid.ts";
import { utf8Encode } from "../../src/kernel/crypto/bytes.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { expectCode } from "../support/assertions.ts";
import { FIXTURES } from "../support/fixtures.ts";

const MAKER_GLN = withCheckDigit("030001111111");
const WHOLESALER_GLN = withCheckDigit("039999999999");
const PHARMACY_GLN = withCheckDigit("039999777777");
const UNIT = (n: number): string => `urn:epc:id:sgtin:030001.0012345.${n}`;
const GTIN = withCheckDigit("0030001012345");

function event(type: string, bizStep: string, time: string, body: Record<string, unknown>): Record<string, unknown> {
  return { type, eventTime: time, eventTimeZoneOffset: "+00:00", bizStep, ...body };
}
function doc(events: Record<string, unknown>[]): Record<string, unknown> {
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", { cbvmda: "urn:epcglobal:cbv:mda:" }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2023-04-02T00:00:00Z",
    epcisBody: { eventList: events },
  };
}
const sgln = (gln: string): string => `urn:epc:id:sgln:${gln.slice(0, 6)}.${gln.slice(6, 12)}.0`;

describe("supply: capture, custody and verification", () => {
  let t: TestNode;
  let maker: RecordKeys, wholesaler: RecordKeys, pharmacy: RecordKeys, rogue: RecordKeys;

  async function register(who: RecordKeys, kind: string, gln: string, companyPrefix?: string): Promise<void> {
    const token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
    const res = await fetch(`${t.node.url}/admin/partners`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        account: who.account.address,
        kind,
        gln,
        ...(companyPrefix === undefined ? {} : { companyPrefix }),
      }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  /** Blobs in the node's store. */
  const blobCount = (): number => {
    const blobsDir = join(t.dataDir, "blobs");
    return readdirSync(blobsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .reduce((n, d) => n + readdirSync(join(blobsDir, d.name)).filter((f) => !f.startsWith(".")).length, 0);
  };
  const batchCount = (): Promise<bigint> =>
    t.node.ctx.client.readContract({
      address: t.node.ctx.deployment.supplyAnchor,
      abi: supplyAnchorAbi,
      functionName: "batchCount",
    });

  /** Anchors a document as `who` without the node's capture path: blob put as is, root anchored through the relayer. */
  async function anchorDirectly(
    who: RecordKeys,
    document: Record<string, unknown>,
  ): Promise<{ anchorId: string; digests: `0x${string}`[] }> {
    const captured = captureEpcis(document);
    const ns = hashNamespaces(captured.document["@context"]);
    const digests = captured.events.map((e) => eventHashDigest(e, ns));
    const bytes = utf8Encode(JSON.stringify(document));
    const cid = await cidOf(bytes);
    await t.client.putBlobs([{ cid, data: bytes }]);
    const tx = await relayCall(
      t.client,
      who.account,
      t.node.ctx.deployment.supplyAnchor,
      encodeFunctionData({
        abi: supplyAnchorAbi,
        functionName: "anchorBatch",
        args: [merkleRoot(digests), digests.length, cidDigestHex(cid)],
      }),
    );
    return { anchorId: String(tx.events.find((e) => e.name === "BatchAnchored")?.args.batchId), digests };
  }

  before(async () => {
    t = await startTestNode();
    [maker, wholesaler, pharmacy, rogue] = (await Promise.all(
      Array.from({ length: 4 }, () => newIdentity(t.client)),
    )) as [RecordKeys, RecordKeys, RecordKeys, RecordKeys];
    await register(maker, "manufacturer", MAKER_GLN, "030001");
    await register(wholesaler, "wholesaler", WHOLESALER_GLN);
    await register(pharmacy, "dispenser", PHARMACY_GLN);
    await register(rogue, "dispenser", withCheckDigit("039999666666"));
  });
  after(async () => t?.close());

  it("the DSCSA example is captured by its manufacturer; shipping the pallet moves all 12 units", async () => {
    const xml = readFileSync(join(FIXTURES, "dscsa", "GS1_US_Pharma_Example_2_2_1_1.xml"), "utf8");
    const r = await captureDocument(t.client, maker.account, xml);
    assert.equal(r.events, 8);
    for (let n = 11; n <= 22; n++) {
      const v = await t.client.verify(UNIT(n));
      // the fixture's units carry an ILMD expiry of 2025-03-27: genuine, but expired today
      assert.deepEqual(
        [v.verdict, v.reasons.map((x) => x.code), v.unit.expiry],
        ["expired", ["EXPIRED"], "2025-03-27"],
        `unit ${n}`,
      );
      assert.ok(v.journey.some((e) => e.bizStep === "commissioning"));
      assert.ok(
        v.journey.some((e) => e.bizStep === "shipping"),
        `unit ${n} moved with the pallet`,
      );
      // every proof checks against the chain
      for (const p of v.proofs) {
        const ok = await t.node.ctx.client.readContract({
          address: t.node.ctx.deployment.supplyAnchor,
          abi: supplyAnchorAbi,
          functionName: "verifyEvent",
          args: [BigInt(p.anchorId), p.eventHash, p.proof],
        });
        assert.equal(ok, true);
      }
    }
  });

  it("custody moves with receiving and shipping; a dispensed pack scanned again is a clone alert", async () => {
    const pallet = "urn:epc:id:sscc:030001.41234567890";
    await captureDocument(
      t.client,
      wholesaler.account,
      doc([
        event("ObjectEvent", "receiving", "2023-04-02T08:00:00Z", {
          action: "OBSERVE",
          epcList: [pallet],
          readPoint: { id: sgln(WHOLESALER_GLN) },
        }),
        event("ObjectEvent", "shipping", "2023-04-03T08:00:00Z", {
          action: "OBSERVE",
          epcList: [UNIT(11)],
          readPoint: { id: sgln(WHOLESALER_GLN) },
          destinationList: [{ type: "owning_party", destination: sgln(PHARMACY_GLN) }],
        }),
      ]),
    );
    await captureDocument(
      t.client,
      pharmacy.account,
      doc([
        event("ObjectEvent", "receiving", "2023-04-04T08:00:00Z", {
          action: "OBSERVE",
          epcList: [UNIT(11)],
          readPoint: { id: sgln(PHARMACY_GLN) },
        }),
        event("ObjectEvent", "dispensing", "2023-04-05T08:00:00Z", {
          action: "DELETE",
          epcList: [UNIT(11)],
          readPoint: { id: sgln(PHARMACY_GLN) },
        }),
      ]),
    );
    const once = await t.client.verify(UNIT(11));
    assert.deepEqual([once.verdict, once.reasons.map((x) => x.code)], ["dispensed", ["ALREADY_DISPENSED", "EXPIRED"]]);
    // the same serial dispensed again elsewhere: a cloned pack
    await captureDocument(
      t.client,
      rogue.account,
      doc([
        event("ObjectEvent", "dispensing", "2023-04-06T08:00:00Z", {
          action: "DELETE",
          epcList: [UNIT(11)],
          readPoint: { id: sgln(withCheckDigit("039999666666")) },
        }),
      ]),
    );
    const twice = await t.client.verify(UNIT(11));
    assert.equal(twice.verdict, "dispensed");
    assert.ok(twice.reasons.some((x) => x.code === "CLONED_SERIAL"));
    assert.ok(twice.reasons.some((x) => x.code === "CUSTODY_GAP"));
  });

  it("authentic while custody is unbroken; a custody gap makes it suspect", async () => {
    await captureDocument(
      t.client,
      maker.account,
      doc([
        event("ObjectEvent", "commissioning", "2026-01-10T08:00:00Z", {
          action: "ADD",
          epcList: [UNIT(600), UNIT(601)],
          readPoint: { id: sgln(MAKER_GLN) },
          ilmd: { "cbvmda:itemExpirationDate": "2030-12-31", "cbvmda:lotNumber": "L2030" },
        }),
      ]),
    );
    const fresh = await t.client.verify(UNIT(600));
    assert.deepEqual([fresh.verdict, fresh.reasons], ["authentic", []]);
    assert.equal(fresh.unit.expiry, "2030-12-31");
    // a dispenser handles unit 601 though nobody shipped it there
    await captureDocument(
      t.client,
      pharmacy.account,
      doc([
        event("ObjectEvent", "receiving", "2026-01-12T08:00:00Z", {
          action: "OBSERVE",
          epcList: [UNIT(601)],
          readPoint: { id: sgln(PHARMACY_GLN) },
        }),
      ]),
    );
    const gap = await t.client.verify(UNIT(601));
    assert.deepEqual([gap.verdict, gap.reasons.map((x) => x.code)], ["suspect", ["CUSTODY_GAP"]]);
  });

  it(
    "only the current custodian ships a unit: capture " + "refuses anything else and stores or anchors nothing",
    async () => {
      await captureDocument(
        t.client,
        maker.account,
        doc([
          event("ObjectEvent", "commissioning", "2026-02-01T08:00:00Z", {
            action: "ADD",
            epcList: [UNIT(700)],
            readPoint: { id: sgln(MAKER_GLN) },
            ilmd: { "cbvmda:itemExpirationDate": "2030-12-31" },
          }),
        ]),
      );
      const blobs = blobCount();
      const batches = await batchCount();
      const ship = (epc: string, time: string, from: string, to: string): Record<string, unknown> =>
        event("ObjectEvent", "shipping", time, {
          action: "OBSERVE",
          epcList: [epc],
          readPoint: { id: sgln(from) },
          destinationList: [{ type: "owning_party", destination: sgln(to) }],
        });
      // the maker holds unit 700: a wholesaler shipping it is refused, naming the unit
      const notHeld = await expectCode(
        captureDocument(
          t.client,
          wholesaler.account,
          doc([ship(UNIT(700), "2026-02-02T08:00:00Z", WHOLESALER_GLN, PHARMACY_GLN)]),
        ),
        "NotCustodian",
      );
      assert.deepEqual(notHeld.details, {
        unitKey: `https://id.gs1.org/01/${GTIN}/21/700`,
        event: 0,
        custodian: maker.account.address.toLowerCase(),
        reason: "no-shipment",
      });
      // a serial nobody commissioned has no custodian to ship it
      const noTrace = await expectCode(
        captureDocument(
          t.client,
          wholesaler.account,
          doc([ship(UNIT(98), "2026-02-02T08:00:00Z", WHOLESALER_GLN, PHARMACY_GLN)]),
        ),
        "NotCustodian",
      );
      assert.deepEqual(noTrace.details, {
        unitKey: `https://id.gs1.org/01/${GTIN}/21/98`,
        event: 0,
        custodian: null,
        reason: "no-commissioning",
      });
      // shipping the DSCSA pallet again: its cases and units are inside (indexed containment) and the wholesaler
      // received
      // them
      const pallet = await expectCode(
        captureDocument(
          t.client,
          maker.account,
          doc([ship("urn:epc:id:sscc:030001.41234567890", "2026-02-02T08:00:00Z", MAKER_GLN, PHARMACY_GLN)]),
        ),
        "NotCustodian",
      );
      assert.match(
        String(pallet.details?.unitKey),
        new RegExp(`^https://id\\.gs1\\.org/01/(${GTIN}|${withCheckDigit("1030001012345")})/21/`),
      );
      assert.equal(pallet.details?.custodian, wholesaler.account.address.toLowerCase());
      assert.equal(blobCount(), blobs, "a refused document stores nothing");
      assert.equal(await batchCount(), batches, "and anchors nothing");
      // the maker's own shipment, and the wholesaler's receipt then onward shipment in one document, are accepted
      await captureDocument(
        t.client,
        maker.account,
        doc([ship(UNIT(700), "2026-02-03T08:00:00Z", MAKER_GLN, WHOLESALER_GLN)]),
      );
      await captureDocument(
        t.client,
        wholesaler.account,
        doc([
          event("ObjectEvent", "receiving", "2026-02-04T08:00:00Z", {
            action: "OBSERVE",
            epcList: [UNIT(700)],
            readPoint: { id: sgln(WHOLESALER_GLN) },
          }),
          ship(UNIT(700), "2026-02-05T08:00:00Z", WHOLESALER_GLN, PHARMACY_GLN),
        ]),
      );
      assert.deepEqual((await t.client.verify(UNIT(700))).verdict, "authentic");
    },
  );

  it(
    "a shipment by a non-custodian anchored without the node's " +
      "check is indexed (the chain decides) and the verifier flags it",
    async () => {
      await captureDocument(
        t.client,
        maker.account,
        doc([
          event("ObjectEvent", "commissioning", "2026-03-01T08:00:00Z", {
            action: "ADD",
            epcList: [UNIT(701)],
            readPoint: { id: sgln(MAKER_GLN) },
            ilmd: { "cbvmda:itemExpirationDate": "2030-12-31" },
          }),
        ]),
      );
      const diverted = doc([
        event("ObjectEvent", "shipping", "2026-03-02T08:00:00Z", {
          action: "OBSERVE",
          epcList: [UNIT(701)],
          readPoint: { id: sgln(WHOLESALER_GLN) },
          destinationList: [{ type: "owning_party", destination: sgln(PHARMACY_GLN) }],
        }),
      ]);
      await expectCode(captureDocument(t.client, wholesaler.account, diverted), "NotCustodian");
      const { anchorId, digests } = await anchorDirectly(wholesaler, diverted);
      assert.equal((await t.client.supplyBatch(anchorId)).status, "indexed");
      const v = await t.client.verify(UNIT(701));
      assert.deepEqual(
        [v.verdict, v.reasons.map((x) => [x.code, x.eventHash])],
        ["suspect", [["CUSTODY_GAP", digests[0]]]],
      );
    },
  );

  it("unknown serials, recalled lots and expired packs", async () => {
    const unknown = await t.client.verify(UNIT(99));
    assert.deepEqual([unknown.verdict, unknown.reasons[0]?.code], ["unknown", "NO_TRACE"]);
    // a well-formed scan (valid GTIN check digit) of a serial nobody commissioned
    const unknownScan = await t.client.verify(`]d201${GTIN}2199999`);
    assert.deepEqual([unknownScan.verdict, unknownScan.unit.gtin, unknownScan.unit.serial], ["unknown", GTIN, "99999"]);
    await recallLot(t.client, maker.account, {
      gtin: GTIN,
      companyPrefix: "030001",
      lot: "LOT42",
      reason: "sterility failure",
    });
    const recalled = await t.client.verify(`(01)${GTIN}(21)12(10)LOT42(17)301231`);
    assert.equal(recalled.verdict, "recalled");
    assert.match(recalled.reasons[0]?.message ?? "", /sterility failure/);
    const expired = await t.client.verify(`(01)${GTIN}(21)13(10)LOT7(17)200131`);
    assert.equal(expired.verdict, "expired");
    // a non-manufacturer cannot recall
    await expectCode(
      recallLot(t.client, wholesaler.account, { gtin: GTIN, companyPrefix: "030001", lot: "LOT9", reason: "x" }),
      "AccessDenied",
    );
    await expectCode(t.client.verify("not a barcode"), "InvalidBarcode");
  });

  it("a refused document stores nothing; only the prefix owner commissions", async () => {
    const blobsDir = join(t.dataDir, "blobs");
    const before = blobCount();
    for (const f of readdirSync(join(FIXTURES, "epcis", "invalid"))) {
      const body = JSON.parse(readFileSync(join(FIXTURES, "epcis", "invalid", f), "utf8")) as unknown;
      await expectCode(t.client.prepareSupplyDocument(body, maker.account.address), "InvalidEpcis");
    }
    // only a registered, active partner captures
    const stranger = (await newIdentity(t.client)).account.address;
    await expectCode(
      t.client.prepareSupplyDocument(
        doc([
          event("ObjectEvent", "commissioning", "2023-04-07T08:00:00Z", {
            action: "ADD",
            epcList: [UNIT(501)],
            readPoint: { id: sgln(MAKER_GLN) },
          }),
        ]),
        stranger,
      ),
      "AccessDenied",
    );
    assert.equal(blobCount(), before);
    assert.ok(existsSync(blobsDir));
    // a wholesaler commissioning serials under the maker's prefix: anchored, but refused by the indexer
    await expectCode(
      captureDocument(
        t.client,
        wholesaler.account,
        doc([
          event("ObjectEvent", "commissioning", "2023-04-07T08:00:00Z", {
            action: "ADD",
            epcList: [UNIT(500)],
            readPoint: { id: sgln(WHOLESALER_GLN) },
          }),
        ]),
      ),
      "InvalidEpcis",
    );
    assert.equal((await t.client.verify(UNIT(500))).verdict, "unknown");
  });
});
