/**
 * A wholesaler proves it is an authorized trading partner with a credential, on a real node: the consortium
 * accredits a GS1 issuer by governance vote and timelock; the issuer issues the wholesaler a trading-partner
 * credential whose claims (kind, GLN, company prefix) it binds on chain; the wholesaler joins with it (gasless)
 * and captures receiving and shipping events; once the issuer revokes the credential the next capture is refused
 * with `CredentialRevoked`, and nothing is anchored; the partner list shows why (`CredentialRevoked`) until the
 * partner renews with a new credential for the same claims, after which it captures again. A partner claiming a GLN
 * other than the attested one is
 * refused with `PartnerClaimsMismatch`, another account presenting the credential with `NotCredentialSubject`.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { encodeFunctionData } from "viem";
import { supplyAnchorAbi, tradingPartnersAbi, trustRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { issueAndRegister, revokeCredential } from "../../src/identity/sdk/credentialClient.ts";
import { CREDENTIAL_TYPES, tradingPartnerClaimsDigest } from "../../src/identity/sdk/index.ts";
import { captureDocument } from "../../src/supply/sdk/captureDocument.ts";
import { joinWithCredential, renewWithCredential } from "../../src/supply/sdk/joinWithCredential.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { relayCall } from "../../src/kernel/relay/relayCall.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, newKeys, startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner } from "../support/cli.ts";
import { expectCode } from "../support/assertions.ts";
import { accredit } from "../support/identity.ts";

const WHOLESALER_GLN = withCheckDigit("041111111111");
const OTHER_GLN = withCheckDigit("041111222222");
const WHOLESALER_PREFIX = "0411111";
const PALLET = "urn:epc:id:sscc:041111.12345678901";

const sgln = (gln: string): string => `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;
function doc(bizStep: string, time: string): Record<string, unknown> {
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: time,
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          action: "OBSERVE",
          bizStep,
          epcList: [PALLET],
          readPoint: { id: sgln(WHOLESALER_GLN) },
        },
      ],
    },
  };
}

describe("identity: a wholesaler earns the trading-partner right with a credential", () => {
  let t: TestNode;
  let gs1: RecordKeys, wholesaler: RecordKeys;
  const now = (): Date => new Date(Math.floor(Date.now() / 1000) * 1000);
  const issue = (subject: `0x${string}`, gln: string): ReturnType<typeof issueAndRegister> =>
    issueAndRegister(t.client, gs1.account, {
      type: CREDENTIAL_TYPES.TradingPartner,
      subject,
      claims: { gln, companyPrefix: WHOLESALER_PREFIX, role: "wholesaler" },
      validFrom: now(),
      validUntil: new Date(now().getTime() + 30 * 86400_000),
    });
  const batchCount = (): Promise<bigint> =>
    t.node.ctx.client.readContract({
      address: t.node.ctx.deployment.supplyAnchor,
      abi: supplyAnchorAbi,
      functionName: "batchCount",
    });

  before(async () => {
    t = await startTestNode();
    [gs1, wholesaler] = await Promise.all([newKeys(), newIdentity(t.client)]);
    await accredit(t, gs1.account.address, CREDENTIAL_TYPES.TradingPartner);
  });
  const home = tempDir("medchain-home-");
  const cli = cliRunner({ home, node: () => t.node.url });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it(
    "joins with its credential, captures receiving and shipping, " +
      "and is refused with CredentialRevoked once revoked",
    async () => {
      const credential = await issue(wholesaler.account.address, WHOLESALER_GLN);
      const { ctx } = t.node;
      // the issuer bound the claims' digest (business data) next to the credential
      const bound = await ctx.client.readContract({
        address: ctx.deployment.trustRegistry,
        abi: trustRegistryAbi,
        functionName: "claimsDigestOf",
        args: [credential.credentialId],
      });
      assert.equal(
        bound,
        tradingPartnerClaimsDigest({ gln: WHOLESALER_GLN, companyPrefix: WHOLESALER_PREFIX, role: "wholesaler" }),
      );

      const joined = await joinWithCredential(t.client, wholesaler.account, credential.jwt);
      assert.deepEqual([joined.role, joined.kind, joined.gln], ["wholesaler", 3, WHOLESALER_GLN]);
      const partner = await ctx.client.readContract({
        address: ctx.deployment.tradingPartners,
        abi: tradingPartnersAbi,
        functionName: "partnerOf",
        args: [wholesaler.account.address],
      });
      assert.deepEqual(
        [partner.kind, partner.gln.toString().padStart(13, "0"), partner.active],
        [3, WHOLESALER_GLN, true],
      );
      const listed = await t.client.supplyPartners();
      assert.ok(listed.some((p) => p.account === wholesaler.account.address.toLowerCase() && p.gln === WHOLESALER_GLN));

      const received = await captureDocument(t.client, wholesaler.account, doc("receiving", "2026-01-05T08:00:00Z"));
      assert.equal(received.events, 1);
      const shipped = await captureDocument(t.client, wholesaler.account, doc("shipping", "2026-01-06T08:00:00Z"));
      assert.equal(shipped.status, "indexed");

      await revokeCredential(t.client, gs1.account, credential.id);
      const before = await batchCount();
      // the node's capture path refuses with the trust error, and so does the chain when anchored directly
      await expectCode(
        captureDocument(t.client, wholesaler.account, doc("shipping", "2026-01-07T08:00:00Z")),
        "CredentialRevoked",
      );
      await expectCode(
        relayCall(
          t.client,
          wholesaler.account,
          ctx.deployment.supplyAnchor,
          encodeFunctionData({
            abi: supplyAnchorAbi,
            functionName: "anchorBatch",
            args: [`0x${"ab".repeat(32)}`, 1, `0x${"00".repeat(32)}`],
          }),
        ),
        "CredentialRevoked",
      );
      assert.equal(await batchCount(), before);

      // the partner list says why it may not act now
      const me = (): Promise<Awaited<ReturnType<typeof t.client.supplyPartners>>[number] | undefined> =>
        t.client.supplyPartners().then((ps) => ps.find((p) => p.account === wholesaler.account.address.toLowerCase()));
      assert.deepEqual(await me(), {
        account: wholesaler.account.address.toLowerCase(),
        kind: 3,
        gln: WHOLESALER_GLN,
        active: true,
        credentialId: credential.credentialId,
        mayAct: false,
        reason: "CredentialRevoked",
      });

      // it cannot join again, nor renew with a credential attesting another GLN; it renews with a new one for its
      // claims
      const renewal = await issue(wholesaler.account.address, WHOLESALER_GLN);
      await expectCode(joinWithCredential(t.client, wholesaler.account, renewal.jwt), "InvalidInput");
      const moved = await issue(wholesaler.account.address, withCheckDigit("041111555555"));
      await expectCode(renewWithCredential(t.client, wholesaler.account, moved.jwt), "PartnerClaimsChanged");
      await expectCode(renewWithCredential(t.client, wholesaler.account, credential.jwt), "CredentialAlreadyBound");
      const renewed = await renewWithCredential(t.client, wholesaler.account, renewal.jwt);
      assert.deepEqual([renewed.credentialId, renewed.gln, renewed.kind], [renewal.credentialId, WHOLESALER_GLN, 3]);
      const after = await me();
      assert.deepEqual([after?.credentialId, after?.mayAct, after?.reason], [renewal.credentialId, true, null]);
      const again = await captureDocument(t.client, wholesaler.account, doc("shipping", "2026-01-07T08:00:00Z"));
      assert.equal(again.status, "indexed");
      assert.equal(await batchCount(), before + 1n);
    },
  );

  it(
    "a GLN other than the attested one is refused with " +
      "PartnerClaimsMismatch, another holder with NotCredentialSubject",
    async () => {
      const other = await newIdentity(t.client);
      const credential = await issue(other.account.address, OTHER_GLN);
      await expectCode(
        joinWithCredential(t.client, other.account, credential.jwt, { gln: withCheckDigit("041111333333") }),
        "PartnerClaimsMismatch",
      );
      const thief = await newKeys();
      await expectCode(joinWithCredential(t.client, thief.account, credential.jwt), "NotCredentialSubject");
      const { ctx } = t.node;
      assert.equal(
        await ctx.client.readContract({
          address: ctx.deployment.tradingPartners,
          abi: tradingPartnersAbi,
          functionName: "isActivePartner",
          args: [other.account.address],
        }),
        false,
      );
      // with the attested claims it joins
      await joinWithCredential(t.client, other.account, credential.jwt);
      assert.equal(
        await ctx.client.readContract({
          address: ctx.deployment.tradingPartners,
          abi: tradingPartnersAbi,
          functionName: "credentialOf",
          args: [other.account.address],
        }),
        credential.credentialId,
      );
    },
  );

  it(
    "from the CLI: credential issue --type trading-partner " +
      "binds the claims, supply partner join registers the holder",
    async () => {
      const ok = async (args: string[]): Promise<Record<string, unknown>> => {
        const r = await cli([...args, "--json"]);
        assert.equal(r.code, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
        return r.json;
      };
      const issuer = (await ok(["key", "new", "gs1-us"])).address as `0x${string}`;
      const acme = (await ok(["key", "new", "acme-wholesale"])).address as `0x${string}`;
      await accredit(t, issuer, CREDENTIAL_TYPES.TradingPartner);
      const gln = withCheckDigit("041111444444");
      const file = join(home, "acme.jwt");
      const issued = await ok([
        "credential",
        "issue",
        "--type",
        "trading-partner",
        "--subject",
        "acme-wholesale",
        "--as",
        "gs1-us",
        "--gln",
        gln,
        "--company-prefix",
        WHOLESALER_PREFIX,
        "--role",
        "wholesaler",
        "--days",
        "30",
        "--out",
        file,
      ]);
      const { ctx } = t.node;
      const bound = await ctx.client.readContract({
        address: ctx.deployment.trustRegistry,
        abi: trustRegistryAbi,
        functionName: "claimsDigestOf",
        args: [issued.credentialId as `0x${string}`],
      });
      assert.equal(bound, tradingPartnerClaimsDigest({ gln, companyPrefix: WHOLESALER_PREFIX, role: "wholesaler" }));
      const joined = await ok(["supply", "partner", "join", "--credential", file, "--as", "acme-wholesale"]);
      assert.deepEqual(
        [joined.account, joined.role, joined.gln, joined.credentialId],
        [acme.toLowerCase(), "wholesaler", gln, issued.credentialId],
      );
      const again = await cli(["supply", "partner", "join", "--credential", file, "--as", "acme-wholesale", "--json"]);
      assert.deepEqual([again.code, again.json.code], [1, "InvalidInput"], again.stdout);
      const listed = await ok(["supply", "partner", "list"]);
      assert.ok((listed.partners as { account: string }[]).some((p) => p.account === acme.toLowerCase()));

      // renewal ahead of expiry: a new credential for the same claims; the current one again is refused
      const file2 = join(home, "acme-2.jwt");
      const reissued = await ok([
        "credential",
        "issue",
        "--type",
        "trading-partner",
        "--subject",
        "acme-wholesale",
        "--as",
        "gs1-us",
        "--gln",
        gln,
        "--company-prefix",
        WHOLESALER_PREFIX,
        "--role",
        "wholesaler",
        "--days",
        "60",
        "--out",
        file2,
      ]);
      const renewed = await ok(["supply", "partner", "renew", "--credential", file2, "--as", "acme-wholesale"]);
      assert.deepEqual([renewed.account, renewed.credentialId], [acme.toLowerCase(), reissued.credentialId]);
      const stale = await cli([
        "supply",
        "partner",
        "renew",
        "--credential",
        file2,
        "--as",
        "acme-wholesale",
        "--json",
      ]);
      assert.deepEqual([stale.code, stale.json.code], [1, "CredentialAlreadyBound"], stale.stdout);
      const relisted = await ok(["supply", "partner", "list"]);
      const acmeRow = (
        relisted.partners as { account: string; credentialId: string | null; mayAct: boolean; reason: string | null }[]
      ).find((p) => p.account === acme.toLowerCase());
      assert.deepEqual([acmeRow?.credentialId, acmeRow?.mayAct, acmeRow?.reason], [reissued.credentialId, true, null]);
    },
  );
});
