/**
 * The API's one error model at the edge. A MedchainError answers with its status and `{code, message, details}`;
 * validation failures answer 400 `InvalidInput` naming the fields; other client errors Fastify detects answer
 * their 4xx status as `InvalidInput`; anything unexpected answers 500 `Internal` with a generic message. Every 5xx
 * is logged with its cause (never sent to the client). Routes under `/fhir` answer the same errors as FHIR R4
 * OperationOutcome resources (`application/fhir+json`, the medchain code in `diagnostics`).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import pino from "pino";
import { MedchainError, type ErrorCode } from "../../kernel/errors.ts";
import { FHIR_JSON, operationOutcome, PROBLEM_JSON, problemDetails } from "../../kernel/outcomes.ts";

/** An error as the API answers it. */
export interface ApiFailure {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && ("code" in err || "statusCode" in err || "validation" in err);
}

/** What `err` answers: its status, code, safe message and details (never the message of an unexpected error). */
export function apiFailureOf(err: unknown): ApiFailure {
  if (err instanceof MedchainError) {
    const details = err.details === undefined ? {} : { details: err.details };
    return { status: err.status, code: err.code, message: err.shortMessage, ...details };
  }
  if (isFastifyError(err)) {
    if (err.validation !== undefined || err.code === "FST_ERR_VALIDATION") {
      const issues = (err.validation ?? []).map((v) => ({ path: v.instancePath, message: v.message ?? "invalid" }));
      const message = `invalid request ${err.validationContext ?? ""}`.trim();
      return { status: 400, code: "InvalidInput", message, details: { issues } };
    }
    if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
      const message = err.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "request body too large" : "malformed request";
      return { status: err.statusCode, code: "InvalidInput", message };
    }
  }
  return { status: 500, code: "Internal", message: "internal error in the medchain node" };
}

/** The cause chain of `err` in log form (message and stack of each cause), or undefined when it has none. */
export function causeForLog(err: unknown): unknown {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause === undefined) return undefined;
  return cause instanceof Error ? pino.stdSerializers.errWithCause(cause) : { value: String(cause) };
}

/** True for a request to a FHIR route (`/fhir` and below). */
export function isFhirRequest(req: FastifyRequest): boolean {
  const path = req.url.split("?")[0] ?? "";
  return path === "/fhir" || path.startsWith("/fhir/");
}

/**
 * Sends `failure` in the format of the route (kernel renderers): OperationOutcome under `/fhir`, problem+json
 * elsewhere.
 */
export function sendFailure(req: FastifyRequest, reply: FastifyReply, f: ApiFailure): FastifyReply {
  const err = new MedchainError(f.code, f.message, f.details === undefined ? {} : { details: f.details });
  if (isFhirRequest(req)) return reply.status(f.status).type(FHIR_JSON).send(operationOutcome(err));
  return reply
    .status(f.status)
    .type(PROBLEM_JSON)
    .send({ ...problemDetails(err), status: f.status });
}

/** The server's error handler (register it with `app.setErrorHandler(apiErrorHandler)`). */
export function apiErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const f = apiFailureOf(err);
  if (f.status >= 500) {
    const route = req.routeOptions.url;
    const message = err instanceof MedchainError ? err.shortMessage : "unexpected error";
    req.log.error({ code: f.code, route, err, cause: causeForLog(err) }, message);
  }
  return sendFailure(req, reply, f);
}

/** 404 for a path no route serves, in the format of that path (OperationOutcome under `/fhir`). */
export function apiNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = req.url.split("?")[0] ?? "";
  return sendFailure(req, reply, { status: 404, code: "NotFound", message: `no route ${req.method} ${path}` });
}
