/**
 * One declaration per HTTP endpoint (browser-safe): method, path, the zod schemas of its path params, query,
 * body and 200 answer, its summary, tags and the error codes it may answer. A slice declares its endpoints once in
 * `src/<slice>/sdk/endpoints.ts`; the node registers each Fastify route from the declaration
 * (`src/node/api/endpointRoute.ts`) and the SDK calls it with {@link callEndpoint}, so the client cannot drift from
 * the server (after Veramo's REST client generated from the agent schema).
 */
import { z } from "zod";
import { errorFromJSON, MedchainError, type ErrorCode } from "./errors.ts";

/** HTTP methods an endpoint may use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Names of the `:name` segments of a path template (`"/records/:batchId"` gives `"batchId"`). */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** What {@link defineEndpoint} takes. */
export interface EndpointSpec<
  M extends HttpMethod,
  P extends string,
  Params extends z.ZodType | undefined,
  Query extends z.ZodType | undefined,
  Body extends z.ZodType | undefined,
  Res extends z.ZodType,
> {
  /** HTTP method. */
  method: M;
  /** Path template, Fastify style (`/records/:batchId`). */
  path: P;
  /** Schema of the path params (default: each `:name` segment a string). */
  params?: Params;
  /** Schema of the query string. */
  query?: Query;
  /** Schema of the JSON body. */
  body?: Body;
  /** Schema of the 200 answer. */
  response: Res;
  /** One line for the OpenAPI document. */
  summary: string;
  /** OpenAPI tags. */
  tags: readonly string[];
  /** Error codes the endpoint may answer besides the generic ones (documented as `x-medchain-errors`). */
  errors?: readonly ErrorCode[];
  /**
   * Media type of the answer when it is not `application/json` (FHIR resources, raw bytes). A JSON-like type
   * (`application/fhir+json`) is still serialized with `response`; other types are sent raw by the handler and
   * cannot be called with {@link callEndpoint}.
   */
  produces?: string;
}

/** A declared endpoint (see {@link defineEndpoint}). */
export interface Endpoint<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  Params extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Res extends z.ZodType = z.ZodType,
> {
  /** HTTP method. */
  readonly method: M;
  /** Path template, Fastify style. */
  readonly path: P;
  /** Schema of the path params, when declared. */
  readonly params: Params;
  /** Schema of the query string, when declared. */
  readonly query: Query;
  /** Schema of the JSON body, when declared. */
  readonly body: Body;
  /** Schema of the 200 answer. */
  readonly response: Res;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** OpenAPI tags. */
  readonly tags: readonly string[];
  /** Error codes the endpoint may answer besides the generic ones. */
  readonly errors: readonly ErrorCode[];
  /** Media type of a non-JSON answer. */
  readonly produces: string | undefined;
}

/** Any declared endpoint. */
export type AnyEndpoint = Endpoint;

type Empty = Record<never, never>;
type Field<K extends string, T> = [T] extends [undefined]
  ? Empty
  : Empty extends T
    ? { [k in K]?: T }
    : { [k in K]: T };
type ParamsIn<E extends AnyEndpoint> = E["params"] extends z.ZodType
  ? z.input<E["params"]>
  : [PathParamNames<E["path"]>] extends [never]
    ? undefined
    : Record<PathParamNames<E["path"]>, string>;
type ParamsOut<E extends AnyEndpoint> = E["params"] extends z.ZodType
  ? z.output<E["params"]>
  : [PathParamNames<E["path"]>] extends [never]
    ? Empty
    : Record<PathParamNames<E["path"]>, string>;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a client gives to call `E`: `{ params, query, body }`, each when declared (optional when all-optional). */
export type EndpointInput<E extends AnyEndpoint> = Field<"params", ParamsIn<E>> &
  Field<"query", In<E["query"]>> &
  Field<"body", In<E["body"]>>;

/** The arguments after the endpoint in {@link callEndpoint}: the input, optional when nothing in it is required. */
export type EndpointArgs<E extends AnyEndpoint> =
  Empty extends EndpointInput<E> ? [input?: EndpointInput<E>] : [input: EndpointInput<E>];

/** What a route handler of `E` gets: params, query and body, validated and parsed by their schemas. */
export interface EndpointRequest<E extends AnyEndpoint> {
  /** The path params. */
  params: ParamsOut<E>;
  /** The query string (undefined when none is declared). */
  query: Out<E["query"]>;
  /** The body (undefined when none is declared). */
  body: Out<E["body"]>;
}

/** The 200 answer of `E`, parsed. */
export type EndpointOutput<E extends AnyEndpoint> = z.output<E["response"]>;

/** Names of the `:name` segments of `path`, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? "");
}

/**
 * Declares an endpoint once (in the slice's `sdk/endpoints.ts`). Path params are typed from the path template, or
 * by `params` (a zod object whose keys must be exactly the path's `:name` segments).
 *
 * @throws Error when `params` does not name exactly the path's params (a declaration bug, found at import).
 */
export function defineEndpoint<
  const M extends HttpMethod,
  const P extends string,
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
  Res extends z.ZodType = z.ZodType,
>(spec: EndpointSpec<M, P, Params, Query, Body, Res>): Endpoint<M, P, Params, Query, Body, Res> {
  const names = pathParamNames(spec.path);
  if (spec.params instanceof z.ZodObject) {
    const keys = Object.keys(spec.params.shape).sort();
    if (keys.join(",") !== [...names].sort().join(",")) {
      const where = `endpoint ${spec.method} ${spec.path}`;
      throw new Error(`${where}: params schema names ${keys.join(", ")}, the path ${names.join(", ")}`);
    }
  }
  return {
    method: spec.method,
    path: spec.path,
    params: spec.params as Params,
    query: spec.query as Query,
    body: spec.body as Body,
    response: spec.response,
    summary: spec.summary,
    tags: spec.tags,
    errors: spec.errors ?? [],
    produces: spec.produces,
  };
}

/**
 * `endpoint` served under `prefix` (a path template, e.g. `/keepers/:index`), its path params then given by
 * `params`: the same declaration mounted elsewhere (a standalone keeper serves at its root what a node serves under
 * `/keepers/:index`).
 */
export function mountEndpoint<E extends AnyEndpoint, Params extends z.ZodType>(
  endpoint: E,
  prefix: string,
  params: Params,
): Endpoint<E["method"], string, Params, E["query"], E["body"], E["response"]> {
  return defineEndpoint({
    method: endpoint.method,
    path: `${prefix}${endpoint.path}`,
    params,
    query: endpoint.query,
    body: endpoint.body,
    response: endpoint.response,
    summary: endpoint.summary,
    tags: endpoint.tags,
    errors: endpoint.errors,
    ...(endpoint.produces === undefined ? {} : { produces: endpoint.produces }),
  });
}

/** Where and how a client sends requests: the node's base URL (no trailing slash) and a `fetch`. */
export interface EndpointTransport {
  /** Base URL, without trailing slash. */
  readonly url: string;
  /** The fetch to use. */
  readonly fetch: typeof fetch;
}

interface LooseInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * The path and query string of a call of `endpoint` (`/records/0xab..`, `/supply/verify?scan=...`): each `:name`
 * segment replaced by its value, URI-encoded; query values URI-encoded, undefined ones left out.
 *
 * @throws MedchainError `InvalidInput` when a path param is missing.
 */
export function endpointPath<E extends AnyEndpoint>(endpoint: E, ...[input]: EndpointArgs<E>): string {
  const { params, query } = (input ?? {}) as LooseInput;
  const path = endpoint.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) {
      throw new MedchainError("InvalidInput", `missing path parameter ${name} of ${endpoint.method} ${endpoint.path}`);
    }
    return encodeURIComponent(String(value));
  });
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
    }
  }
  return pairs.length === 0 ? path : `${path}?${pairs.join("&")}`;
}

/**
 * Calls `endpoint` of the node behind `transport`, browser-safe (`fetch` only): builds the URL, sends the body as
 * JSON, parses the 200 answer with the declared response schema. Every failure is a MedchainError:
 * `NodeUnreachable` when fetch fails or the answer is not JSON, the node's own error (code, message, details) for an
 * error answer, `Internal` when the answer does not match the declaration.
 */
export async function callEndpoint<E extends AnyEndpoint>(
  transport: EndpointTransport,
  endpoint: E,
  ...args: EndpointArgs<E>
): Promise<EndpointOutput<E>> {
  const base = transport.url;
  if (endpoint.produces !== undefined && !/json/.test(endpoint.produces)) {
    const what = `${endpoint.method} ${endpoint.path} answers ${endpoint.produces}`;
    throw new MedchainError("InvalidInput", `${what}, not JSON`);
  }
  const path = endpointPath(endpoint, ...args);
  const body = endpoint.body === undefined ? undefined : (args[0] as LooseInput | undefined)?.body;
  let res: Response;
  try {
    res = await transport.fetch(`${base}${path}`, {
      method: endpoint.method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (cause) {
    const message = `cannot reach the medchain node at ${base}`;
    throw new MedchainError("NodeUnreachable", message, { cause, details: { node: base } });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text.length === 0 ? undefined : JSON.parse(text);
  } catch (cause) {
    const message = `${base} did not answer like a medchain node (status ${res.status})`;
    throw new MedchainError("NodeUnreachable", message, { cause });
  }
  if (!res.ok) throw errorFromJSON(json, res.status);
  const parsed = endpoint.response.safeParse(json);
  if (!parsed.success) {
    const where = `${endpoint.method} ${path.split("?")[0]}`;
    throw new MedchainError("Internal", `unexpected answer from the node for ${where}`, { cause: parsed.error });
  }
  return parsed.data as EndpointOutput<E>;
}
