/**
 * The consent slice: grants, delegates and break-glass (ConsentRegistry), FHIR Consent both ways; `medchain grant`, ...
 */
import { consentRegistryAbi, consentRegistryBytecode } from "../chain/generated/contracts.ts";
import { categoryMask } from "../kernel/categories.ts";
import type { SliceModule } from "../node/module.ts";
import { CONSENT_ENDPOINTS } from "./sdk/endpoints.ts";
import { CONSENT_CONTRACT_ERRORS } from "./consent.contractErrors.ts";
import { CONSENT_ERRORS } from "./sdk/errors.ts";
import { consentCommands } from "./consent.cli.ts";
import { fhirConsentCommands } from "./fhirConsent.cli.ts";
import "./sdk/network.ts";

/**
 * Categories a clinician may open in an emergency (break-glass): what emergency care needs, not finances or documents.
 */
export const BREAK_GLASS_MAX_CATEGORIES = categoryMask([
  "demographics",
  "clinical",
  "observations",
  "medications",
  "immunizations",
  "allergies",
]);
/** How long a break-glass grant lasts (seconds). */
export const BREAK_GLASS_DURATION = 4 * 60 * 60;

/** The consent slice's module. */
export const consentModule: SliceModule = {
  name: "consent",
  contracts: [
    {
      key: "consentRegistry",
      abi: consentRegistryAbi,
      bytecode: consentRegistryBytecode,
      relayTarget: true,
      args: (d) => [d.forwarder, d.trustRegistry, BREAK_GLASS_MAX_CATEGORIES, BigInt(BREAK_GLASS_DURATION)],
    },
  ],
  contractErrors: CONSENT_CONTRACT_ERRORS,
  errors: CONSENT_ERRORS,
  httpPrefixes: ["/consent", "/fhir"],
  endpoints: CONSENT_ENDPOINTS,
  async afterDeploy({ client, deployment, log }) {
    const { address, abi } = { address: deployment.consentRegistry, abi: consentRegistryAbi };
    const trust = await client.readContract({ address, abi, functionName: "trustRegistry" }).catch(() => undefined);
    if (trust?.toLowerCase() !== deployment.trustRegistry) {
      log.info(
        "this data dir's consent registry predates the trust registry: its break-glass " +
          "does not follow licence credentials (start a new data dir to get it)",
      );
    }
  },
  async indexers(env) {
    const { consentIndexer } = await import("./consent.indexer.ts");
    return [consentIndexer(env.deployment.consentRegistry)];
  },
  network: {
    read: async () => ({
      breakGlass: { maxCategories: BREAK_GLASS_MAX_CATEGORIES, durationSeconds: BREAK_GLASS_DURATION },
    }),
  },
  async routes(ctx) {
    const [{ consentRoutes }, { fhirConsentRoutes }] = await Promise.all([
      import("./consent.routes.ts"),
      import("./fhirConsent.routes.ts"),
    ]);
    return async (app) => {
      await app.register(consentRoutes(ctx));
      await app.register(fhirConsentRoutes(ctx));
    };
  },
  cli(program) {
    consentCommands(program);
    fhirConsentCommands(program);
  },
};
