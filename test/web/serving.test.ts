/**
 * The node serves the portal at `/` next to its API: the app's own paths
 * answer browsers with the app (so a reload on /patient works) while API
 * clients keep their problem+json 404; hashed assets are cached for good and
 * served compressed; HTML carries a Content-Security-Policy; without a build
 * the node says how to make one. The build itself is skipped when fresh.
 * And the read-only routes the pages use: a patient's writers, a partner's
 * anchors, one anchor's events with proofs that the chain accepts, recalls.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { ensureWebBuild, WEB_DIST } from "../../src/node/web/webBuild.ts";
import { PORTAL_CSP, webPortal } from "../../src/node/web/web.routes.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { captureDocument, recallLot } from "../../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { supplyAnchorAbi } from "../../src/chain/generated/contracts.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { registerPartner } from "../support/roles.ts";
import { expectCode } from "../support/assertions.ts";

describe("the node serves the web portal and the read-only routes of its pages", () => {
  let t: TestNode;
  before(async () => {
    await ensureWebBuild();
    t = await startTestNode();
  });
  after(async () => t?.close());

  it("a second build check finds the build fresh and does nothing", async () => {
    const r = await ensureWebBuild();
    assert.equal(r.status, "fresh");
  });

  it(
    "/ and the app's paths answer browsers with the app, " + "under a CSP; API clients still get problem+json",
    async () => {
      for (const path of ["/", "/patient", "/clinician?patient=0x1", "/medicine", "/partner", "/no-such-page"]) {
        const res = await fetch(`${t.node.url}${path}`, { headers: { accept: "text/html,application/xhtml+xml" } });
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
        assert.equal(res.headers.get("content-security-policy"), PORTAL_CSP);
        assert.match(await res.text(), /<div id="root"><\/div>/);
      }
      const api = await fetch(`${t.node.url}/patient`, { headers: { accept: "application/json" } });
      assert.equal(api.status, 404);
      assert.deepEqual(
        [api.headers.get("content-type"), ((await api.json()) as { code: string }).code],
        ["application/problem+json; charset=utf-8", "NotFound"],
      );
      const health = await fetch(`${t.node.url}/health`, { headers: { accept: "text/html" } });
      assert.equal(((await health.json()) as { status: string }).status, "ok");
      const missing = await fetch(`${t.node.url}/assets/nope.js`, { headers: { accept: "text/html" } });
      assert.equal(missing.status, 404);
    },
  );

  it("hashed assets are immutable and served compressed to browsers that accept it", async () => {
    const js = readdirSync(join(WEB_DIST, "assets")).find((f) => /^index-.*\.js$/.test(f));
    assert.ok(js !== undefined);
    const res = await fetch(`${t.node.url}/assets/${js}`, { headers: { "accept-encoding": "br, gzip" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), "br");
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(res.headers.get("content-type") ?? "", /javascript/);
    assert.ok((await res.text()).length > 10_000, "fetch decodes the brotli body");
  });

  it("without a build, / says how to make one and the API still works", async () => {
    const empty = mkdtempSync(join(tmpdir(), "medchain-nodist-"));
    const app = Fastify();
    const portal = webPortal(join(empty, "dist"));
    await app.register(portal.plugin);
    app.setNotFoundHandler((req, reply) => portal.notFound(req, reply) ?? reply.status(404).send({ code: "NotFound" }));
    try {
      const res = await app.inject({ method: "GET", url: "/", headers: { accept: "text/html" } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /portal is not built.*npm install/s);
      assert.equal(
        (await app.inject({ method: "GET", url: "/patient", headers: { accept: "text/html" } })).statusCode,
        404,
      );
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it(
    "read-only routes of the pages: writers, anchors with " + "proofs the chain accepts, recalls; typed errors",
    async () => {
      const [patient, clinic, maker] = await Promise.all([
        newIdentity(t.client),
        newIdentity(t.client),
        newIdentity(t.client),
      ]);
      assert.deepEqual(await t.client.writers(patient.account.address), []);
      await authorizeWriter(t.client, patient, clinic.account.address);
      assert.deepEqual(
        (await t.client.writers(patient.account.address)).map((w) => w.writer),
        [clinic.account.address.toLowerCase()],
      );
      const bad = await fetch(`${t.node.url}/records/writers?owner=nope`);
      assert.deepEqual([bad.status, ((await bad.json()) as { code: string }).code], [400, "InvalidInput"]);

      const gln = withCheckDigit("080001111111");
      await registerPartner(t, maker.account.address, "manufacturer", gln, "080001");
      const sgln = `urn:epc:id:sgln:${gln.slice(0, 6)}.${gln.slice(6, 12)}.0`;
      const doc = {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        type: "EPCISDocument",
        schemaVersion: "2.0",
        creationDate: "2026-01-01T00:00:00Z",
        epcisBody: {
          eventList: [1, 2, 3].map((n) => ({
            type: "ObjectEvent",
            eventTime: `2026-01-0${n}T08:00:00Z`,
            eventTimeZoneOffset: "+00:00",
            bizStep: "commissioning",
            action: "ADD",
            epcList: [`urn:epc:id:sgtin:080001.0012345.${n}`],
            readPoint: { id: sgln },
          })),
        },
      };
      const captured = await captureDocument(t.client, maker.account, doc);
      const anchors = await t.client.anchors(maker.account.address);
      assert.deepEqual(
        anchors.map((a) => [a.anchorId, a.count, a.status]),
        [[captured.anchorId, 3, "indexed"]],
      );
      const detail = await t.client.anchorDetail(captured.anchorId);
      assert.equal(detail.chainRoot, captured.root);
      assert.equal(detail.events.length, 3);
      for (const e of detail.events) {
        const ok = await t.node.ctx.client.readContract({
          address: t.node.ctx.deployment.supplyAnchor,
          abi: supplyAnchorAbi,
          functionName: "verifyEvent",
          args: [BigInt(captured.anchorId), e.eventHash, e.proof],
        });
        assert.equal(ok, true);
      }
      await expectCode(t.client.anchorDetail("999999"), "NotFound");
      const gtin = withCheckDigit("0080001012345");
      await recallLot(t.client, maker.account, { gtin, companyPrefix: "080001", lot: "L1", reason: "mislabelled" });
      const recalls = await t.client.recalls();
      assert.deepEqual(
        recalls.map((r) => [r.gtin, r.lot, r.reason, r.manufacturer, r.active]),
        [[gtin, "L1", "mislabelled", maker.account.address.toLowerCase(), true]],
      );
    },
  );
});
