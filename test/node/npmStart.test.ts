/**
 * `npm start` exactly as the README says, on a fresh data dir: it prints the
 * URL it listens on, the web portal answers there, /health answers with chain
 * id, block number, db and store status, and SIGTERM stops it cleanly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { tempDir } from "../support/testNode.ts";

describe("npm start", () => {
  it("serves /health on the URL it prints, and stops on SIGTERM", async () => {
    const dataDir = tempDir();
    const child = spawn("npm", ["start", "--silent", "--", "--data-dir", dataDir, "--port", "0"], {
      cwd: resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, MEDCHAIN_LOG_LEVEL: "warn" },
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    try {
      const url = await new Promise<string>((res, rej) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = out.match(/medchain node listening on (http:\/\/\S+)/);
          if (m?.[1] !== undefined) res(m[1]);
        });
        void exited.then((code) => rej(new Error(`npm start exited ${code}: ${err.slice(-1500)}`)));
      });
      const health = (await (await fetch(`${url}/health`)).json()) as {
        status: string;
        chain: { chainId: number; blockNumber: number };
        db: { ok: boolean; kind: string };
        store: { ok: boolean; kind: string };
      };
      assert.equal(health.status, "ok");
      assert.equal(health.chain.chainId, 31337);
      assert.ok(health.chain.blockNumber >= 3);
      assert.deepEqual(
        [health.db.kind, health.db.ok, health.store.kind, health.store.ok],
        ["pglite", true, "fs", true],
      );
      assert.match(out, /api docs\s+http:\/\/\S+\/openapi\.json/);
      assert.match(out, /portal\s+http:\/\/\S+\//);
      const portal = await fetch(`${url}/`, { headers: { accept: "text/html" } });
      assert.match(await portal.text(), /<div id="root"><\/div>/, "the web portal is served at the printed URL");
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
    }
    await exited; // npm itself may exit by the signal; the node under it must have stopped cleanly
    await new Promise((r) => setTimeout(r, 200));
    assert.match(err, /SIGTERM: stopping medchain node[\s\S]*stopped cleanly/);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
