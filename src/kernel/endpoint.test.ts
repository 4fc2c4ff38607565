/**
 * Unit tests of endpoint declarations and `callEndpoint` with a fake fetch: URL building (path params, query
 * string), JSON bodies, answers parsed by the declared schema, error bodies as MedchainError with the node's code,
 * and NodeUnreachable when fetch fails.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { callEndpoint, defineEndpoint, endpointPath, mountEndpoint, type EndpointTransport } from "./endpoint.ts";
import { MedchainError } from "./errors.ts";

interface Seen {
  url: string;
  method: string | undefined;
  headers: unknown;
  body: unknown;
}

function fakeFetch(answer: () => Response, seen: Seen[]): typeof fetch {
  return async (input, init) => {
    seen.push({ url: String(input), method: init?.method, headers: init?.headers, body: init?.body });
    return answer();
  };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const getItem = defineEndpoint({
  method: "GET",
  path: "/things/:kind/items/:id",
  query: z.object({ owner: z.string(), page: z.number().optional() }),
  response: z.object({ id: z.string() }),
  summary: "one item",
  tags: ["test"],
});
const postItem = defineEndpoint({
  method: "POST",
  path: "/things/:kind",
  params: z.object({ kind: z.enum(["a", "b c"]) }),
  body: z.object({ n: z.number() }),
  response: z.object({ ok: z.boolean() }),
  summary: "add",
  tags: ["test"],
  errors: ["NotFound"],
});

describe("defineEndpoint", () => {
  it("refuses a params schema that does not name the path's params", () => {
    assert.throws(
      () =>
        defineEndpoint({
          method: "GET",
          path: "/x/:id",
          params: z.object({ other: z.string() }),
          response: z.object({}),
          summary: "",
          tags: [],
        }),
      /params schema names other, the path id/,
    );
  });

  it("mounts an endpoint under a prefix with its params", () => {
    const m = mountEndpoint(postItem, "/hosts/:host", z.object({ host: z.string(), kind: z.string() }));
    assert.equal(m.path, "/hosts/:host/things/:kind");
    assert.equal(m.body, postItem.body);
  });
});

describe("callEndpoint", () => {
  it("builds the URL from path params (URI-encoded) and the query string (undefined values left out)", async () => {
    const seen: Seen[] = [];
    const t: EndpointTransport = { url: "http://node.test", fetch: fakeFetch(() => json(200, { id: "7" }), seen) };
    const input = { params: { kind: "x/y", id: "7" }, query: { owner: "0xAb", page: undefined } };
    const out = await callEndpoint(t, getItem, input);
    assert.deepEqual(out, { id: "7" });
    assert.equal(seen[0]?.url, "http://node.test/things/x%2Fy/items/7?owner=0xAb");
    assert.equal(seen[0]?.method, "GET");
    assert.deepEqual(seen[0]?.headers, {});
    assert.equal(seen[0]?.body, null);
    const path = endpointPath(getItem, { params: { kind: "k", id: "1" }, query: { owner: "a b&c", page: 2 } });
    assert.equal(path, "/things/k/items/1?owner=a%20b%26c&page=2");
  });

  it("sends the body as JSON", async () => {
    const seen: Seen[] = [];
    const t: EndpointTransport = { url: "http://node.test", fetch: fakeFetch(() => json(200, { ok: true }), seen) };
    assert.deepEqual(await callEndpoint(t, postItem, { params: { kind: "b c" }, body: { n: 1 } }), { ok: true });
    assert.equal(seen[0]?.url, "http://node.test/things/b%20c");
    assert.equal(seen[0]?.method, "POST");
    assert.deepEqual(seen[0]?.headers, { "content-type": "application/json" });
    assert.equal(seen[0]?.body, JSON.stringify({ n: 1 }));
  });

  it("turns an error body into a MedchainError with the node's code, message and details", async () => {
    const problem = {
      type: "about:blank",
      title: "RecordNotFound",
      status: 404,
      code: "RecordNotFound",
      message: "no such batch",
      details: { batchId: "0x1" },
    };
    const t: EndpointTransport = { url: "http://node.test", fetch: fakeFetch(() => json(404, problem), []) };
    await assert.rejects(callEndpoint(t, postItem, { params: { kind: "a" }, body: { n: 1 } }), (err: unknown) => {
      assert.ok(err instanceof MedchainError);
      assert.equal(err.code, "RecordNotFound");
      assert.equal(err.shortMessage, "no such batch");
      assert.deepEqual(err.details, { batchId: "0x1" });
      return true;
    });
  });

  it("answers NodeUnreachable when fetch fails, or when the answer is not JSON", async () => {
    const fail = async (): Promise<Response> => {
      throw new TypeError("fetch failed");
    };
    const down: EndpointTransport = { url: "http://down.test", fetch: fail };
    await assert.rejects(callEndpoint(down, postItem, { params: { kind: "a" }, body: { n: 1 } }), (err: unknown) => {
      assert.ok(err instanceof MedchainError);
      assert.equal(err.code, "NodeUnreachable");
      assert.equal(err.shortMessage, "cannot reach the medchain node at http://down.test");
      assert.deepEqual(err.details, { node: "http://down.test" });
      assert.ok(err.cause instanceof TypeError);
      return true;
    });
    const page = async (): Promise<Response> => new Response("<html>", { status: 200 });
    const html: EndpointTransport = { url: "http://web.test", fetch: page };
    await assert.rejects(
      callEndpoint(html, getItem, { params: { kind: "a", id: "1" }, query: { owner: "o" } }),
      (err: unknown) => err instanceof MedchainError && err.code === "NodeUnreachable",
    );
  });

  it("answers Internal when the answer does not match the declared response", async () => {
    const t: EndpointTransport = { url: "http://node.test", fetch: fakeFetch(() => json(200, { id: 7 }), []) };
    const input = { params: { kind: "a", id: "1" }, query: { owner: "o" } };
    await assert.rejects(callEndpoint(t, getItem, input), (err: unknown) => {
      assert.ok(err instanceof MedchainError);
      assert.equal(err.code, "Internal");
      assert.equal(err.shortMessage, "unexpected answer from the node for GET /things/a/items/1");
      return true;
    });
  });

  it("refuses to call an endpoint whose answer is not JSON", async () => {
    const raw = defineEndpoint({
      method: "GET",
      path: "/raw",
      response: z.string(),
      produces: "application/octet-stream",
      summary: "",
      tags: [],
    });
    const t: EndpointTransport = { url: "http://node.test", fetch: fakeFetch(() => json(200, "x"), []) };
    const refused = (err: unknown): boolean => err instanceof MedchainError && err.code === "InvalidInput";
    await assert.rejects(callEndpoint(t, raw), refused);
  });
});
