/** Error codes of the supply slice (GS1, EPCIS, custody, digital twins, trading partners). */
import { defineErrorCodes } from "../../kernel/errors.ts";

/** Error codes of the supply slice and the HTTP status each maps to. */
export const SUPPLY_ERRORS = defineErrorCodes({
  InvalidEpcis: 422,
  UnsupportedEpcis: 422,
  InvalidBarcode: 422,
  InvalidGs1: 422,
  NotCustodian: 403,
  TwinExists: 409,
  TwinNotFound: 404,
  TwinDecommissioned: 410,
  EventNotProven: 422,
  PartnerClaimsMismatch: 422,
  PartnerClaimsChanged: 422,
  NotCredentialPartner: 409,
  CredentialAlreadyBound: 409,
});

type SupplyErrors = typeof SUPPLY_ERRORS;

declare module "../../kernel/errors.ts" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the slice's codes
  interface ErrorCodeRegistry extends SupplyErrors {}
}
