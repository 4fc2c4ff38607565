/**
 * Errors at the edge of the API: every 5xx is logged with its cause; routes
 * under /fhir answer OperationOutcome resources (a bug is a 500 `exception`,
 * never a 400 "malformed request"); the operator token is checked once for
 * every admin route (before the body); /admin/roles decodes contract reverts
 * like its siblings. Exact status, content type and code each time.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import Fastify from "fastify";
import pino from "pino";
import { auditAnchorAbi } from "../../src/chain/generated/contracts.ts";
import { MedchainError } from "../../src/kernel/errors.ts";
import { apiErrorHandler, apiNotFound } from "../../src/node/api/errorHandler.ts";
import { startTestNode, type TestNode } from "../support/testNode.ts";

interface Outcome {
  resourceType: string;
  issue: Array<{ severity: string; code: string; diagnostics: string; details: { text: string } }>;
}

/** [code, diagnostics] of an OperationOutcome's first issue. */
const codes = (oo: Outcome): [string | undefined, string | undefined] => [oo.issue[0]?.code, oo.issue[0]?.diagnostics];

/** A Fastify app with the node's error handler and a logger whose lines the test reads. */
async function edgeApp() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString("utf8").split("\n")) {
        if (l.trim() !== "") lines.push(JSON.parse(l) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: "info" }, sink) });
  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler(apiNotFound);
  const storage = (): never => {
    throw new MedchainError("StorageUnavailable", "blob store get failed", { cause: new Error("EIO: disk on fire") });
  };
  const bug = (): never => {
    throw new TypeError("cannot read properties of undefined (reading 'secretField')");
  };
  app.get("/storage", storage);
  app.get("/bug", bug);
  app.get("/fhir/Bug", bug);
  app.get("/fhir/Storage", storage);
  app.get("/fhir/Refused", () => {
    const details = { provision: "Consent.provision" };
    throw new MedchainError("UnsupportedConsent", "a deny provision is not supported", { details });
  });
  app.post("/fhir/Echo", async (req) => ({ got: req.body }));
  await app.ready();
  return { app, lines };
}

describe("edge errors: the shared error handler", () => {
  it("a MedchainError 5xx answers its code and is logged with its cause", async () => {
    const { app, lines } = await edgeApp();
    const res = await app.inject({ method: "GET", url: "/storage" });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
    assert.deepEqual(res.json(), {
      type: "urn:medchain:error:StorageUnavailable",
      title: "StorageUnavailable",
      status: 503,
      detail: "blob store get failed",
      code: "StorageUnavailable",
      message: "blob store get failed",
    });
    assert.doesNotMatch(res.body, /disk on fire/, "the cause never reaches the client");
    const logged = lines.find((l) => l.code === "StorageUnavailable");
    assert.ok(logged, "the 5xx is logged");
    assert.equal(logged.level, 50);
    assert.equal(logged.route, "/storage");
    assert.match(JSON.stringify(logged.cause), /EIO: disk on fire/);
    await app.close();
  });

  it("an unexpected error answers 500 Internal and is logged with the error itself", async () => {
    const { app, lines } = await edgeApp();
    const res = await app.inject({ method: "GET", url: "/bug" });
    assert.equal(res.statusCode, 500);
    assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
    assert.deepEqual(res.json(), {
      type: "urn:medchain:error:Internal",
      title: "Internal",
      status: 500,
      detail: "internal error in the medchain node",
      code: "Internal",
      message: "internal error in the medchain node",
    });
    assert.doesNotMatch(res.body, /secretField/);
    const logged = lines.find((l) => l.code === "Internal");
    assert.match(JSON.stringify(logged?.err), /secretField/);
    await app.close();
  });

  it("under /fhir: a bug is a 500 OperationOutcome `exception`, never a 400", async () => {
    const { app, lines } = await edgeApp();
    const res = await app.inject({ method: "GET", url: "/fhir/Bug" });
    assert.equal(res.statusCode, 500);
    assert.match(String(res.headers["content-type"]), /^application\/fhir\+json/);
    const oo = res.json<Outcome>();
    assert.equal(oo.resourceType, "OperationOutcome");
    assert.deepEqual([oo.issue[0]?.severity, ...codes(oo)], ["error", "exception", "Internal"]);
    assert.ok(lines.some((l) => l.code === "Internal" && l.route === "/fhir/Bug"));
    const storage = await app.inject({ method: "GET", url: "/fhir/Storage" });
    assert.equal(storage.statusCode, 503);
    assert.deepEqual(codes(storage.json<Outcome>()), ["exception", "StorageUnavailable"]);
    await app.close();
  });

  it("under /fhir: refusals, malformed bodies and unknown paths are OperationOutcomes with their status", async () => {
    const { app } = await edgeApp();
    const refused = await app.inject({ method: "GET", url: "/fhir/Refused" });
    assert.equal(refused.statusCode, 422);
    assert.match(String(refused.headers["content-type"]), /^application\/fhir\+json/);
    assert.deepEqual(refused.json(), {
      resourceType: "OperationOutcome",
      issue: [
        {
          severity: "error",
          code: "not-supported",
          diagnostics: "UnsupportedConsent",
          details: { text: "a deny provision is not supported" },
          expression: ["Consent.provision"],
        },
      ],
    });
    const malformed = await app.inject({
      method: "POST",
      url: "/fhir/Echo",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    assert.equal(malformed.statusCode, 400);
    assert.match(String(malformed.headers["content-type"]), /^application\/fhir\+json/);
    assert.deepEqual(codes(malformed.json<Outcome>()), ["invalid", "InvalidInput"]);
    const missing = await app.inject({ method: "GET", url: "/fhir/Nothing?x=1" });
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers["content-type"]), /^application\/fhir\+json/);
    assert.deepEqual(codes(missing.json<Outcome>()), ["not-found", "NotFound"]);
    const elsewhere = await app.inject({ method: "GET", url: "/nothing" });
    assert.equal(elsewhere.statusCode, 404);
    assert.match(String(elsewhere.headers["content-type"]), /^application\/problem\+json/);
    assert.equal(elsewhere.json<{ code: string }>().code, "NotFound");
    await app.close();
  });
});

describe("edge errors on a real node", () => {
  let t: TestNode;
  let token: string;
  before(async () => {
    t = await startTestNode();
    token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
  });
  after(async () => t?.close());

  it("FHIR Consent routes answer OperationOutcomes for malformed requests", async () => {
    const malformed = await fetch(`${t.node.url}/fhir/Consent/$map?patient=0x${"1".repeat(40)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.headers.get("content-type")), /^application\/fhir\+json/);
    const oo = (await malformed.json()) as Outcome;
    assert.deepEqual([oo.resourceType, ...codes(oo)], ["OperationOutcome", "invalid", "InvalidInput"]);
    const noPatient = await fetch(`${t.node.url}/fhir/Consent`);
    assert.equal(noPatient.status, 400);
    assert.match(String(noPatient.headers.get("content-type")), /^application\/fhir\+json/);
    assert.equal(((await noPatient.json()) as Outcome).issue[0]?.diagnostics, "InvalidInput");
    const unknown = await fetch(`${t.node.url}/fhir/Patient/123`, { headers: { accept: "application/fhir+json" } });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.headers.get("content-type")), /^application\/fhir\+json/);
    assert.equal(((await unknown.json()) as Outcome).issue[0]?.code, "not-found");
  });

  it("every admin route checks the operator token first: 403 AccessDenied, even for an invalid body", async () => {
    const routes = [
      ["/admin/partners", {}],
      ["/admin/roles", { role: "keeper", account: "0x1" }],
      ["/admin/gov/genesis", { members: [] }],
    ] as const;
    for (const [path, body] of routes) {
      for (const authorization of [undefined, "Bearer wrong", `Bearer ${token}x`]) {
        const res = await fetch(`${t.node.url}${path}`, {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
        });
        assert.equal(res.status, 403, `${path} ${String(authorization)}`);
        assert.match(String(res.headers.get("content-type")), /^application\/problem\+json/);
        assert.deepEqual(await res.json(), {
          type: "urn:medchain:error:AccessDenied",
          title: "AccessDenied",
          status: 403,
          detail: "operator token required",
          code: "AccessDenied",
          message: "operator token required",
        });
      }
    }
    // with the token, the body is validated as before
    const invalid = await fetch(`${t.node.url}/admin/roles`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ role: "keeper", account: "0x1" }),
    });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { code: string }).code, "InvalidInput");
  });

  it("/admin/roles decodes a revert like its siblings (not 500 Internal)", async () => {
    const account = `0x${"2".repeat(40)}`;
    const roles = (grant: boolean) =>
      fetch(`${t.node.url}/admin/roles`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ role: "keeper", account, grant }),
      });
    const granted = await roles(true);
    assert.equal(granted.status, 200, await granted.clone().text());
    assert.deepEqual(await granted.json(), { role: "keeper", account, granted: true });
    // the operator gives up the audit anchor's admin role: a later grant reverts on chain
    const ctx = t.node.ctx;
    const operator = ctx.relayerAddress;
    const anchor = { address: ctx.deployment.auditAnchor, abi: auditAnchorAbi } as const;
    const admin = await ctx.client.readContract({ ...anchor, functionName: "DEFAULT_ADMIN_ROLE" });
    await ctx.sender.writeContract({ ...anchor, functionName: "renounceRole", args: [admin, operator] });
    const refused = await roles(false);
    assert.equal(refused.status, 403);
    assert.match(String(refused.headers.get("content-type")), /^application\/problem\+json/);
    const body = (await refused.json()) as { code: string; details?: { contractError?: string } };
    assert.deepEqual([body.code, body.details?.contractError], ["AccessDenied", "AccessControlUnauthorizedAccount"]);
  });
});
