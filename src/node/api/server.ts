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
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { NodeContext } from "../context.ts";
import { zContracts, zHealth, zNetwork } from "./network.schemas.ts";
import { health } from "./health.ts";
import { apiErrorHandler, apiNotFound } from "./errorHandler.ts";
import { blobsRoutes } from "./blobs.routes.ts";
import { accountsRoutes } from "../../accounts/accounts.routes.ts";
import { recordsRoutes } from "../../records/records.routes.ts";
import { relayRoutes } from "../../relay/relay.routes.ts";
import { consentRoutes } from "../../consent/consent.routes.ts";
import { fhirConsentRoutes } from "../../consent/fhirConsent.routes.ts";
import { auditRoutes } from "../../audit/audit.routes.ts";
import { supplyRoutes } from "../../supply/supply.routes.ts";
import { keeperRoutes } from "../../keeper/keeper.routes.ts";
import { identityRoutes } from "../../identity/identity.routes.ts";
import { BREAK_GLASS_DURATION, BREAK_GLASS_MAX_CATEGORIES } from "../deployment.ts";
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
      info: { title: "medchain node API", version: ctx.version, description: "Patient-owned encrypted health records on an EVM ledger. Errors answer {code, message, details}." },
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler(apiErrorHandler);
  // The web portal at `/`; browser navigations to the app's own paths get its index.html.
  const portal = webPortal();
  await app.register(portal.plugin);
  app.setNotFoundHandler((req, reply) =>
    portal.notFound(req, reply) ?? apiNotFound(req, reply));

  app.get("/health", { schema: { tags: ["node"], summary: "Health: chain id and head, db and store status", response: { 200: zHealth } } }, async () => health(ctx));
  app.get("/network", { schema: { tags: ["node"], summary: "Chain id, contract addresses and relayer", response: { 200: zNetwork } } }, async () => ({
    chainId: ctx.deployment.chainId,
    relayer: ctx.relayerAddress.toLowerCase() as `0x${string}`,
    contracts: {
      forwarder: ctx.deployment.forwarder, keyRegistry: ctx.deployment.keyRegistry, recordRegistry: ctx.deployment.recordRegistry,
      consentRegistry: ctx.deployment.consentRegistry, auditAnchor: ctx.deployment.auditAnchor,
      tradingPartners: ctx.deployment.tradingPartners, supplyAnchor: ctx.deployment.supplyAnchor, digitalTwin: ctx.deployment.digitalTwin,
      trustRegistry: ctx.deployment.trustRegistry, governor: ctx.deployment.governor, membership: ctx.deployment.membership, timelock: ctx.deployment.timelock,
    },
    keepers: await ctx.keeperDirectory(),
    threshold: ctx.threshold,
    breakGlass: { maxCategories: BREAK_GLASS_MAX_CATEGORIES, durationSeconds: BREAK_GLASS_DURATION },
  }));
  app.get("/contracts", { schema: { tags: ["node"], summary: "Chain id and contract addresses", response: { 200: zContracts } } }, async () => ({
    chainId: ctx.deployment.chainId,
    contracts: {
      forwarder: ctx.deployment.forwarder, keyRegistry: ctx.deployment.keyRegistry, recordRegistry: ctx.deployment.recordRegistry,
      consentRegistry: ctx.deployment.consentRegistry, auditAnchor: ctx.deployment.auditAnchor,
      tradingPartners: ctx.deployment.tradingPartners, supplyAnchor: ctx.deployment.supplyAnchor, digitalTwin: ctx.deployment.digitalTwin,
      trustRegistry: ctx.deployment.trustRegistry, governor: ctx.deployment.governor, membership: ctx.deployment.membership, timelock: ctx.deployment.timelock,
    },
  }));
  await app.register(accountsRoutes(ctx));
  await app.register(recordsRoutes(ctx));
  await app.register(relayRoutes(ctx));
  await app.register(blobsRoutes(ctx));
  await app.register(consentRoutes(ctx));
  await app.register(fhirConsentRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(supplyRoutes(ctx));
  await app.register(identityRoutes(ctx));
  await app.register(keeperRoutes(ctx.keepers, { ...ctx.deployment }, "/keepers/:index"));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
