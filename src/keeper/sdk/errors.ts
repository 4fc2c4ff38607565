/** Error codes of the keeper slice (threshold key release). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the keeper slice and the HTTP status each maps to. */
export const KEEPER_ERRORS = defineErrorCodes({
  KeepersUnavailable: 503,
});

type KeeperErrors = typeof KEEPER_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends KeeperErrors {}
}
