/** The supply slice's HTTP endpoints, declared once (routes and client both come from here). */
import { z } from "zod";
import { defineEndpoint } from "../../kernel/endpoint.ts";
import { zAddress, zBytes32 } from "../../kernel/schemas.ts";
import {
  zAnchorDetail,
  zAnchorList,
  zAnchorsQuery,
  zCaptureBody,
  zPartnerList,
  zPreparedCapture,
  zRecallList,
  zSupplyBatch,
  zTwin,
  zTwinOfScan,
  zVerifyResult,
} from "./schemas.ts";

const zScanQuery = z.object({ scan: z.string().min(1).max(512) });

/** `POST /supply/documents`. */
export const prepareSupplyDocumentEndpoint = defineEndpoint({
  method: "POST",
  path: "/supply/documents",
  body: zCaptureBody,
  response: zPreparedCapture,
  tags: ["supply"],
  errors: ["InvalidEpcis", "UnsupportedEpcis", "InvalidGs1", "NotCustodian"],
  summary:
    "Validate an EPCIS document (schema + CBV; only the current custodian ships a unit) and store it for " +
    "the partner to anchor; a refused document stores nothing",
});

/** `GET /supply/batches/:anchorId`. */
export const getSupplyBatchEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/batches/:anchorId",
  params: z.object({ anchorId: z.string().regex(/^[0-9]+$/) }),
  response: zSupplyBatch,
  tags: ["supply"],
  summary: "Whether an anchored batch was indexed or refused (and why)",
});

/** `GET /supply/verify?scan=`. */
export const verifyScanEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/verify",
  query: zScanQuery,
  response: zVerifyResult,
  tags: ["supply"],
  errors: ["InvalidBarcode"],
  summary: "Verify a scanned pack: verdict, reasons, journey and proofs checkable against the chain",
});

/** `GET /supply/twin?scan=`. */
export const twinOfScanEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/twin",
  query: zScanQuery,
  response: zTwinOfScan,
  tags: ["supply"],
  errors: ["InvalidBarcode", "TwinNotFound"],
  summary: "The digital twin of a scanned unit: owner (current custodian) and custody steps with their proven events",
});

/** `GET /supply/twins/:unitKey`. */
export const getTwinEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/twins/:unitKey",
  params: z.object({ unitKey: zBytes32 }),
  response: zTwin,
  tags: ["supply"],
  errors: ["TwinNotFound"],
  summary: "A digital twin by its bytes32 unit key (the ERC-721 token id)",
});

/** `GET /supply/partners`. */
export const listPartnersEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/partners",
  response: zPartnerList,
  tags: ["supply"],
  summary:
    "Registered trading partners (read from the chain), each with whether it may act now and, if not, why " +
    "(suspended, credential revoked/expired/de-accredited)",
});

/** `GET /supply/anchors?partner=`. */
export const listAnchorsEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/anchors",
  query: zAnchorsQuery,
  response: zAnchorList,
  tags: ["supply"],
  summary: "Anchored EPCIS batches as indexed, newest first (of one partner, or all)",
});

/** `GET /supply/anchors/:anchorId`. */
export const getAnchorDetailEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/anchors/:anchorId",
  params: z.object({ anchorId: z.string().regex(/^[0-9]{1,20}$/) }),
  response: zAnchorDetail,
  tags: ["supply"],
  summary: "One anchored batch: its events with inclusion proofs, and the root the chain holds now",
});

/** `GET /supply/recalls`. */
export const listRecallsEndpoint = defineEndpoint({
  method: "GET",
  path: "/supply/recalls",
  response: zRecallList,
  tags: ["supply"],
  summary: "Recalls recorded on chain, newest first, with whether each still stands",
});

/** `POST /admin/partners` (operator only). */
export const registerPartnerEndpoint = defineEndpoint({
  method: "POST",
  path: "/admin/partners",
  body: z.object({
    account: zAddress,
    kind: z.enum(["manufacturer", "repackager", "wholesaler", "dispenser", "regulator"]),
    gln: z.string().regex(/^[0-9]{13}$/),
    companyPrefix: z
      .string()
      .regex(/^[0-9]{4,12}$/)
      .optional(),
  }),
  response: z.object({ account: zAddress, kind: z.string(), gln: z.string() }),
  tags: ["admin"],
  errors: ["AccessDenied", "ContractReverted"],
  summary: "Register a trading partner (operator as registrar until governance; bearer token from the data dir)",
});

/** Every public endpoint of the supply slice. */
export const SUPPLY_ENDPOINTS = [
  prepareSupplyDocumentEndpoint,
  getSupplyBatchEndpoint,
  verifyScanEndpoint,
  twinOfScanEndpoint,
  getTwinEndpoint,
  listPartnersEndpoint,
  listAnchorsEndpoint,
  getAnchorDetailEndpoint,
  listRecallsEndpoint,
] as const;
