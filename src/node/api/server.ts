/**
 * The node's HTTP API (Fastify + zod schemas, OpenAPI at /openapi.json).
 * One error model: a MedchainError answers with its status and
 * `{code, message, details}`; validation failures answer 400 `InvalidInput`
 * naming the fields; anything unexpected answers 500 `Internal` with a
 * generic message (the cause goes to the log, never to the client).
 */
import Fastify, { LogController, type FastifyError } from "fastify";
import swagger from "@fastify/swagger";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { MedchainError } from "../../kernel/errors.ts";
import { PROBLEM_JSON, problemDetails } from "../../kernel/outcomes.ts";
import { networkSchema, zContracts, zHealth, type Health } from "../../kernel/network.ts";
import type { NodeContext } from "../context.ts";
import { contractsOf } from "../deployment.ts";
import { blobsRoutes } from "./blobs.routes.ts";
import { webPortal } from "../web/web.routes.ts";

/** Health of every part of the node, measured now. */
export async function health(ctx: NodeContext): Promise<Health> {
  const chain = await ctx.client.getBlockNumber({ cacheTime: 0 }).then(
    (n) => ({ ok: true, blockNumber: Number(n) }),
    () => ({ ok: false, blockNumber: 0 }),
  );
  const db = await ctx.db.health().catch(() => ({ ok: false, kind: ctx.db.kind }));
  const store = await ctx.blobs.health().catch(() => ({ ok: false, kind: "unknown" }));
  return {
    status: chain.ok && db.ok && store.ok ? "ok" : "degraded",
    version: ctx.version,
    chain: { ok: chain.ok, kind: ctx.chain.kind, chainId: ctx.chain.chainId, blockNumber: chain.blockNumber },
    db: { ok: db.ok, kind: ctx.db.kind, indexedBlock: Number(ctx.indexer.indexedBlock) },
    store: { ok: store.ok, kind: store.kind },
  };
}

/** Builds the API (not listening yet). */
export async function buildServer(ctx: NodeContext) {
  const app = Fastify({
    loggerInstance: ctx.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "medchain node API", version: ctx.version, description: "Patient-owned encrypted health records on an EVM ledger. Errors answer {code, message, details}." },
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler((err: FastifyError | MedchainError, req, reply) => {
    if (err instanceof MedchainError) {
      if (err.status >= 500) req.log.warn({ code: err.code, route: req.routeOptions.url }, err.shortMessage);
      return reply.status(err.status).type(PROBLEM_JSON).send(problemDetails(err));
    }
    const fe = err as FastifyError;
    if (fe.validation !== undefined || fe.code === "FST_ERR_VALIDATION") {
      const issues = (fe.validation ?? []).map((v) => ({ path: v.instancePath, message: v.message ?? "invalid" }));
      return reply.status(400).type("application/problem+json").send({ code: "InvalidInput", message: `invalid request ${fe.validationContext ?? ""}`.trim(), details: { issues } });
    }
    if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).type("application/problem+json").send({ code: "InvalidInput", message: fe.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "request body too large" : "malformed request" });
    }
    req.log.error({ err, route: req.routeOptions.url }, "unexpected error");
    return reply.status(500).type("application/problem+json").send({ code: "Internal", message: "internal error in the medchain node" });
  });
  // The web portal at `/`; browser navigations to the app's own paths get its index.html.
  const portal = webPortal();
  await app.register(portal.plugin);
  app.setNotFoundHandler((req, reply) =>
    portal.notFound(req, reply) ?? reply.status(404).type("application/problem+json").send({ code: "NotFound", message: `no route ${req.method} ${req.url.split("?")[0]}` }));

  app.get("/health", { schema: { tags: ["node"], summary: "Health: chain id and head, db and store status", response: { 200: zHealth } } }, async () => health(ctx));
  app.get("/network", {
    schema: { tags: ["node"], summary: "Chain id, contract addresses, relayer and every slice's part (keepers, limits)", response: { 200: networkSchema() } },
  }, async () => {
    const parts = await Promise.all(ctx.modules.map((m) => m.network?.read(ctx) ?? Promise.resolve({})));
    return {
      chainId: ctx.deployment.chainId, relayer: ctx.relayerAddress.toLowerCase() as `0x${string}`,
      contracts: contractsOf(ctx.modules, ctx.deployment), ...Object.assign({}, ...parts),
    };
  });
  app.get("/contracts", { schema: { tags: ["node"], summary: "Chain id and contract addresses", response: { 200: zContracts } } }, async () => ({
    chainId: ctx.deployment.chainId, contracts: contractsOf(ctx.modules, ctx.deployment),
  }));
  await app.register(blobsRoutes(ctx));
  for (const m of ctx.modules) if (m.routes !== undefined) await app.register(await m.routes(ctx));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
