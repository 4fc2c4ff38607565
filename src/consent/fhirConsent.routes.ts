/**
 * FHIR routes of the consent slice: `POST /fhir/Consent/$map` (a Consent to
 * the grants it would create, or the precise refusal) and `GET /fhir/Consent`
 * (a patient's active grants as R4 Consent resources). Writing grants stays
 * with the patient's signature (POST /relay). Errors on these routes are FHIR
 * OperationOutcome resources with the medchain code in `diagnostics` (the
 * server's error handler, `src/node/api/errorHandler.ts`, answers every route
 * under `/fhir` so: a bug is a 500 `exception`, never a 400).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { zAddress } from "../kernel/schemas.ts";
import type { NodeContext } from "../node/context.ts";
import { consentToGrants } from "./sdk/fhirConsent.ts";
import { consentBundleOf, resolveDidActor } from "./sdk/consentBundle.ts";
import { listGrants } from "./consent.service.ts";

/** `POST /fhir/Consent/$map`, `GET /fhir/Consent`. */
export function fhirConsentRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/fhir/Consent/$map", {
      schema: {
        tags: ["consent"], summary: "Map an R4 Consent to grants (actors resolved by did:pkh identifier); refuses with an OperationOutcome naming the provision",
        querystring: z.object({ patient: zAddress }), body: z.record(z.string(), z.unknown()),
      },
    }, async (req) => {
      const mapped = consentToGrants(req.body, {
        patient: req.query.patient.toLowerCase() as `0x${string}`,
        resolveActor: resolveDidActor,
        now: Math.floor(Date.now() / 1000), defaultDurationSeconds: 30 * 86400, defaultPurposes: ["TREAT"],
      });
      return { grants: mapped.grants, mapping: mapped.mapping };
    });
    app.get("/fhir/Consent", {
      schema: { tags: ["consent"], summary: "A patient's active grants as a Bundle of R4 Consent resources", querystring: z.object({ patient: zAddress }) },
    }, async (req, reply) => {
      const patient = req.query.patient.toLowerCase() as `0x${string}`;
      const bundle = consentBundleOf(await listGrants(ctx, { patient }), ctx.deployment.chainId, patient);
      return reply.type("application/fhir+json").send({ ...bundle, type: "searchset", total: bundle.entry?.length ?? 0 });
    });
  };
}
