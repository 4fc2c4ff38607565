/**
 * The credential types the trust registry knows, as CLI and API name them:
 * short aliases (`clinician`, `trading-partner`, `ethics`) for the W3C type
 * names, and the on-chain type ids (keccak256 of the name). Isomorphic.
 */
import type { Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { CREDENTIAL_TYPES, credentialTypeId, type CredentialTypeName } from "./index.ts";

/** Short aliases of the credential type names. */
export const TRUST_TYPE_ALIASES = {
  clinician: CREDENTIAL_TYPES.ClinicianLicence,
  "trading-partner": CREDENTIAL_TYPES.TradingPartner,
  ethics: CREDENTIAL_TYPES.EthicsApproval,
} as const satisfies Record<string, CredentialTypeName>;

/** A short alias (`clinician`, `trading-partner`, `ethics`). */
export type TrustTypeAlias = keyof typeof TRUST_TYPE_ALIASES;
/** A credential type name the registry governs. */
export type TrustTypeName = CredentialTypeName;

/** keccak256(utf8(name)): the on-chain id of a credential type (the credential SDK's `credentialTypeId`). */
export function typeIdOf(name: string): Hex {
  return credentialTypeId(name);
}

const BY_ID = new Map<string, TrustTypeName>(Object.values(TRUST_TYPE_ALIASES).map((n) => [typeIdOf(n), n]));

/** The type name of an alias or a full name; `InvalidInput` for anything else. */
export function trustTypeName(aliasOrName: string): TrustTypeName {
  if (Object.hasOwn(TRUST_TYPE_ALIASES, aliasOrName)) return TRUST_TYPE_ALIASES[aliasOrName as TrustTypeAlias];
  const byName = Object.values(TRUST_TYPE_ALIASES).find((n) => n === aliasOrName);
  if (byName !== undefined) return byName;
  throw new MedchainError(
    "InvalidInput",
    `unknown credential type "${aliasOrName}" (known: ${Object.keys(TRUST_TYPE_ALIASES).join(", ")})`,
  );
}

/** The name of a known type id, or null. */
export function typeNameOfId(typeId: string): TrustTypeName | null {
  return BY_ID.get(typeId.toLowerCase()) ?? null;
}
