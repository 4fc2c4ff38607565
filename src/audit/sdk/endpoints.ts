/** The audit slice's HTTP endpoints, declared once (routes and client both come from here). */
import { z } from "zod";
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { zBytes32 } from "../../kernel/schemas.ts";
import { zAnchorInfo } from "./schemas.ts";

/** `GET /audit/anchors/:root`. */
export const getAuditAnchorEndpoint = defineEndpoint({
  method: "GET",
  path: "/audit/anchors/:root",
  params: z.object({ root: zBytes32 }),
  response: zAnchorInfo,
  tags: ["audit"],
  summary: "Whether and by which keeper an audit root is anchored (read from the chain)",
});

/** Every endpoint of the audit slice. */
export const AUDIT_ENDPOINTS = [getAuditAnchorEndpoint] as const;
