/** The supply slice's client extension (methods of `NodeClient`), built from its endpoint declarations. */
import type { z } from "zod";
import type { NodeClientBase } from "../../kernel/nodeClient.ts";
import {
  getAnchorDetailEndpoint,
  getSupplyBatchEndpoint,
  getTwinEndpoint,
  listAnchorsEndpoint,
  listPartnersEndpoint,
  listRecallsEndpoint,
  prepareSupplyDocumentEndpoint,
  twinOfScanEndpoint,
  verifyScanEndpoint,
} from "./endpoints.ts";
import type {
  AnchorDetail,
  AnchorSummary,
  PartnerInfo,
  PreparedCapture,
  RecallInfo,
  Twin,
  VerifyResult,
  zSupplyBatch,
  zTwinOfScan,
} from "./schemas.ts";

/** The supply slice's client methods. */
export interface SupplyActions {
  /** `POST /supply/documents`: validate and store an EPCIS document `partner` will anchor; returns what to anchor. */
  prepareSupplyDocument(document: unknown, partner: `0x${string}`): Promise<PreparedCapture>;
  /** `GET /supply/twin?scan=`: the scanned unit's digital twin (`TwinNotFound` if none was minted). */
  supplyTwin(scan: string): Promise<z.infer<typeof zTwinOfScan>>;
  /** `GET /supply/twins/:unitKey`: a digital twin by its bytes32 unit key. */
  supplyTwinByKey(unitKey: `0x${string}`): Promise<Twin>;
  /** `GET /supply/partners`: the registered trading partners (read from the chain). */
  supplyPartners(): Promise<PartnerInfo[]>;
  /** `GET /supply/batches/:anchorId`: whether an anchored batch was indexed or refused. */
  supplyBatch(anchorId: string): Promise<z.infer<typeof zSupplyBatch>>;
  /** `GET /supply/verify?scan=`: verdict, reasons, journey and proofs. */
  verify(scan: string): Promise<VerifyResult>;
  /** `GET /supply/anchors?partner=`: anchored EPCIS batches, newest first. */
  anchors(partner?: `0x${string}`): Promise<AnchorSummary[]>;
  /** `GET /supply/anchors/:anchorId`: one batch's events with proofs, and its root on chain. */
  anchorDetail(anchorId: string): Promise<AnchorDetail>;
  /** `GET /supply/recalls`: recalls recorded on chain, newest first. */
  recalls(): Promise<RecallInfo[]>;
}

/** Builds the supply slice's methods for `client` (use with `client.extend(supplyActions)`). */
export function supplyActions(client: NodeClientBase): SupplyActions {
  return {
    // The document is sent as given; the node validates it (a JSON object or an EPCIS XML/JSON string).
    prepareSupplyDocument: (document, partner) =>
      client.call(prepareSupplyDocumentEndpoint, {
        body: { document: document as Record<string, unknown> | string, partner },
      }),
    supplyTwin: (scan) => client.call(twinOfScanEndpoint, { query: { scan } }),
    supplyTwinByKey: (unitKey) => client.call(getTwinEndpoint, { params: { unitKey } }),
    supplyPartners: async () => (await client.call(listPartnersEndpoint)).partners,
    supplyBatch: (anchorId) => client.call(getSupplyBatchEndpoint, { params: { anchorId } }),
    verify: (scan) => client.call(verifyScanEndpoint, { query: { scan } }),
    anchors: async (partner) => (await client.call(listAnchorsEndpoint, { query: { partner } })).anchors,
    anchorDetail: (anchorId) => client.call(getAnchorDetailEndpoint, { params: { anchorId } }),
    recalls: async () => (await client.call(listRecallsEndpoint)).recalls,
  };
}
