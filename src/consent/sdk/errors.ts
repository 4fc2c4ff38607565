/** Error codes of the consent slice (grants, delegates, break-glass, FHIR Consent). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the consent slice and the HTTP status each maps to. */
export const CONSENT_ERRORS = defineErrorCodes({
  UnsupportedConsent: 422,
  GrantNotFound: 404,
  GrantRevoked: 403,
  GrantExpired: 403,
  GrantNotYetValid: 403,
  NotGrantee: 403,
  ScopeNotGranted: 403,
  PurposeNotGranted: 403,
  NotPatientOrDelegate: 403,
  NotClinician: 403,
  BreakGlassExceedsCap: 403,
});

type ConsentErrors = typeof CONSENT_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends ConsentErrors {}
}
