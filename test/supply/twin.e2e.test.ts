/**
 * Digital twins end to end on a real node: a manufacturer mints a unit's
 * ERC-721 twin lazily with the proof of its anchored commissioning event;
 * custody follows proven shipping events, one owner at a time (ERC-721
 * transfers are disabled); the dispensing custodian burns it at dispense.
 * Refusals carry exact codes: minting twice (`TwinExists`), moving without a
 * proven event (`EventNotProven`), a non-custodian acting (`NotCustodian`),
 * after dispense (`TwinDecommissioned`). A step whose proven event is about
 * another unit is accepted by the chain (its trust boundary) but flagged by
 * the node's index, and a scan of that unit is suspect. The same from the CLI.
 * The index is a cache: dropped and rebuilt from the chain, it says the same.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeFunctionData, keccak256 } from "viem";
import { digitalTwinAbi } from "../../src/chain/generated/contracts.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import { randomBytes } from "../../src/kernel/crypto/bytes.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { captureDocument } from "../../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { decommissionTwin } from "../../src/supply/sdk/twin/decommissionTwin.ts";
import { mintTwin } from "../../src/supply/sdk/twin/mintTwin.ts";
import { transferTwin } from "../../src/supply/sdk/twin/transferTwin.ts";
import { twinTokenId, twinUnitKey } from "../../src/supply/sdk/twin/twinKey.ts";
import { expectCode } from "../support/assertions.ts";
import { cliRunner } from "../support/cli.ts";
import { newIdentity, startTestNode, tempDir, type TestNode } from "../support/testNode.ts";

const MAKER_GLN = withCheckDigit("030001111111");
const WHOLESALER_GLN = withCheckDigit("039999999999");
const PHARMACY_GLN = withCheckDigit("039999777777");
const OTHER_GLN = withCheckDigit("039999666666");
const GTIN = withCheckDigit("0030001012345");
const UNIT = (n: number): string => `urn:epc:id:sgtin:030001.0012345.${n}`;
const KEY = (n: number): string => `https://id.gs1.org/01/${GTIN}/21/${n}`;
const sgln = (gln: string): string => `urn:epc:id:sgln:${gln.slice(0, 6)}.${gln.slice(6, 12)}.0`;

function event(
  bizStep: string,
  time: string,
  epcs: string[],
  at: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const action = bizStep === "commissioning" ? "ADD" : bizStep === "dispensing" ? "DELETE" : "OBSERVE";
  return {
    type: "ObjectEvent",
    eventTime: time,
    eventTimeZoneOffset: "+00:00",
    action,
    bizStep,
    epcList: epcs,
    readPoint: { id: sgln(at) },
    ...extra,
  };
}
function doc(events: Record<string, unknown>[]): Record<string, unknown> {
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", { cbvmda: "urn:epcglobal:cbv:mda:" }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-01-01T00:00:00Z",
    epcisBody: { eventList: events },
  };
}
const commission = (time: string, epcs: string[]): Record<string, unknown> =>
  event("commissioning", time, epcs, MAKER_GLN, { ilmd: { "cbvmda:itemExpirationDate": "2030-12-31" } });
const ship = (time: string, epcs: string[], from: string, to: string): Record<string, unknown> =>
  event("shipping", time, epcs, from, { destinationList: [{ type: "owning_party", destination: sgln(to) }] });

describe("supply: digital twins", () => {
  const dataDir = tempDir("medchain-twin-");
  let t: TestNode;
  let maker: RecordKeys, wholesaler: RecordKeys, pharmacy: RecordKeys, other: RecordKeys;
  const lower = (k: RecordKeys): `0x${string}` => k.account.address.toLowerCase() as `0x${string}`;

  async function register(address: string, kind: string, gln: string, companyPrefix?: string): Promise<void> {
    const token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
    const res = await fetch(`${t.node.url}/admin/partners`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ account: address, kind, gln, ...(companyPrefix === undefined ? {} : { companyPrefix }) }),
    });
    assert.equal(res.status, 200, await res.text());
  }
  const chainOwner = (n: number): Promise<string> =>
    t.node.ctx.client
      .readContract({
        address: t.node.ctx.deployment.digitalTwin,
        abi: digitalTwinAbi,
        functionName: "ownerOf",
        args: [twinTokenId(twinUnitKey(KEY(n)))],
      })
      .then((a) => a.toLowerCase());
  const balance = (k: RecordKeys): Promise<bigint> =>
    t.node.ctx.client.readContract({
      address: t.node.ctx.deployment.digitalTwin,
      abi: digitalTwinAbi,
      functionName: "balanceOf",
      args: [k.account.address],
    });
  const relayTwin = (k: RecordKeys, data: `0x${string}`) =>
    relayCall(t.client, k.account, t.node.ctx.deployment.digitalTwin, data);

  before(async () => {
    t = await startTestNode({ dataDir });
    [maker, wholesaler, pharmacy, other] = (await Promise.all(
      Array.from({ length: 4 }, () => newIdentity(t.client)),
    )) as [RecordKeys, RecordKeys, RecordKeys, RecordKeys];
    await register(maker.account.address, "manufacturer", MAKER_GLN, "030001");
    await register(wholesaler.account.address, "wholesaler", WHOLESALER_GLN);
    await register(pharmacy.account.address, "dispenser", PHARMACY_GLN);
    await register(other.account.address, "dispenser", OTHER_GLN);
    await captureDocument(t.client, maker.account, doc([commission("2026-01-10T08:00:00Z", [UNIT(1), UNIT(2)])]));
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("mints lazily with a commissioning proof, once", async () => {
    assert.equal((await t.client.verify(UNIT(1))).twin, null, "no twin until someone wants one");
    await expectCode(t.client.supplyTwin(UNIT(1)), "TwinNotFound");
    const missing = await fetch(`${t.node.url}/supply/twins/${twinUnitKey(KEY(1))}`);
    assert.deepEqual([missing.status, ((await missing.json()) as { code: string }).code], [404, "TwinNotFound"]);
    const malformed = await fetch(`${t.node.url}/supply/twins/0x1234`);
    assert.deepEqual([malformed.status, ((await malformed.json()) as { code: string }).code], [400, "InvalidInput"]);
    // only the commissioning manufacturer has an event to prove; the chain refuses another partner even with its proof
    await expectCode(mintTwin(t.client, wholesaler.account, UNIT(1)), "EventNotProven");
    const v = await t.client.verify(UNIT(1));
    const commissioning = v.proofs[0];
    assert.ok(commissioning !== undefined);
    await expectCode(
      relayTwin(
        wholesaler,
        encodeFunctionData({
          abi: digitalTwinAbi,
          functionName: "mintTwin",
          args: [
            BigInt(commissioning.anchorId),
            commissioning.eventHash,
            commissioning.proof,
            twinUnitKey(KEY(1)),
            lower(wholesaler),
          ],
        }),
      ),
      "AccessDenied",
    );

    const minted = await mintTwin(t.client, maker.account, `(01)${GTIN}(21)1(17)301231(10)L1`);
    assert.deepEqual(
      [minted.unitKey, minted.owner, minted.eventHash],
      [twinUnitKey(KEY(1)), lower(maker), commissioning.eventHash],
    );
    assert.equal(await chainOwner(1), lower(maker));
    const twin = (await t.client.supplyTwin(UNIT(1))).twin;
    assert.deepEqual(
      [twin.owner, twin.manufacturer, twin.decommissioned, twin.custody.map((s) => [s.kind, s.from, s.to, s.check])],
      [lower(maker), lower(maker), false, [["minted", null, lower(maker), "ok"]]],
    );
    assert.deepEqual(await t.client.supplyTwinByKey(twin.unitKey), twin);
    assert.equal(
      (await t.client.verify(UNIT(1))).twin?.owner,
      lower(maker),
      "the verify answer names the twin's custodian",
    );
    // the same unit from another scan form is the same twin: minting it again is refused by the chain
    await expectCode(mintTwin(t.client, maker.account, `https://id.gs1.org/01/${GTIN}/21/1`), "TwinExists");
  });

  it(
    "custody follows proven shipments, one owner at a " + "time; no proven event or a non-custodian is refused",
    async () => {
      // no shipment anchored yet: nothing to prove (client side), and a made-up event fails the chain's proof check
      await expectCode(transferTwin(t.client, maker.account, UNIT(1)), "EventNotProven");
      const v = await t.client.verify(UNIT(1));
      const anchorId = BigInt(v.journey[0]?.anchorId ?? "0");
      await expectCode(
        relayTwin(
          maker,
          encodeFunctionData({
            abi: digitalTwinAbi,
            functionName: "transferCustody",
            args: [twinTokenId(twinUnitKey(KEY(1))), lower(wholesaler), anchorId, keccak256(randomBytes(32)), []],
          }),
        ),
        "EventNotProven",
      );
      // ERC-721 transfers are disabled, even for the owner
      await expectCode(
        relayTwin(
          maker,
          encodeFunctionData({
            abi: digitalTwinAbi,
            functionName: "transferFrom",
            args: [maker.account.address, wholesaler.account.address, twinTokenId(twinUnitKey(KEY(1)))],
          }),
        ),
        "AccessDenied",
      );

      await captureDocument(
        t.client,
        maker.account,
        doc([ship("2026-01-11T08:00:00Z", [UNIT(1)], MAKER_GLN, WHOLESALER_GLN)]),
      );
      const moved = await transferTwin(t.client, maker.account, UNIT(1)); // the recipient is the shipment's destination
      assert.equal(moved.owner, lower(wholesaler));
      assert.deepEqual(
        [await chainOwner(1), await balance(maker), await balance(wholesaler)],
        [lower(wholesaler), 0n, 1n],
      );
      // the maker still has its proven shipment, but no longer holds the twin
      const notHeld = await expectCode(transferTwin(t.client, maker.account, UNIT(1)), "NotCustodian");
      assert.equal(notHeld.details?.contractError, "TwinNotCustodian");

      await captureDocument(
        t.client,
        wholesaler.account,
        doc([
          event("receiving", "2026-01-12T08:00:00Z", [UNIT(1)], WHOLESALER_GLN),
          ship("2026-01-13T08:00:00Z", [UNIT(1)], WHOLESALER_GLN, PHARMACY_GLN),
        ]),
      );
      await expectCode(transferTwin(t.client, wholesaler.account, UNIT(1), { to: lower(other) }), "InvalidInput");
      await transferTwin(t.client, wholesaler.account, UNIT(1), { to: lower(pharmacy) });
      assert.deepEqual(
        [await chainOwner(1), await balance(wholesaler), await balance(pharmacy)],
        [lower(pharmacy), 0n, 1n],
      );
    },
  );

  it("decommissioned at dispense, for good", async () => {
    await expectCode(decommissionTwin(t.client, pharmacy.account, UNIT(1)), "EventNotProven");
    await captureDocument(
      t.client,
      pharmacy.account,
      doc([
        event("receiving", "2026-01-14T08:00:00Z", [UNIT(1)], PHARMACY_GLN),
        event("dispensing", "2026-01-15T08:00:00Z", [UNIT(1)], PHARMACY_GLN),
      ]),
    );
    // another dispenser (not the custodian) cannot burn it
    await captureDocument(
      t.client,
      other.account,
      doc([event("dispensing", "2026-01-16T08:00:00Z", [UNIT(2)], OTHER_GLN)]),
    );
    await mintTwin(t.client, maker.account, UNIT(2));
    await expectCode(decommissionTwin(t.client, other.account, UNIT(2)), "NotCustodian");

    const burned = await decommissionTwin(t.client, pharmacy.account, UNIT(1));
    assert.equal(burned.owner, null);
    assert.equal(
      await t.node.ctx.client.readContract({
        address: t.node.ctx.deployment.digitalTwin,
        abi: digitalTwinAbi,
        functionName: "isDecommissioned",
        args: [twinTokenId(twinUnitKey(KEY(1)))],
      }),
      true,
    );
    assert.equal(await balance(pharmacy), 0n);
    await expectCode(decommissionTwin(t.client, pharmacy.account, UNIT(1)), "TwinDecommissioned");
    await expectCode(mintTwin(t.client, maker.account, UNIT(1)), "TwinExists");

    const v = await t.client.verify(UNIT(1));
    assert.equal(v.verdict, "dispensed");
    assert.deepEqual([v.twin?.owner, v.twin?.decommissioned], [null, true]);
    assert.deepEqual(
      v.twin?.custody.map((s) => [s.kind, s.from, s.to, s.check]),
      [
        ["minted", null, lower(maker), "ok"],
        ["transferred", lower(maker), lower(wholesaler), "ok"],
        ["transferred", lower(wholesaler), lower(pharmacy), "ok"],
        ["decommissioned", lower(pharmacy), null, "ok"],
      ],
    );
    assert.ok(!v.reasons.some((r) => r.code === "TWIN_MISMATCH"));
  });

  it(
    "a twin step proving an event about another unit passes " +
      "the chain but the index flags it and the scan is suspect",
    async () => {
      await captureDocument(t.client, maker.account, doc([commission("2026-01-20T08:00:00Z", [UNIT(3)])]));
      const proof = (await t.client.verify(UNIT(3))).proofs[0];
      assert.ok(proof !== undefined);
      // unit 4 was never commissioned; the maker mints its twin with unit 3's commissioning proof
      await relayTwin(
        maker,
        encodeFunctionData({
          abi: digitalTwinAbi,
          functionName: "mintTwin",
          args: [BigInt(proof.anchorId), proof.eventHash, proof.proof, twinUnitKey(KEY(4)), lower(maker)],
        }),
      );
      const v = await t.client.verify(UNIT(4));
      assert.deepEqual(
        v.twin?.custody.map((s) => s.check),
        ["EVENT_OTHER_UNIT"],
      );
      assert.deepEqual(
        v.reasons.map((r) => r.code),
        ["NO_TRACE", "TWIN_MISMATCH"],
      );
      assert.equal(v.verdict, "unknown");
    },
  );

  it("from the CLI: twin mint, transfer, decommission and show, with --json and typed errors", async () => {
    const home = tempDir("medchain-home-");
    const cli = cliRunner({ home, node: () => t.node.url });
    try {
      const maker2 = await cli(["key", "new", "maker2", "--json"]);
      const pharm2 = await cli(["key", "new", "pharm2", "--json"]);
      assert.equal(maker2.code, 0, maker2.stdout + maker2.stderr);
      const partner = await cli([
        "supply",
        "partner",
        "add",
        "maker2",
        "--kind",
        "manufacturer",
        "--gln",
        withCheckDigit("030002111111"),
        "--prefix",
        "030002",
        "--data-dir",
        t.dataDir,
        "--json",
      ]);
      assert.equal(partner.code, 0, partner.stdout + partner.stderr);
      await register(String(pharm2.json.address), "dispenser", withCheckDigit("039999555555"));
      const unit = "urn:epc:id:sgtin:030002.0054321.77";
      const capture = async (as: string, events: Record<string, unknown>[]): Promise<void> => {
        const file = join(home, `${as}-${Date.now()}.json`);
        writeFileSync(file, JSON.stringify(doc(events)));
        const r = await cli(["supply", "capture", file, "--as", as, "--json"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
      };
      await capture("maker2", [event("commissioning", "2026-02-01T08:00:00Z", [unit], withCheckDigit("030002111111"))]);

      const mint = await cli(["supply", "twin", "mint", unit, "--as", "maker2", "--json"]);
      assert.equal(mint.code, 0, mint.stdout + mint.stderr);
      assert.equal(mint.json.owner, String(maker2.json.address).toLowerCase());
      assert.equal((await cli(["supply", "twin", "mint", unit, "--as", "maker2", "--json"])).json.code, "TwinExists");
      assert.equal(
        (await cli(["supply", "twin", "transfer", unit, "--as", "maker2", "--json"])).json.code,
        "EventNotProven",
      );

      await capture("maker2", [
        ship("2026-02-02T08:00:00Z", [unit], withCheckDigit("030002111111"), withCheckDigit("039999555555")),
      ]);
      const moved = await cli(["supply", "twin", "transfer", unit, "--as", "maker2", "--to", "pharm2", "--json"]);
      assert.equal(moved.code, 0, moved.stdout + moved.stderr);
      assert.equal(moved.json.owner, String(pharm2.json.address).toLowerCase());
      const shown = await cli(["supply", "twin", "show", unit, "--json"]);
      assert.equal((shown.json.twin as { owner: string }).owner, String(pharm2.json.address).toLowerCase());
      assert.match((await cli(["supply", "twin", "show", unit])).stdout, /custodian 0x[0-9a-f]{40}/);

      await capture("pharm2", [
        event("receiving", "2026-02-03T08:00:00Z", [unit], withCheckDigit("039999555555")),
        event("dispensing", "2026-02-04T08:00:00Z", [unit], withCheckDigit("039999555555")),
      ]);
      assert.equal(
        (await cli(["supply", "twin", "decommission", unit, "--as", "maker2", "--json"])).json.code,
        "EventNotProven",
      );
      const burned = await cli(["supply", "twin", "decommission", unit, "--as", "pharm2", "--json"]);
      assert.equal(burned.code, 0, burned.stdout + burned.stderr);
      assert.match((await cli(["supply", "twin", "show", unit])).stdout, /DECOMMISSIONED/);
      assert.equal(
        (await cli(["supply", "twin", "show", "urn:epc:id:sgtin:030002.0054321.78", "--json"])).json.code,
        "TwinNotFound",
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("the twins, their custody checks and the stored proofs are rebuilt identically from the chain", async () => {
    const scans = [UNIT(1), UNIT(2), UNIT(4), "urn:epc:id:sgtin:030002.0054321.77"];
    const before = await Promise.all(scans.map((s) => t.client.verify(s)));
    await t.close();
    t = await startTestNode({ dataDir, reindex: true });
    assert.deepEqual(await Promise.all(scans.map((s) => t.client.verify(s))), before);
  });
});
