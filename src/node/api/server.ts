/**
 * The node's HTTP API (Fastify + zod schemas, OpenAPI at /openapi.json).
 * One error model (`errorHandler.ts`): a MedchainError answers with its
 * status and `{code, message, details}`; validation failures answer 400
 * `InvalidInput` naming the fields; anything unexpected answers 500
 * `Internal` with a generic message (the cause goes to the log, never to the
 * client); `/fhir` routes answer FHIR OperationOutcome resources.
 */
import Fastify, { LogController } from "fastify";
import swagger from "@fastify/swagger";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { contractsEndpoint, healthEndpoint, networkEndpoint } from "../../kernel/nodeEndpoints.ts";
import type { NodeContext } from "../context.ts";
import { contractsOf } from "../deployment.ts";
import { health } from "./health.ts";
import { apiErrorHandler, apiNotFound } from "./errorHandler.ts";
import { blobsRoutes } from "./blobs.routes.ts";
import { route } from "./endpointRoute.ts";
import { webPortal } from "../web/web.routes.ts";

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
      info: {
        title: "medchain node API",
        version: ctx.version,
        description:
          "Patient-owned encrypted health records on an EVM " + "ledger. Errors answer {code, message, details}.",
      },
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler(apiErrorHandler);
  // The web portal at `/`; browser navigations to the app's own paths get its index.html.
  const portal = webPortal();
  await app.register(portal.plugin);
  app.setNotFoundHandler((req, reply) => portal.notFound(req, reply) ?? apiNotFound(req, reply));

  route(app, healthEndpoint, async () => health(ctx));
  route(app, networkEndpoint, async () => {
    const parts = await Promise.all(ctx.modules.map((m) => m.network?.read(ctx) ?? Promise.resolve({})));
    return {
      chainId: ctx.deployment.chainId,
      relayer: ctx.relayerAddress.toLowerCase() as `0x${string}`,
      contracts: contractsOf(ctx.modules, ctx.deployment),
      ...Object.assign({}, ...parts),
    };
  });
  route(app, contractsEndpoint, async () => ({
    chainId: ctx.deployment.chainId,
    contracts: contractsOf(ctx.modules, ctx.deployment),
  }));
  await app.register(blobsRoutes(ctx));
  for (const m of ctx.modules) if (m.routes !== undefined) await app.register(await m.routes(ctx));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
