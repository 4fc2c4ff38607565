/** Error codes of the accounts slice (accounts and their published encryption keys). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the accounts slice and the HTTP status each maps to. */
export const ACCOUNTS_ERRORS = defineErrorCodes({
  UnknownPatient: 404,
  UnknownAccount: 404,
  EncryptionKeyMissing: 409,
});

type AccountsErrors = typeof ACCOUNTS_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends AccountsErrors {}
}
