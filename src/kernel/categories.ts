/**
 * Coarse record categories. Only the category bitmask reaches the chain, so
 * categories are deliberately broad: they say "some lab results", never which.
 * Grants (consent issue) are scoped by category or resource type.
 */

/** Category codes; the value is the bit index in the on-chain `categories` bitmask. */
export const CATEGORY = {
  demographics: 0,
  encounters: 1,
  clinical: 2,
  observations: 3,
  medications: 4,
  immunizations: 5,
  allergies: 6,
  financial: 7,
  administrative: 8,
  documents: 9,
  other: 10,
} as const;

/** A category name. */
export type CategoryName = keyof typeof CATEGORY;

const BY_TYPE: Record<string, CategoryName> = {
  Patient: "demographics",
  RelatedPerson: "demographics",
  Person: "demographics",
  Encounter: "encounters",
  EpisodeOfCare: "encounters",
  Appointment: "encounters",
  Condition: "clinical",
  Procedure: "clinical",
  CarePlan: "clinical",
  CareTeam: "clinical",
  Goal: "clinical",
  ClinicalImpression: "clinical",
  FamilyMemberHistory: "clinical",
  ServiceRequest: "clinical",
  Observation: "observations",
  DiagnosticReport: "observations",
  ImagingStudy: "observations",
  Media: "observations",
  Specimen: "observations",
  MolecularSequence: "observations",
  RiskAssessment: "observations",
  Medication: "medications",
  MedicationRequest: "medications",
  MedicationAdministration: "medications",
  MedicationDispense: "medications",
  MedicationStatement: "medications",
  Immunization: "immunizations",
  ImmunizationEvaluation: "immunizations",
  ImmunizationRecommendation: "immunizations",
  AllergyIntolerance: "allergies",
  Claim: "financial",
  ClaimResponse: "financial",
  ExplanationOfBenefit: "financial",
  Coverage: "financial",
  Account: "financial",
  Invoice: "financial",
  ChargeItem: "financial",
  Organization: "administrative",
  Practitioner: "administrative",
  PractitionerRole: "administrative",
  Location: "administrative",
  Device: "administrative",
  HealthcareService: "administrative",
  Endpoint: "administrative",
  DocumentReference: "documents",
  Composition: "documents",
  Provenance: "documents",
  Consent: "documents",
  QuestionnaireResponse: "documents",
  AuditEvent: "documents",
};

/** The coarse category of a FHIR resource type. */
export function categoryOf(resourceType: string): CategoryName {
  return BY_TYPE[resourceType] ?? "other";
}

/** Bitmask of a set of categories (as stored on chain). */
export function categoryMask(names: Iterable<CategoryName>): number {
  let mask = 0;
  for (const n of names) mask |= 1 << CATEGORY[n];
  return mask >>> 0;
}

/** The category names in a bitmask. */
export function categoriesOfMask(mask: number): CategoryName[] {
  return (Object.keys(CATEGORY) as CategoryName[]).filter((n) => (mask >>> CATEGORY[n]) & 1);
}
