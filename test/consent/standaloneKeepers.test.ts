/**
 * Cluster profile: three keepers as their own processes (`medchain keeper
 * start`), each reading the chain through its own RPC connection. A grantee
 * reads through them; with one keeper killed reads still work (2 of 3); with
 * two killed they fail with KeepersUnavailable; the patient's audit from the
 * surviving keeper verifies against the chain.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import pino from "pino";
import { startNode, type RunningNode } from "../../src/node/startNode.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { categoryMask } from "../../src/kernel/categories.ts";
import { grantAccess } from "../../src/consent/sdk/grants.ts";
import { readAudit } from "../../src/audit/sdk/readAudit.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newIdentity, tempDir } from "../support/testNode.ts";
import { CLI } from "../support/nodeProcess.ts";
import { expectCode } from "../support/assertions.ts";
import { readJson, smallSyntheaFile } from "../support/fixtures.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr !== null ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function spawnKeeper(args: string[]): Promise<{ child: ChildProcess; url: string; address: string }> {
  const child = spawn(process.execPath, [CLI, "keeper", "start", "--json", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MEDCHAIN_LOG_LEVEL: "warn" },
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      try {
        const j = JSON.parse(out) as { url?: string; address?: string; code?: string };
        if (typeof j.url === "string" && typeof j.address === "string")
          resolve({ child, url: j.url, address: j.address });
        else reject(new Error(`keeper failed: ${out}`));
      } catch {
        /* partial */
      }
    });
    child.on("exit", (code) => reject(new Error(`keeper exited ${code}: ${err.slice(-1000)}`)));
  });
}

describe("standalone keepers (cluster profile)", () => {
  const dir = tempDir();
  let node: RunningNode;
  let client: NodeClient;
  const keepers: Array<{ child: ChildProcess; url: string; address: string }> = [];
  let patient: RecordKeys, reader: RecordKeys;
  let access: { grantId: string; purpose: "TREAT"; categories: number };

  before(async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    node = await startNode({
      dataDir: join(dir, "node"),
      port: 0,
      keeperUrls: ports.map((p) => `http://127.0.0.1:${p}`),
      threshold: 2,
      log: pino({ level: "warn" }),
    });
    client = new NodeClient(node.url);
    const token = readFileSync(join(dir, "node", "admin-token"), "utf8").trim();
    for (const [i, port] of ports.entries()) {
      const k = await spawnKeeper([
        "--rpc",
        node.ctx.chain.rpcUrl,
        "--node",
        node.url,
        "--port",
        String(port),
        "--data-dir",
        join(dir, `keeper${i}`),
      ]);
      keepers.push(k);
      const res = await fetch(`${node.url}/admin/roles`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ role: "keeper", account: k.address }),
      });
      assert.equal(res.status, 200, await res.text());
    }
    patient = await newIdentity(client);
    reader = await newIdentity(client);
    await importBundle({
      node: client,
      bundle: readJson(smallSyntheaFile()),
      owner: patient.account.address,
      author: patient,
    });
    const { grantId } = await grantAccess(client, patient.account, {
      patient: patient.account.address,
      grantee: reader.account.address,
      categories: ["immunizations"],
      purposes: ["TREAT"],
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    access = { grantId, purpose: "TREAT", categories: categoryMask(["immunizations"]) };
  });
  after(async () => {
    for (const k of keepers) k.child.kill("SIGKILL");
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the node lists the remote keepers with the keys they published on chain", async () => {
    const net = await client.network();
    assert.deepEqual(
      net.keepers.map((k) => k.address),
      keepers.map((k) => k.address.toLowerCase()),
    );
    assert.equal(net.threshold, 2);
  });

  it("reads go through with all keepers, and with one killed (2 of 3)", async () => {
    const all = await exportRecord({ node: client, reader, owner: patient.account.address, access });
    assert.equal(all.bundle.entry?.length, 4);
    keepers[2]?.child.kill("SIGKILL");
    const two = await exportRecord({ node: client, reader, owner: patient.account.address, access });
    assert.equal(two.bundle.entry?.length, 4);
  });

  it("with two keepers down the read fails with KeepersUnavailable", async () => {
    keepers[1]?.child.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
    const err = await expectCode(
      exportRecord({ node: client, reader, owner: patient.account.address, access }),
      "KeepersUnavailable",
    );
    assert.deepEqual(err.details, { answered: 1, threshold: 2, keepers: 3 });
  });

  it("the surviving keeper's audit log verifies against the chain", async () => {
    const log = await readAudit(client, patient, patient.account.address, { verify: true });
    assert.equal(log.keepersAnswered, 1);
    assert.ok(log.lines.length >= 3);
    assert.ok(log.lines.every((l) => l.status === "verified" && l.event.keeper === keepers[0]?.address.toLowerCase()));
  });
});
