/** The supply contracts' custom errors mapped to medchain error codes (exhaustive: checked against the ABI by type). */
import { defineContractErrors } from "../kernel/chain/contractErrors.ts";
import { tradingPartnersAbi, supplyAnchorAbi, digitalTwinAbi } from "../chain/generated/contracts.ts";
import "../identity/sdk/errors.ts";
import "./sdk/errors.ts";

const ABI = [...tradingPartnersAbi, ...supplyAnchorAbi, ...digitalTwinAbi] as const;

/** Every custom error of the supply slice's contracts, with its code and message. */
export const SUPPLY_CONTRACT_ERRORS = defineContractErrors("supply", ABI, {
  SupplyZeroAddress: { code: "InvalidInput", message: "an address is zero" },
  SupplyInvalidReason: {
    code: "InvalidInput",
    message: "a recall needs a stated reason (at most the registry's length)",
  },
  TwinRegistryMismatch: {
    code: "InvalidInput",
    message: "the supply anchor and the trading-partner registry do not belong together",
  },
  TwinZeroAddress: { code: "InvalidInput", message: "an address is zero" },
  SupplyNotPartner: { code: "AccessDenied", message: "only a registered, active trading partner can do this" },
  SupplyNotManufacturer: { code: "AccessDenied", message: "only a registered manufacturer can do this" },
  SupplyNotPrefixOwner: { code: "NotOwner", message: "the GS1 company prefix belongs to another manufacturer" },
  SupplyPrefixMismatch: { code: "InvalidInput", message: "the GTIN is not under that company prefix" },
  SupplyNotRecaller: { code: "NotOwner", message: "only the manufacturer that recalled the lot can clear it" },
  SupplyAlreadyRecalled: { code: "InvalidInput", message: "the lot is already recalled" },
  SupplyNotRecalled: { code: "InvalidInput", message: "the lot is not recalled" },
  SupplyInvalidGtin: { code: "InvalidGs1", message: "not a valid GTIN-14" },
  SupplyInvalidLot: { code: "InvalidGs1", message: "not a valid lot (1-20 GS1 characters)" },
  SupplyInvalidGln: { code: "InvalidGs1", message: "not a valid 13-digit GLN" },
  SupplyInvalidPrefix: { code: "InvalidGs1", message: "not a valid GS1 company prefix" },
  SupplyInvalidKind: { code: "InvalidInput", message: "unknown trading-partner kind" },
  SupplyPartnerExists: { code: "InvalidInput", message: "this account is already a registered partner" },
  SupplyGlnTaken: { code: "InvalidInput", message: "this GLN is registered to another partner" },
  SupplyPrefixTaken: {
    code: "InvalidInput",
    message: "this company prefix (or one overlapping it) is registered already",
  },
  SupplyUnknownPartner: { code: "NotFound", message: "no such trading partner" },
  SupplyClaimsMismatch: {
    code: "PartnerClaimsMismatch",
    message: "the kind, GLN or company prefix claimed differ from what the credential's issuer attested",
  },
  SupplyNotCredentialSubject: {
    code: "NotCredentialSubject",
    message: "only the credential's subject can register with it",
  },
  SupplyRenewalClaimsChanged: {
    code: "PartnerClaimsChanged",
    message: "a renewal keeps the partner's kind, GLN and company prefix; these differ",
  },
  SupplyNotCredentialPartner: {
    code: "NotCredentialPartner",
    message: "this partner was registered by the operator, not by credential: it has no credential to renew",
  },
  SupplyCredentialAlreadyBound: {
    code: "CredentialAlreadyBound",
    message: "this credential is already the partner's current one: renew with a new credential",
  },
  SupplyWrongCredentialType: {
    code: "InvalidCredential",
    message: "this is not an authorized-trading-partner credential",
  },
  TwinNotManufacturer: { code: "AccessDenied", message: "only a registered, active manufacturer mints digital twins" },
  TwinNotPartner: {
    code: "AccessDenied",
    message: "only a registered, active trading partner can move a digital twin",
  },
  TwinNotDispenser: {
    code: "AccessDenied",
    message: "only a registered, active dispenser decommissions a digital twin",
  },
  TwinInvalidRecipient: {
    code: "InvalidInput",
    message: "the recipient is not another registered, active trading partner",
  },
  TwinZeroUnitKey: { code: "InvalidInput", message: "the unit key is zero" },
  TwinAlreadyMinted: { code: "TwinExists", message: "this unit's digital twin was minted already" },
  TwinUnknownUnit: { code: "TwinNotFound", message: "this unit has no digital twin" },
  TwinAlreadyDecommissioned: {
    code: "TwinDecommissioned",
    message: "this unit's digital twin was decommissioned (dispensed)",
  },
  TwinNotCustodian: { code: "NotCustodian", message: "only the unit's current custodian can do this" },
  TwinNotCommissioner: {
    code: "EventNotProven",
    message: "the commissioning event is not in a batch this manufacturer anchored",
  },
  TwinEventNotFromCustodian: { code: "EventNotProven", message: "the event is not in a batch the custodian anchored" },
  TwinInvalidProof: {
    code: "EventNotProven",
    message: "the Merkle proof does not show the event under the batch's anchored root",
  },
  TwinTransferDisabled: { code: "AccessDenied", message: "digital twins move only with a proven custody event" },
});
