/**
 * FHIR routes of the consent slice: `POST /fhir/Consent/$map` (a Consent to
 * the grants it would create, or the precise refusal) and `GET /fhir/Consent`
 * (a patient's active grants as R4 Consent resources). Writing grants stays
 * with the patient's signature (POST /relay). Errors on these routes are FHIR
 * OperationOutcome resources with the medchain code in `diagnostics` (the
 * server's error handler, `src/node/api/errorHandler.ts`, answers every route
 * under `/fhir` so: a bug is a 500 `exception`, never a 400). Declared in
 * `sdk/endpoints.ts`; `GET /fhir/Consent` sends its Bundle itself, as
 * `application/fhir+json` (the declared response schema still serializes it).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { FHIR_JSON } from "../kernel/outcomes.ts";
import { listFhirConsentsEndpoint, mapFhirConsentEndpoint } from "./sdk/endpoints.ts";
import { consentToGrants } from "./sdk/fhirConsent.ts";
import { consentBundleOf, resolveDidActor } from "./sdk/consentBundle.ts";
import { listGrants } from "./consent.service.ts";

/** `POST /fhir/Consent/$map`, `GET /fhir/Consent`. */
export function fhirConsentRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, mapFhirConsentEndpoint, async (req) => {
      const mapped = consentToGrants(req.body, {
        patient: req.query.patient.toLowerCase() as `0x${string}`,
        resolveActor: resolveDidActor,
        now: Math.floor(Date.now() / 1000),
        defaultDurationSeconds: 30 * 86400,
        defaultPurposes: ["TREAT"],
      });
      return { grants: mapped.grants, mapping: mapped.mapping };
    });
    route(app, listFhirConsentsEndpoint, async (req, reply) => {
      const patient = req.query.patient.toLowerCase() as `0x${string}`;
      const bundle = consentBundleOf(await listGrants(ctx, { patient }), ctx.deployment.chainId, patient);
      return reply.type(FHIR_JSON).send({ ...bundle, type: "searchset", total: bundle.entry?.length ?? 0 });
    });
  };
}
