/**
 * Validation of incoming FHIR R4 Bundles. Structural checks only (bundle
 * shape, entry shape, R4 resource types, ids, transaction requests); per-type
 * profile validation needs the FHIR StructureDefinitions and is not done here.
 * Errors name the JSON path, never a value from the record.
 */
import type { Bundle, Resource } from "@medplum/fhirtypes";
import { MedchainError } from "../../kernel/errors.ts";
import { FHIR_R4_RESOURCE_TYPES } from "../../kernel/fhirResourceTypes.ts";
import "./errors.ts";

/** Bundle types medchain imports. */
export const IMPORTABLE_BUNDLE_TYPES = ["transaction", "collection", "searchset", "batch", "document"] as const;

/** One resource taken from a bundle, with the fullUrl it had there. */
export interface BundleResource {
  /** The entry's fullUrl (kept so that references inside the bundle still resolve after export). */
  fullUrl: string | undefined;
  /** The resource, unchanged. */
  resource: Resource;
}

const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]);

function fail(message: string, path: string): never {
  throw new MedchainError("InvalidFhir", message, { details: { path } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses JSON text, refusing anything that is not JSON with `NotFhirBundle`. */
export function parseBundleJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MedchainError("NotFhirBundle", "file is not JSON, so not a FHIR Bundle");
  }
}

/**
 * Checks that `value` is a FHIR R4 Bundle medchain can import and returns its
 * resources in entry order. Throws `NotFhirBundle` or `InvalidFhir` (with the
 * JSON path in `details.path`).
 */
export function validateBundle(value: unknown): BundleResource[] {
  if (!isObject(value) || value.resourceType !== "Bundle") {
    throw new MedchainError("NotFhirBundle", 'not a FHIR Bundle (resourceType must be "Bundle")');
  }
  const bundle = value as Bundle & Record<string, unknown>;
  if (typeof bundle.type !== "string" || !(IMPORTABLE_BUNDLE_TYPES as readonly string[]).includes(bundle.type)) {
    fail(`Bundle.type must be one of ${IMPORTABLE_BUNDLE_TYPES.join(", ")}`, "Bundle.type");
  }
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) fail("Bundle has no entries", "Bundle.entry");
  const out: BundleResource[] = [];
  const seen = new Set<string>();
  bundle.entry.forEach((entry: unknown, i: number) => {
    const path = `Bundle.entry[${i}]`;
    if (!isObject(entry)) fail("entry is not an object", path);
    const resource = entry.resource;
    if (!isObject(resource)) fail("entry has no resource", `${path}.resource`);
    const rt = resource.resourceType;
    if (typeof rt !== "string" || !FHIR_R4_RESOURCE_TYPES.has(rt))
      fail("unknown FHIR R4 resourceType", `${path}.resource.resourceType`);
    if (rt === "Bundle") fail("nested Bundles are not imported", `${path}.resource.resourceType`);
    if (resource.id !== undefined && (typeof resource.id !== "string" || !ID_RE.test(resource.id))) {
      fail("resource id is not a valid FHIR id", `${path}.resource.id`);
    }
    const fullUrl = entry.fullUrl;
    if (fullUrl !== undefined && (typeof fullUrl !== "string" || fullUrl.length === 0))
      fail("fullUrl must be a " + "non-empty string", `${path}.fullUrl`);
    if (typeof fullUrl === "string") {
      if (seen.has(fullUrl)) fail("duplicate fullUrl", `${path}.fullUrl`);
      seen.add(fullUrl);
    }
    if (bundle.type === "transaction" || bundle.type === "batch") {
      const req = entry.request;
      if (!isObject(req) || typeof req.method !== "string" || !METHODS.has(req.method) || typeof req.url !== "string") {
        fail("transaction entries need request.method and request.url", `${path}.request`);
      }
    }
    out.push({ fullUrl: typeof fullUrl === "string" ? fullUrl : undefined, resource: resource as unknown as Resource });
  });
  return out;
}
