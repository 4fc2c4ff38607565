/** Error codes of the records slice (FHIR input, batches, writers). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the records slice and the HTTP status each maps to. */
export const RECORDS_ERRORS = defineErrorCodes({
  NotFhirBundle: 422,
  RecordNotFound: 404,
  BatchExists: 409,
  NotWriter: 403,
});

type RecordsErrors = typeof RECORDS_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends RecordsErrors {}
}
