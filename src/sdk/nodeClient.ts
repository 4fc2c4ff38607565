/**
 * HTTP client of a medchain node (isomorphic: `fetch` only). Every failure is
 * a MedchainError: `NodeUnreachable` when the node cannot be reached, or the
 * node's own typed error (code and message) otherwise.
 */
import type { z } from "zod";
import { errorFromJSON, MedchainError } from "../kernel/errors.ts";
import { zAccountInfo, type AccountInfo } from "../accounts/sdk/schemas.ts";
import { networkSchema, zContracts, zHealth, type ContractsInfo, type Health, type NetworkInfo } from "../kernel/network.ts";
import "../keeper/sdk/network.ts";
import "../consent/sdk/network.ts";
import { zBatchInfo, zBatchList, zWriterList, type BatchInfo } from "../records/sdk/schemas.ts";
import { zFetchBlobsResult, zPutBlobsResult } from "../kernel/blobs.ts";
import { zPreparedRelay, zRelayResult, type ForwardRequest, type PreparedRelay, type RelayResult } from "../kernel/relay/forwardRequest.ts";
import { fromBase64, toBase64 } from "../kernel/crypto/bytes.ts";
import { zGrantList, type GrantInfo } from "../consent/sdk/schemas.ts";
import { zReleaseBody, zReleasedShare, type KeeperInfo, type ReleasedShare } from "../keeper/sdk/schemas.ts";
import { zAuditQueryBody, type AuditEntry } from "../audit/sdk/auditEvent.ts";
import { zAnchorInfo, zAuditList, type AnchorInfo } from "../audit/sdk/schemas.ts";
import {
  zAnchorDetail, zAnchorList, zPartnerList, zPreparedCapture, zRecallList, zSupplyBatch, zTwin, zTwinOfScan, zVerifyResult,
  type AnchorDetail, type AnchorSummary, type PartnerInfo, type PreparedCapture, type RecallInfo, type Twin, type VerifyResult,
} from "../supply/sdk/schemas.ts";
import {
  zChallenge, zGovStatus, zIssuerList, zPresentResult, zProposal, zRoles, zVerifiedCredential,
  type GovStatus, type IssuerInfo, type ProposalInfo, type VerifiedCredentialInfo,
} from "../identity/sdk/schemas.ts";

/** Options of a {@link NodeClient}. */
export interface NodeClientOptions {
  /** Custom fetch (tests, browsers with credentials). */
  fetch?: typeof fetch;
}

/** A typed client of one medchain node's HTTP API. */
export class NodeClient {
  /** Base URL of the node, without trailing slash. */
  readonly url: string;
  readonly #fetch: typeof fetch;
  #network: Promise<NetworkInfo> | undefined;

  constructor(url: string, options: NodeClientOptions = {}) {
    this.url = url.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #request<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    return this.#requestAt(this.url, schema, method, path, body);
  }

  async #requestAt<T>(base: string, schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new MedchainError("NodeUnreachable", `cannot reach the medchain node at ${base}`, { cause, details: { node: base } });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length === 0 ? undefined : JSON.parse(text);
    } catch (cause) {
      throw new MedchainError("NodeUnreachable", `${base} did not answer like a medchain node (status ${res.status})`, { cause });
    }
    if (!res.ok) throw errorFromJSON(json, res.status);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new MedchainError("Internal", `unexpected answer from the node for ${method} ${path.split("?")[0]}`, { cause: parsed.error });
    }
    return parsed.data;
  }

  /** `GET /health`. */
  health(): Promise<Health> {
    return this.#request(zHealth, "GET", "/health");
  }

  /** `GET /network` (cached per client). */
  network(): Promise<NetworkInfo> {
    // The schema checks the kernel's fields and every slice part loaded here; the slices declare the type.
    this.#network ??= this.#request(networkSchema(), "GET", "/network").then((n) => n as unknown as NetworkInfo).catch((e: unknown) => {
      this.#network = undefined;
      throw e;
    });
    return this.#network;
  }

  /** `GET /contracts`: chain id and contract addresses. */
  contracts(): Promise<ContractsInfo> {
    return this.#request(zContracts, "GET", "/contracts").then((c) => c as unknown as ContractsInfo); // keys declared by the slices
  }

  /** `GET /accounts/:address`: the published encryption key, read from the chain. */
  account(address: `0x${string}`): Promise<AccountInfo> {
    return this.#request(zAccountInfo, "GET", `/accounts/${address}`);
  }

  /** `POST /relay/prepare`: nonce, gas and EIP-712 domain for a call; refuses calls that would revert. */
  prepareRelay(body: { from: `0x${string}`; to: `0x${string}`; data: `0x${string}` }): Promise<PreparedRelay> {
    return this.#request(zPreparedRelay, "POST", "/relay/prepare", body);
  }

  /** `POST /relay`: submit a signed request; resolves once mined and indexed. */
  relay(request: ForwardRequest, signature: `0x${string}`): Promise<RelayResult> {
    return this.#request(zRelayResult, "POST", "/relay", { request, signature });
  }

  /** `POST /blobs`: store ciphertexts under the CIDs the client computed (the node checks each). */
  async putBlobs(blobs: ReadonlyArray<{ cid: string; data: Uint8Array }>): Promise<number> {
    const r = await this.#request(zPutBlobsResult, "POST", "/blobs", {
      blobs: blobs.map((b) => ({ cid: b.cid, data: toBase64(b.data) })),
    });
    return r.stored;
  }

  /** `POST /blobs/fetch`: ciphertexts by CID, in the order asked. */
  async fetchBlobs(cids: readonly string[]): Promise<Uint8Array[]> {
    const r = await this.#request(zFetchBlobsResult, "POST", "/blobs/fetch", { cids });
    const byCid = new Map(r.blobs.map((b) => [b.cid, b.data]));
    return cids.map((cid) => {
      const data = byCid.get(cid);
      if (data === undefined) throw new MedchainError("BlobNotFound", "the node did not return a requested blob", { details: { cid } });
      return fromBase64(data);
    });
  }

  /** `GET /records?owner=`: the owner's batches from the node's index. */
  async listBatches(owner: `0x${string}`): Promise<BatchInfo[]> {
    return (await this.#request(zBatchList, "GET", `/records?owner=${owner}`)).batches;
  }

  /** `GET /consent/grants`: grants of a patient and/or to a grantee, from the index. */
  async grants(query: { patient?: `0x${string}`; grantee?: `0x${string}` }): Promise<GrantInfo[]> {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as Array<[string, string]>).toString();
    return (await this.#request(zGrantList, "GET", `/consent/grants?${qs}`)).grants;
  }

  /** The absolute URL of a keeper listed by this node (keepers of the embedded profile are listed relative to it). */
  keeperUrl(k: KeeperInfo): string {
    return new URL(k.url, `${this.url}/`).toString().replace(/\/+$/, "");
  }

  /** `POST <keeper>/release`: one keeper's share, re-wrapped to the requester, if the chain allows it now. */
  keeperRelease(k: KeeperInfo, body: z.input<typeof zReleaseBody>): Promise<ReleasedShare> {
    return this.#requestAt(this.keeperUrl(k), zReleasedShare, "POST", "/release", body);
  }

  /** `POST <keeper>/audit`: the patient's access events at one keeper, with inclusion proofs. */
  async keeperAudit(k: KeeperInfo, body: z.input<typeof zAuditQueryBody>): Promise<AuditEntry[]> {
    return (await this.#requestAt(this.keeperUrl(k), zAuditList, "POST", "/audit", body)).entries;
  }

  /** `GET /audit/anchors/:root`: the on-chain anchor of an audit root (read from the chain). */
  anchor(root: `0x${string}`): Promise<AnchorInfo> {
    return this.#request(zAnchorInfo, "GET", `/audit/anchors/${root}`);
  }

  /** `POST /supply/documents`: validate and store an EPCIS document `partner` will anchor; returns what to anchor. */
  prepareSupplyDocument(document: unknown, partner: `0x${string}`): Promise<PreparedCapture> {
    return this.#request(zPreparedCapture, "POST", "/supply/documents", { document, partner });
  }

  /** `GET /supply/twin?scan=`: the scanned unit's digital twin (`TwinNotFound` if none was minted). */
  supplyTwin(scan: string): Promise<z.infer<typeof zTwinOfScan>> {
    return this.#request(zTwinOfScan, "GET", `/supply/twin?scan=${encodeURIComponent(scan)}`);
  }

  /** `GET /supply/twins/:unitKey`: a digital twin by its bytes32 unit key. */
  supplyTwinByKey(unitKey: `0x${string}`): Promise<Twin> {
    return this.#request(zTwin, "GET", `/supply/twins/${unitKey}`);
  }

  /** `GET /supply/partners`: the registered trading partners (read from the chain). */
  async supplyPartners(): Promise<PartnerInfo[]> {
    return (await this.#request(zPartnerList, "GET", "/supply/partners")).partners;
  }

  /** `GET /supply/batches/:anchorId`: whether an anchored batch was indexed or refused. */
  supplyBatch(anchorId: string): Promise<z.infer<typeof zSupplyBatch>> {
    return this.#request(zSupplyBatch, "GET", `/supply/batches/${anchorId}`);
  }

  /** `GET /supply/verify?scan=`: verdict, reasons, journey and proofs. */
  verify(scan: string): Promise<VerifyResult> {
    return this.#request(zVerifyResult, "GET", `/supply/verify?scan=${encodeURIComponent(scan)}`);
  }

  /** `GET /records/:batchId`: one batch, read from the chain. */
  getBatch(batchId: `0x${string}`): Promise<BatchInfo> {
    return this.#request(zBatchInfo, "GET", `/records/${batchId}`);
  }

  /** `GET /records/writers?owner=`: accounts the owner lets write into her record. */
  async writers(owner: `0x${string}`): Promise<Array<{ writer: `0x${string}`; blockNumber: number }>> {
    return (await this.#request(zWriterList, "GET", `/records/writers?owner=${owner}`)).writers;
  }

  /** `GET /supply/anchors?partner=`: anchored EPCIS batches, newest first. */
  async anchors(partner?: `0x${string}`): Promise<AnchorSummary[]> {
    return (await this.#request(zAnchorList, "GET", `/supply/anchors${partner === undefined ? "" : `?partner=${partner}`}`)).anchors;
  }

  /** `GET /supply/anchors/:anchorId`: one batch's events with proofs, and its root on chain. */
  anchorDetail(anchorId: string): Promise<AnchorDetail> {
    return this.#request(zAnchorDetail, "GET", `/supply/anchors/${encodeURIComponent(anchorId)}`);
  }

  /** `GET /supply/recalls`: recalls recorded on chain, newest first. */
  async recalls(): Promise<RecallInfo[]> {
    return (await this.#request(zRecallList, "GET", "/supply/recalls")).recalls;
  }

  /** `GET /trust/issuers`: issuers the consortium accredited. */
  async trustIssuers(): Promise<IssuerInfo[]> {
    return (await this.#request(zIssuerList, "GET", "/trust/issuers")).issuers;
  }

  /** `GET /trust/roles/:address`: the roles an account claimed, checked on chain now. */
  trustRoles(address: `0x${string}`): Promise<z.infer<typeof zRoles>> {
    return this.#request(zRoles, "GET", `/trust/roles/${address}`);
  }

  /** `GET /gov/proposals`: settings, members and proposals. */
  govStatus(): Promise<GovStatus> {
    return this.#request(zGovStatus, "GET", "/gov/proposals");
  }

  /** `GET /gov/proposals/:id`. */
  govProposal(id: string): Promise<ProposalInfo> {
    return this.#request(zProposal, "GET", `/gov/proposals/${encodeURIComponent(id)}`);
  }

  /** `POST /gov/proposals/:id/queue`: the node queues a passed proposal. */
  queueProposal(id: string): Promise<ProposalInfo> {
    return this.#request(zProposal, "POST", `/gov/proposals/${encodeURIComponent(id)}/queue`);
  }

  /** `POST /gov/proposals/:id/execute`: the node executes a proposal whose timelock passed. */
  executeProposal(id: string): Promise<ProposalInfo> {
    return this.#request(zProposal, "POST", `/gov/proposals/${encodeURIComponent(id)}/execute`);
  }

  /** `GET /credentials/challenge`: a single-use challenge for one presentation. */
  credentialChallenge(): Promise<z.infer<typeof zChallenge>> {
    return this.#request(zChallenge, "GET", "/credentials/challenge");
  }

  /** `POST /credentials/verify`: every check of a credential, and its state in the trust registry. */
  verifyCredential(credential: string): Promise<VerifiedCredentialInfo> {
    return this.#request(zVerifiedCredential, "POST", "/credentials/verify", { credential });
  }

  /** `POST /credentials/present`: the node verifies the presentation (single-use challenge) and relays the holder's role claims. */
  presentCredentials(body: { presentation: string; claims: Array<{ request: ForwardRequest; signature: `0x${string}` }> }): Promise<z.infer<typeof zPresentResult>> {
    return this.#request(zPresentResult, "POST", "/credentials/present", body);
  }
}
