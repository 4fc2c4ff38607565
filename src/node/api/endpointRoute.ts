/**
 * Fastify routes from endpoint declarations (`src/kernel/endpoint.ts`): {@link route} registers one route with the
 * declared method, path and schemas (params, querystring, body, 200 answer, summary, tags, error codes as
 * `x-medchain-errors`), so the OpenAPI document, the server's validation and the SDK's client read one declaration.
 * A handler gets the validated params, query and body, typed from the declaration, and answers the declared type.
 */
import type { FastifyInstance, FastifyReply, FastifySchema, RawServerDefault } from "fastify";
import type { FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pathParamNames, type AnyEndpoint, type EndpointOutput, type EndpointRequest } from "../../kernel/endpoint.ts";

/** The Fastify instance the routes are registered on (with the zod type provider, any logger). */
export type ZodApp<L extends FastifyBaseLogger = FastifyBaseLogger> = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  L,
  ZodTypeProvider
>;

/** A route handler of `E`: the validated request in, the declared answer out (or the reply, sent by the handler). */
export type EndpointHandler<E extends AnyEndpoint> = (
  req: EndpointRequest<E>,
  reply: FastifyReply,
) => Promise<EndpointOutput<E> | FastifyReply>;

/** The route schema of `endpoint` as Fastify and @fastify/swagger read it. */
export interface EndpointRouteSchema extends FastifySchema {
  /** OpenAPI tags. */
  tags: string[];
  /** OpenAPI summary. */
  summary: string;
  /** Media types of the answer (set for non-JSON answers). */
  produces?: string[];
  /** Error codes the endpoint may answer (an OpenAPI extension). */
  "x-medchain-errors"?: string[];
}

/** True when the endpoint answers JSON (possibly a JSON media type such as `application/fhir+json`). */
function answersJson(endpoint: AnyEndpoint): boolean {
  return endpoint.produces === undefined || /json/.test(endpoint.produces);
}

/**
 * The Fastify route schema of `endpoint`. Path params without a declared schema are strings. A non-JSON answer
 * (raw bytes) is documented by its media type only: its handler sends it itself.
 */
export function endpointSchema(endpoint: AnyEndpoint): EndpointRouteSchema {
  const names = pathParamNames(endpoint.path);
  const params =
    endpoint.params ??
    (names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((n) => [n, z.string()]))));
  return {
    tags: [...endpoint.tags],
    summary: endpoint.summary,
    ...(params === undefined ? {} : { params }),
    ...(endpoint.query === undefined ? {} : { querystring: endpoint.query }),
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
    ...(answersJson(endpoint) ? { response: { 200: endpoint.response } } : {}),
    ...(endpoint.produces === undefined ? {} : { produces: [endpoint.produces] }),
    ...(endpoint.errors.length === 0 ? {} : { "x-medchain-errors": [...endpoint.errors] }),
  };
}

/**
 * Registers the route of `endpoint` on `app`: method, path and schema from the declaration, `handler` typed by it.
 * Fastify validates and parses params, query and body with the declared schemas before the handler runs, and
 * serializes the answer with the declared response schema.
 */
export function route<E extends AnyEndpoint, L extends FastifyBaseLogger>(
  app: ZodApp<L>,
  endpoint: E,
  handler: EndpointHandler<E>,
): void {
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    schema: endpointSchema(endpoint),
    handler: async (req, reply) => {
      const input = { params: req.params, query: req.query, body: req.body } as EndpointRequest<E>;
      return handler(input, reply);
    },
  });
}
