/**
 * The credential types medchain issues and accepts, the claims each carries
 * (zod), and their on-chain ids: a type id is keccak256 of the type name, a
 * credential id is keccak256 of the credential's `id` (`urn:uuid:...`), so
 * the chain holds neither claims nor names of people.
 */
import { encodeAbiParameters, keccak256, parseAbiParameters, stringToBytes, type Hex } from "viem";
import { z } from "zod";
import { hasValidCheckDigit } from "../../kernel/gs1CheckDigit.ts";
import { MedchainError } from "../../kernel/errors.ts";
import "./errors.ts";

/** Credential types by short key; the values are the VC `type` names. */
export const CREDENTIAL_TYPES = {
  ClinicianLicence: "ClinicianLicenceCredential",
  TradingPartner: "AuthorizedTradingPartnerCredential",
  EthicsApproval: "EthicsApprovalCredential",
} as const;

/** A short key of {@link CREDENTIAL_TYPES}. */
export type CredentialTypeKey = keyof typeof CREDENTIAL_TYPES;
/** A medchain credential type name (the VC `type` value). */
export type CredentialTypeName = (typeof CREDENTIAL_TYPES)[CredentialTypeKey];

/** Roles a trading partner can be accredited for (DSCSA-style supply chain roles). */
export const TRADING_PARTNER_ROLES = ["manufacturer", "repackager", "wholesaler", "dispenser", "regulator"] as const;

/** Printable text without control characters, trimmed, of bounded length. */
function text(max: number): z.ZodString {
  return z
    .string()
    .trim()
    .min(1, { message: "must not be empty" })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { message: "must not contain control characters" });
}

/**
 * Claims of a clinician licence: licence number, jurisdiction (ISO 3166-1 alpha-2 or 3166-2 code, e.g. GB, US-CA) and
 * specialty.
 */
export const zClinicianLicenceClaims = z.strictObject({
  licenceNumber: text(64),
  jurisdiction: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, {
    message: "must be an ISO 3166 country or " + "subdivision code (e.g. GB, US-CA)",
  }),
  specialty: text(128),
});

/**
 * Claims of an authorized trading partner: GLN (13 digits, GS1 check digit), GS1 company prefix (4-12 digits) and role.
 */
export const zTradingPartnerClaims = z.strictObject({
  gln: z
    .string()
    .regex(/^[0-9]{13}$/, { message: "must be a 13-digit GLN" })
    .refine(hasValidCheckDigit, { message: "GLN check digit is wrong" }),
  companyPrefix: z.string().regex(/^[0-9]{4,12}$/, { message: "must be a GS1 company prefix (4-12 digits)" }),
  role: z.enum(TRADING_PARTNER_ROLES, { message: `must be one of ${TRADING_PARTNER_ROLES.join(", ")}` }),
});

/** Claims of an ethics approval: approval number, committee, and the study (title and/or protocol id; at least one). */
export const zEthicsApprovalClaims = z
  .strictObject({
    approvalNumber: text(64),
    committee: text(256),
    studyTitle: text(512).optional(),
    protocolId: text(128).optional(),
  })
  .refine((c) => c.studyTitle !== undefined || c.protocolId !== undefined, {
    message: "needs a studyTitle " + "or a protocolId",
    path: ["protocolId"],
  });

/** The claims schema of each credential type. */
export const CLAIMS_SCHEMAS = {
  ClinicianLicenceCredential: zClinicianLicenceClaims,
  AuthorizedTradingPartnerCredential: zTradingPartnerClaims,
  EthicsApprovalCredential: zEthicsApprovalClaims,
} as const satisfies Record<CredentialTypeName, z.ZodType>;

/** The claims of credential type `T`. */
export type ClaimsOf<T extends CredentialTypeName> = z.infer<(typeof CLAIMS_SCHEMAS)[T]>;
/** Claims of any medchain credential type. */
export type CredentialClaims = ClaimsOf<CredentialTypeName>;

const NAMES: readonly string[] = Object.values(CREDENTIAL_TYPES);

/** True when `name` is a medchain credential type name. */
export function isCredentialTypeName(name: unknown): name is CredentialTypeName {
  return typeof name === "string" && NAMES.includes(name);
}

/**
 * A type given by name (`ClinicianLicenceCredential`) or short key (`ClinicianLicence`) as its name;
 * `InvalidCredential` otherwise.
 */
export function credentialTypeName(type: string): CredentialTypeName {
  if (isCredentialTypeName(type)) return type;
  if (Object.hasOwn(CREDENTIAL_TYPES, type)) return CREDENTIAL_TYPES[type as CredentialTypeKey];
  throw new MedchainError("InvalidCredential", "unknown credential type", {
    details: { path: "type", type, known: NAMES },
  });
}

/** The on-chain id of a credential type: keccak256(utf8(typeName)). */
export function credentialTypeId(typeName: string): Hex {
  return keccak256(stringToBytes(typeName));
}

/** The on-chain id of a credential: keccak256(utf8(vc.id)). */
export function credentialIdOf(vcId: string): Hex {
  return keccak256(stringToBytes(vcId));
}

/**
 * Validates the claims of a credential type. Throws `InvalidCredential` with
 * `details.path` (e.g. `credentialSubject.gln`); messages name the field and
 * the rule, never the value.
 */
export function parseClaims<T extends CredentialTypeName>(type: T, claims: unknown): ClaimsOf<T> {
  const r = CLAIMS_SCHEMAS[type].safeParse(claims);
  if (r.success) return r.data as ClaimsOf<T>;
  const issues = r.error.issues.map((i) =>
    i.code === "unrecognized_keys"
      ? {
          path: ["credentialSubject", ...i.path.map(String), i.keys[0] ?? ""].join("."),
          message: "is not a claim of " + "this credential type",
        }
      : { path: ["credentialSubject", ...i.path.map(String)].join("."), message: i.message },
  );
  const first = issues[0] ?? { path: "credentialSubject", message: "is invalid" };
  throw new MedchainError("InvalidCredential", `${type} claims are invalid: ${first.path} ${first.message}`, {
    details: { path: first.path, issues },
  });
}

/** The on-chain partner kind of a trading-partner role (1 manufacturer .. 5 regulator, as in ITradingPartners). */
export function partnerKindOf(role: (typeof TRADING_PARTNER_ROLES)[number]): number {
  return TRADING_PARTNER_ROLES.indexOf(role) + 1;
}

/**
 * The digest an issuer binds to a trading-partner credential in the trust registry and TradingPartners checks:
 * keccak256(abi.encode(uint8 kind, uint64 gln, string companyPrefix)). Business data only, never personal data.
 */
export function tradingPartnerClaimsDigest(claims: ClaimsOf<"AuthorizedTradingPartnerCredential">): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("uint8, uint64, string"), [
      partnerKindOf(claims.role),
      BigInt(claims.gln),
      claims.companyPrefix,
    ]),
  );
}
