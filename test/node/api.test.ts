/**
 * The node's HTTP API on a real node: health, OpenAPI, the one error model
 * (typed codes, problem+json, no 500 with raw messages), and the relayer's
 * refusals (forged and replayed signatures, calls that would revert).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { encodeFunctionData, toHex } from "viem";
import { keyRegistryAbi } from "../../src/chain/generated/contracts.ts";
import { FORWARD_REQUEST_TYPES } from "../../src/kernel/relay/forwardRequest.ts";
import { MedchainError } from "../../src/kernel/errors.ts";
import { MODULES } from "../../src/modules.ts";
import { NODE_ENDPOINTS } from "../../src/kernel/nodeEndpoints.ts";
import type { AnyEndpoint } from "../../src/kernel/endpoint.ts";
import { startTestNode, newKeys, type TestNode } from "../support/testNode.ts";

async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe("node API", () => {
  let t: TestNode;
  before(async () => {
    t = await startTestNode();
  });
  after(async () => t?.close());

  it("GET /health reports chain id, block number, db and store status", async () => {
    const { status, body } = await getJson(`${t.node.url}/health`);
    assert.equal(status, 200);
    assert.equal(body.status, "ok");
    const chain = body.chain as { chainId: number; blockNumber: number; kind: string; ok: boolean };
    assert.equal(chain.chainId, 31337);
    assert.equal(chain.kind, "embedded");
    assert.ok(chain.blockNumber >= 3, "contracts deployed");
    assert.deepEqual(
      { ok: (body.db as { ok: boolean }).ok, kind: (body.db as { kind: string }).kind },
      { ok: true, kind: "pglite" },
    );
    assert.deepEqual(body.store, { ok: true, kind: "fs" });
  });

  it("GET /openapi.json documents every route", async () => {
    const { status, body } = await getJson(`${t.node.url}/openapi.json`);
    assert.equal(status, 200);
    assert.equal(body.openapi, "3.1.0");
    const paths = Object.keys(body.paths as object);
    for (const p of [
      "/health",
      "/network",
      "/accounts/{address}",
      "/records",
      "/records/{batchId}",
      "/relay/prepare",
      "/relay",
      "/blobs",
      "/blobs/fetch",
      "/records/writers",
      "/supply/anchors",
      "/supply/anchors/{anchorId}",
      "/supply/recalls",
    ]) {
      assert.ok(paths.includes(p), `missing ${p}`);
    }
    assert.ok(!paths.some((p) => p.includes("*")), "the portal's static files are not API routes");
  });

  it("GET /openapi.json lists every declared endpoint (method, path, schemas), and only those", async () => {
    const { body } = await getJson(`${t.node.url}/openapi.json`);
    type Operation = {
      summary?: string;
      tags?: string[];
      parameters?: Array<{ in: string; name: string }>;
      requestBody?: unknown;
      responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      "x-medchain-errors"?: string[];
    };
    const paths = body.paths as Record<string, Record<string, Operation>>;
    const declared: AnyEndpoint[] = [...NODE_ENDPOINTS, ...MODULES.flatMap((m) => m.endpoints ?? [])];
    // ...and every route the node documents is declared (no route escapes the declarations).
    const documented = Object.entries(paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const declaredKeys = declared.map((e) => `${e.method} ${e.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    assert.deepEqual(
      documented.filter((k) => !declaredKeys.includes(k)),
      [],
      "routes served without a declaration",
    );
    assert.equal(new Set(declaredKeys).size, declaredKeys.length, "an endpoint is declared twice");
    for (const e of declared) {
      const path = e.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const op = paths[path]?.[e.method.toLowerCase()];
      const where = `${e.method} ${path}`;
      assert.ok(op !== undefined, `${where} is declared but not in /openapi.json`);
      assert.equal(op.summary, e.summary, where);
      assert.deepEqual(op.tags, [...e.tags], where);
      const pathParams = (op.parameters ?? [])
        .filter((p) => p.in === "path")
        .map((p) => p.name)
        .sort();
      const names = [...e.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      assert.deepEqual(pathParams, names, `${where} path params`);
      if (e.query !== undefined)
        assert.ok(
          (op.parameters ?? []).some((p) => p.in === "query"),
          `${where} query`,
        );
      assert.equal(op.requestBody !== undefined, e.body !== undefined, `${where} body`);
      const content = op.responses?.["200"]?.content;
      if (e.produces === undefined || /json/.test(e.produces)) {
        const type = e.produces ?? "application/json";
        assert.ok(content?.[type]?.schema !== undefined, `${where} documents its 200 answer as ${type}`);
      }
      if (e.errors.length > 0) assert.deepEqual(op["x-medchain-errors"], [...e.errors], `${where} errors`);
    }
  });

  it("unknown routes, invalid params and bad bodies get typed problem+json errors", async () => {
    const nf = await getJson(`${t.node.url}/nope`);
    assert.equal(nf.status, 404);
    assert.equal(nf.body.code, "NotFound");
    const bad = await getJson(`${t.node.url}/accounts/not-an-address`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "InvalidInput");
    assert.match(String(bad.type), /application\/problem\+json/);
    const junk = await getJson(`${t.node.url}/relay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(junk.status, 400);
    assert.equal(junk.body.code, "InvalidInput");
    const missing = await getJson(`${t.node.url}/records/0x${"ab".repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "RecordNotFound");
  });

  it("POST /blobs refuses a blob whose bytes do not match its CID and stores none of the request", async () => {
    const good = {
      cid: "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
      data: Buffer.from("hello").toString("base64"),
    };
    const bad = { cid: good.cid, data: Buffer.from("hellO").toString("base64") };
    const r = await getJson(`${t.node.url}/blobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ blobs: [good, bad] }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, "CidMismatch");
    assert.equal(await t.node.ctx.blobs.has(good.cid), false);
  });

  it("the relayer refuses a forged signature and a replayed request", async () => {
    const user = await newKeys();
    const net = await t.client.network();
    const data = encodeFunctionData({
      abi: keyRegistryAbi,
      functionName: "publishEncryptionKey",
      args: [toHex(user.encryptionPublicKey)],
    });
    const { domain, request } = await t.client.prepareRelay({
      from: user.account.address,
      to: net.contracts.keyRegistry,
      data,
    });
    const message = {
      ...request,
      value: BigInt(request.value),
      gas: BigInt(request.gas),
      nonce: BigInt(request.nonce),
    };
    const forger = await newKeys();
    const forged = await forger.account.signTypedData({
      domain,
      types: FORWARD_REQUEST_TYPES,
      primaryType: "ForwardRequest",
      message,
    });
    await assert.rejects(
      t.client.relay(request, forged),
      (e: unknown) => e instanceof MedchainError && e.code === "InvalidSignature",
    );
    assert.equal((await t.client.account(user.account.address)).encryptionKey, null, "nothing happened");
    const real = await user.account.signTypedData({
      domain,
      types: FORWARD_REQUEST_TYPES,
      primaryType: "ForwardRequest",
      message,
    });
    await t.client.relay(request, real);
    assert.equal((await t.client.account(user.account.address)).encryptionKey, toHex(user.encryptionPublicKey));
    await assert.rejects(
      t.client.relay(request, real),
      (e: unknown) => e instanceof MedchainError && e.code === "InvalidSignature",
    );
  });

  it("the relayer refuses calls to other contracts and calls that would revert, before signing", async () => {
    const user = await newKeys();
    await assert.rejects(
      t.client.prepareRelay({
        from: user.account.address,
        to: "0x000000000000000000000000000000000000dEaD",
        data: "0x",
      }),
      (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput",
    );
    const net = await t.client.network();
    const zero = encodeFunctionData({
      abi: keyRegistryAbi,
      functionName: "publishEncryptionKey",
      args: [`0x${"00".repeat(32)}`],
    });
    await assert.rejects(
      t.client.prepareRelay({ from: user.account.address, to: net.contracts.keyRegistry, data: zero }),
      (e: unknown) =>
        e instanceof MedchainError && e.code === "InvalidInput" && e.details?.contractError === "KeyRegistryZeroKey",
    );
  });
});
