/** The consent slice's HTTP endpoints, declared once (routes and client both come from here). */
import { z } from "zod";
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { FHIR_JSON } from "../../kernel/outcomes.ts";
import { zAddress } from "../../kernel/schemas.ts";
import { zGrantList, zGrantsQuery } from "./schemas.ts";

/** `GET /consent/grants?patient=&grantee=`. */
export const listGrantsEndpoint = defineEndpoint({
  method: "GET",
  path: "/consent/grants",
  query: zGrantsQuery,
  response: zGrantList,
  tags: ["consent"],
  summary: "Grants of a patient and/or to a grantee (from the index; keepers re-check the chain at release)",
});

/** `POST /fhir/Consent/$map?patient=`: an R4 Consent to the grants it would create (errors are OperationOutcomes). */
export const mapFhirConsentEndpoint = defineEndpoint({
  method: "POST",
  path: "/fhir/Consent/$map",
  query: z.object({ patient: zAddress }),
  body: z.record(z.string(), z.unknown()),
  response: z.object({ grants: z.array(z.unknown()), mapping: z.array(z.unknown()) }),
  tags: ["consent"],
  errors: ["UnsupportedConsent"],
  summary:
    "Map an R4 Consent to grants (actors resolved by did:pkh identifier); refuses with an OperationOutcome " +
    "naming the provision",
});

/** `GET /fhir/Consent?patient=`: a searchset Bundle of R4 Consent resources (`application/fhir+json`). */
export const listFhirConsentsEndpoint = defineEndpoint({
  method: "GET",
  path: "/fhir/Consent",
  query: z.object({ patient: zAddress }),
  response: z.looseObject({ resourceType: z.literal("Bundle") }),
  produces: FHIR_JSON,
  tags: ["consent"],
  summary: "A patient's active grants as a Bundle of R4 Consent resources",
});

/** Every endpoint of the consent slice. */
export const CONSENT_ENDPOINTS = [listGrantsEndpoint, mapFhirConsentEndpoint, listFhirConsentsEndpoint] as const;
