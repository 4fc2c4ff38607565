/**
 * The node serves the portal at `/` next to its API: the app's own paths
 * answer browsers with the app (so a reload on /patient works) while API
 * clients keep their problem+json 404; hashed assets are cached for good and
 * served compressed; HTML carries a Content-Security-Policy; without a build
 * the node says how to make one. The build itself is skipped when fresh.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { ensureWebBuild, WEB_DIST } from "../../src/node/web/webBuild.ts";
import { PORTAL_CSP, webPortal } from "../../src/node/web/web.routes.ts";
import { startTestNode, type TestNode } from "../support/testNode.ts";

describe("the node serves the web portal", () => {
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

  it("/ and the app's paths answer browsers with the app, under a CSP; API clients still get problem+json", async () => {
    for (const path of ["/", "/patient", "/clinician?patient=0x1", "/medicine", "/partner", "/no-such-page"]) {
      const res = await fetch(`${t.node.url}${path}`, { headers: { accept: "text/html,application/xhtml+xml" } });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(res.headers.get("content-security-policy"), PORTAL_CSP);
      assert.match(await res.text(), /<div id="root"><\/div>/);
    }
    const api = await fetch(`${t.node.url}/patient`, { headers: { accept: "application/json" } });
    assert.equal(api.status, 404);
    assert.deepEqual([api.headers.get("content-type"), (await api.json() as { code: string }).code], ["application/problem+json; charset=utf-8", "NotFound"]);
    const health = await fetch(`${t.node.url}/health`, { headers: { accept: "text/html" } });
    assert.equal((await health.json() as { status: string }).status, "ok");
    const missing = await fetch(`${t.node.url}/assets/nope.js`, { headers: { accept: "text/html" } });
    assert.equal(missing.status, 404);
  });

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
      assert.equal((await app.inject({ method: "GET", url: "/patient", headers: { accept: "text/html" } })).statusCode, 404);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
