/**
 * In-memory {@link BlobStore} for the browser and tests. Isomorphic.
 *
 * @module
 */
import {
  assertBytes,
  blobIntegrityError,
  blobNotFound,
  blobStoreClosed,
  bytesMatchCid,
  cidOfBytes,
  expectCid,
  parseBlobCid,
} from "./blobStore.ts";
import type { BlobStore, BlobStoreHealth, GetOptions } from "./blobStore.ts";

/** Blobs in a `Map`, copied in and out so callers cannot alter what is stored. */
export class MemoryBlobStore implements BlobStore {
  /** Always `"memory"`. */
  readonly kind = "memory";
  readonly #blobs: Map<string, Uint8Array>;
  readonly #ownsMap: boolean;
  #closed = false;

  /**
   * @param backing optional map to keep the blobs in (canonical CID string to
   *   bytes), e.g. to share them between instances or inspect them in tests.
   *   By default the store has its own map, cleared on close.
   */
  constructor(backing?: Map<string, Uint8Array>) {
    this.#blobs = backing ?? new Map();
    this.#ownsMap = backing === undefined;
  }

  /** Number of stored blobs. */
  get size(): number {
    return this.#blobs.size;
  }

  /** {@inheritDoc BlobStore.put} */
  async put(bytes: Uint8Array): Promise<string> {
    this.#open();
    assertBytes(bytes);
    const copy = bytes.slice();
    const cid = (await cidOfBytes(copy)).toString();
    this.#open();
    this.#blobs.set(cid, copy);
    return cid;
  }

  /** {@inheritDoc BlobStore.putExpected} */
  async putExpected(cid: string, bytes: Uint8Array): Promise<string> {
    this.#open();
    assertBytes(bytes);
    const copy = bytes.slice();
    const canonical = await expectCid(cid, copy);
    this.#open();
    this.#blobs.set(canonical, copy);
    return canonical;
  }

  /** {@inheritDoc BlobStore.get} */
  async get(cid: string, options: GetOptions = {}): Promise<Uint8Array> {
    this.#open();
    const parsed = parseBlobCid(cid);
    const key = parsed.toString();
    const stored = this.#blobs.get(key);
    if (stored === undefined) throw blobNotFound(key);
    if (options.verify !== false && !(await bytesMatchCid(parsed, stored))) throw blobIntegrityError(key);
    return stored.slice();
  }

  /** {@inheritDoc BlobStore.has} */
  async has(cid: string): Promise<boolean> {
    this.#open();
    return this.#blobs.has(parseBlobCid(cid).toString());
  }

  /** {@inheritDoc BlobStore.delete} */
  async delete(cid: string): Promise<boolean> {
    this.#open();
    return this.#blobs.delete(parseBlobCid(cid).toString());
  }

  /** {@inheritDoc BlobStore.health} */
  async health(): Promise<BlobStoreHealth> {
    return this.#closed
      ? { ok: false, kind: this.kind, detail: "closed" }
      : { ok: true, kind: this.kind, detail: `${this.#blobs.size} blobs in memory` };
  }

  /** {@inheritDoc BlobStore.close} */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ownsMap) this.#blobs.clear();
  }

  #open(): void {
    if (this.#closed) throw blobStoreClosed(this.kind);
  }
}
