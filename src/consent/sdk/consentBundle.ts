/** Shared glue between indexed grants and FHIR Consent resources (isomorphic; used by the CLI and the FHIR routes). */
import type { Bundle, Consent } from "@medplum/fhirtypes";
import { didOf } from "../../accounts/sdk/did.ts";
import { categoriesOfMask } from "../../kernel/categories.ts";
import type { GrantInfo } from "./schemas.ts";
import { grantsToConsents, type ActorReference } from "./fhirConsent.ts";
import { purposesOfMask } from "../../kernel/purposes.ts";

/** Identifier system of DIDs in Consent actors. */
export const DID_SYSTEM = "urn:ietf:rfc:3986";

/** Resolves an actor given as a did:pkh identifier (what {@link consentBundleOf} writes). */
export function resolveDidActor(ref: ActorReference): `0x${string}` | undefined {
  const m = ref.identifier?.value?.match(/^did:pkh:eip155:\d+:(0x[0-9a-fA-F]{40})$/);
  return m?.[1] === undefined ? undefined : (m[1].toLowerCase() as `0x${string}`);
}

/** The active grants among `grants` as a Bundle of R4 Consent resources (actors as did:pkh identifiers). */
export function consentBundleOf(
  grants: readonly GrantInfo[],
  chainId: number,
  patient: `0x${string}`,
): Bundle<Consent> {
  const active = grants
    .filter((g) => g.active)
    .map((g) => ({
      grantId: g.grantId,
      patient: g.patient,
      breakGlass: g.breakGlass,
      grantee: g.grantee,
      categories: categoriesOfMask(g.categories),
      purposes: purposesOfMask(g.purposes),
      notBefore: g.notBefore,
      expiresAt: g.expiresAt,
    }));
  const consents = grantsToConsents(active, {
    patientReference: `Patient/${patient.toLowerCase()}`,
    actorReference: (a) => ({ identifier: { system: DID_SYSTEM, value: didOf(chainId, a) } }),
  });
  return { resourceType: "Bundle", type: "collection", entry: consents.map((resource) => ({ resource })) };
}
