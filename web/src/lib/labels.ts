/** Human names of record categories and purposes of use. */
import type { CategoryName } from "../../../src/kernel/categories.ts";
import type { PurposeCode } from "../../../src/kernel/purposes.ts";

/** Category names people read. */
export const CATEGORY_LABELS: Record<CategoryName, string> = {
  demographics: "Personal details",
  encounters: "Visits",
  clinical: "Conditions and procedures",
  observations: "Vital signs and lab results",
  medications: "Medications",
  immunizations: "Immunizations",
  allergies: "Allergies",
  financial: "Claims and billing",
  administrative: "Providers and organizations",
  documents: "Documents",
  other: "Other",
};

/** Purposes of use people read (HL7 v3 PurposeOfUse). */
export const PURPOSE_LABELS: Record<PurposeCode, string> = {
  TREAT: "Treatment",
  ETREAT: "Emergency treatment",
  HPAYMT: "Payment",
  HOPERAT: "Healthcare operations",
  HRESCH: "Research",
  PATRQT: "At my request",
  FAMRQT: "Family request",
  PUBHLTH: "Public health",
  CAREMGT: "Care management",
  CLINTRCH: "Clinical trial research",
  COVERAGE: "Insurance coverage",
};

/** Key-release outcomes people read (`released` or a refusal code). */
export function outcomeLabel(outcome: string): string {
  const words: Record<string, string> = {
    released: "Key released",
    GrantRevoked: "Refused: grant revoked",
    GrantExpired: "Refused: grant expired",
    GrantNotYetValid: "Refused: grant not yet valid",
    ScopeNotGranted: "Refused: outside the grant",
    PurposeNotGranted: "Refused: purpose not granted",
    NotGrantee: "Refused: not the grantee",
    RecordErased: "Refused: record erased",
    GrantNotFound: "Refused: no such grant",
    AccessDenied: "Refused",
  };
  return words[outcome] ?? `Refused: ${outcome}`;
}
