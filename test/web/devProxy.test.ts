/**
 * The web dev server (`npx vite web`) proxies every API path to the node,
 * whatever slice serves it (the config names none), and keeps page
 * navigations and its own files for the app. The "node" here is a loopback
 * echo server that reports the path it received.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createServer, type ViteDevServer } from "vite";

const WEB = join(import.meta.dirname, "..", "..", "web");

describe("web dev proxy", () => {
  let echo: Server;
  let vite: ViteDevServer;
  let base = "";

  before(async () => {
    echo = createHttpServer((req, res) =>
      res.setHeader("content-type", "application/json").end(JSON.stringify({ proxied: req.url })),
    );
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    process.env.MEDCHAIN_NODE = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    vite = await createServer({
      configFile: join(WEB, "vite.config.ts"),
      server: { port: 0, host: "127.0.0.1" },
      logLevel: "silent",
    });
    await vite.listen();
    base = `http://127.0.0.1:${(vite.httpServer?.address() as AddressInfo).port}`;
  });
  after(async () => {
    await vite?.close();
    await new Promise<void>((r) => echo.close(() => r()));
    delete process.env.MEDCHAIN_NODE;
  });

  it(
    "sends every slice's API path to the node (the identity " + "slice's /trust, /gov and /credentials included)",
    async () => {
      for (const path of [
        "/trust/issuers",
        "/gov/proposals/1",
        "/credentials/challenge",
        "/records?owner=0x01",
        "/supply/verify?scan=x",
        "/health",
        "/openapi.json",
      ]) {
        const res = await fetch(`${base}${path}`, { headers: { accept: "application/json" } });
        assert.deepEqual(await res.json(), { proxied: path }, path);
      }
    },
  );

  it("keeps page navigations and its own modules for the app", async () => {
    const page = await fetch(`${base}/patient`, { headers: { accept: "text/html" } });
    assert.match(await page.text(), /^<!doctype html>/i);
    const mod = await fetch(`${base}/src/main.tsx`);
    assert.doesNotMatch(await mod.text(), /proxied/);
  });
});
