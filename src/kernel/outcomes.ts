/**
 * The one place where a {@link MedchainError} becomes a response body (after
 * Medplum's `outcomes.ts`): RFC 9457 problem details for the JSON API, and a
 * FHIR R4 OperationOutcome for FHIR routes. Both carry medchain's stable
 * `code`; neither carries the cause (that goes to the log).
 */
import { MedchainError, type ErrorCode } from "./errors.ts";

/** The `application/problem+json` media type. */
export const PROBLEM_JSON = "application/problem+json";
/** The `application/fhir+json` media type. */
export const FHIR_JSON = "application/fhir+json";

/** An RFC 9457 problem details body, extended with medchain's `code`, `message` and `details`. */
export interface ProblemDetails {
  /** A URI naming the problem type: `urn:medchain:error:<code>`. */
  type: string;
  /** The code, as a short human-readable summary of the type. */
  title: ErrorCode;
  /** The HTTP status. */
  status: number;
  /** This occurrence, in one line (the error's short message). */
  detail: string;
  /** medchain's stable error code (same as `title`). */
  code: ErrorCode;
  /** Same as `detail` (what medchain clients read). */
  message: string;
  /** Structured, non-sensitive facts. */
  details?: Record<string, unknown>;
}

/** Renders an error as RFC 9457 problem details. */
export function problemDetails(err: MedchainError): ProblemDetails {
  const body: ProblemDetails = {
    type: `urn:medchain:error:${err.code}`,
    title: err.code,
    status: err.status,
    detail: err.shortMessage,
    code: err.code,
    message: err.shortMessage,
  };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/** A FHIR R4 OperationOutcome (only the fields medchain fills). */
export interface OperationOutcome {
  resourceType: "OperationOutcome";
  issue: Array<{
    severity: "error";
    code: "invalid" | "not-found" | "not-supported" | "exception";
    diagnostics: ErrorCode;
    details: { text: string };
    expression?: string[];
  }>;
}

function fhirIssueCode(err: MedchainError): OperationOutcome["issue"][number]["code"] {
  if (err.code === "UnsupportedConsent" || err.code === "UnsupportedEpcis") return "not-supported";
  if (err.status === 404) return "not-found";
  return err.status < 500 ? "invalid" : "exception";
}

/** Renders an error as a FHIR R4 OperationOutcome, the medchain code in `diagnostics`, a field path in `expression`. */
export function operationOutcome(err: MedchainError): OperationOutcome {
  const path = err.details?.provision ?? err.details?.path;
  return {
    resourceType: "OperationOutcome",
    issue: [
      {
        severity: "error",
        code: fhirIssueCode(err),
        diagnostics: err.code,
        details: { text: err.shortMessage },
        ...(typeof path === "string" ? { expression: [path] } : {}),
      },
    ],
  };
}
