/**
 * The kernel's client of a medchain node (isomorphic: `fetch` only): the transport, `health`, `network` (cached),
 * `contracts`, the blob store and the relayer. Each slice adds its methods as a client extension built from its
 * endpoint declarations (`src/<slice>/sdk/client.ts`, composed with {@link NodeClientBase.extend}, after viem's
 * `client.extend(actions)`); `src/sdk/nodeClient.ts` composes every slice's. Every failure is a MedchainError:
 * `NodeUnreachable` when the node cannot be reached, or the node's own typed error otherwise.
 */
import {
  callEndpoint,
  type AnyEndpoint,
  type EndpointArgs,
  type EndpointOutput,
  type EndpointTransport,
} from "./endpoint.ts";
import { MedchainError } from "./errors.ts";
import type { ContractsInfo, Health, NetworkInfo } from "./network.ts";
import {
  contractsEndpoint,
  fetchBlobsEndpoint,
  healthEndpoint,
  networkEndpoint,
  putBlobsEndpoint,
} from "./nodeEndpoints.ts";
import { prepareRelayEndpoint, relayEndpoint } from "./relay/endpoints.ts";
import type { ForwardRequest, PreparedRelay, RelayResult } from "./relay/forwardRequest.ts";
import { fromBase64, toBase64 } from "./crypto/bytes.ts";

/** Options of a node client. */
export interface NodeClientOptions {
  /** Custom fetch (tests, browsers with credentials). */
  fetch?: typeof fetch;
}

/** The kernel's typed client of one medchain node; slices extend it with {@link NodeClientBase.extend}. */
export class NodeClientBase {
  /** Base URL of the node, without trailing slash. */
  readonly url: string;
  /** The base URL and fetch every call goes through. */
  readonly transport: EndpointTransport;
  #network: Promise<NetworkInfo> | undefined;

  /** A client of the node at `url`. */
  constructor(url: string, options: NodeClientOptions = {}) {
    this.url = url.replace(/\/+$/, "");
    this.transport = { url: this.url, fetch: options.fetch ?? globalThis.fetch.bind(globalThis) };
  }

  /** Calls a declared endpoint of this node. */
  call<E extends AnyEndpoint>(endpoint: E, ...args: EndpointArgs<E>): Promise<EndpointOutput<E>> {
    return callEndpoint(this.transport, endpoint, ...args);
  }

  /** Calls a declared endpoint served under another base URL (a keeper listed by this node), with this fetch. */
  callAt<E extends AnyEndpoint>(url: string, endpoint: E, ...args: EndpointArgs<E>): Promise<EndpointOutput<E>> {
    return callEndpoint({ url, fetch: this.transport.fetch }, endpoint, ...args);
  }

  /**
   * Adds the methods `actions` builds for this client (a slice's client extension) and returns the client, typed
   * with them. It extends this client in place (methods keep reaching its transport and `network` cache).
   */
  extend<A extends object>(actions: (client: this) => A): this & A {
    return Object.assign(this, actions(this));
  }

  /** `GET /health`. */
  health(): Promise<Health> {
    return this.call(healthEndpoint);
  }

  /** `GET /network` (cached per client). */
  network(): Promise<NetworkInfo> {
    // The schema checks the kernel's fields and every slice part loaded here; the slices declare the type.
    this.#network ??= this.call(networkEndpoint)
      .then((n) => n as unknown as NetworkInfo)
      .catch((e: unknown) => {
        this.#network = undefined;
        throw e;
      });
    return this.#network;
  }

  /** `GET /contracts`: chain id and contract addresses. */
  contracts(): Promise<ContractsInfo> {
    return this.call(contractsEndpoint).then((c) => c as unknown as ContractsInfo); // keys declared by the slices
  }

  /** `POST /relay/prepare`: nonce, gas and EIP-712 domain for a call; refuses calls that would revert. */
  prepareRelay(body: { from: `0x${string}`; to: `0x${string}`; data: `0x${string}` }): Promise<PreparedRelay> {
    return this.call(prepareRelayEndpoint, { body });
  }

  /** `POST /relay`: submit a signed request; resolves once mined and indexed. */
  relay(request: ForwardRequest, signature: `0x${string}`): Promise<RelayResult> {
    return this.call(relayEndpoint, { body: { request, signature } });
  }

  /** `POST /blobs`: store ciphertexts under the CIDs the client computed (the node checks each). */
  async putBlobs(blobs: ReadonlyArray<{ cid: string; data: Uint8Array }>): Promise<number> {
    const body = { blobs: blobs.map((b) => ({ cid: b.cid, data: toBase64(b.data) })) };
    const r = await this.call(putBlobsEndpoint, { body });
    return r.stored;
  }

  /** `POST /blobs/fetch`: ciphertexts by CID, in the order asked. */
  async fetchBlobs(cids: readonly string[]): Promise<Uint8Array[]> {
    const r = await this.call(fetchBlobsEndpoint, { body: { cids: [...cids] } });
    const byCid = new Map(r.blobs.map((b) => [b.cid, b.data]));
    return cids.map((cid) => {
      const data = byCid.get(cid);
      if (data === undefined) {
        throw new MedchainError("BlobNotFound", "the node did not return a requested blob", { details: { cid } });
      }
      return fromBase64(data);
    });
  }
}
