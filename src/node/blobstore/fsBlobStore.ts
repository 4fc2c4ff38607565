/**
 * {@link BlobStore} on the local filesystem.
 *
 * Layout (like IPFS flatfs `next-to-last/2`, but keyed by the CID string):
 *
 * ```
 * <root>/SHARDING                 "/medchain/blobstore/v1/cid/next-to-last/2"
 * <root>/<shard>/<cid>            the blob; <shard> = the two characters before
 *                                 the CID's last one (the last base32 character
 *                                 of a 36-byte CID holds only 3 bits), so up to
 *                                 1024 shard directories
 * <root>/<shard>/.tmp-<cid>-<rnd> a write in progress (never served)
 * ```
 *
 * Writes are atomic and durable: the bytes go to a temp file in the shard
 * directory, are fsync'ed, renamed onto the final name, and the directory is
 * fsync'ed. So after a crash a blob is either absent or complete under its
 * CID; at worst a temp file is left behind ({@link FsBlobStore.sweepTempFiles}).
 * Reads verify the hash by default, so a flipped byte on disk is reported
 * (`IntegrityError`) instead of being served as that CID.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

import { MedchainError } from "../../kernel/errors.ts";
import {
  assertBytes,
  blobIntegrityError,
  blobNotFound,
  blobStoreClosed,
  bytesMatchCid,
  computeCid,
  expectCid,
  parseBlobCid,
} from "./blobStore.ts";
import type { BlobStore, BlobStoreHealth, GetOptions } from "./blobStore.ts";

/** Content of the `SHARDING` marker file; a store with another layout is refused. */
export const FS_BLOBSTORE_SHARDING = "/medchain/blobstore/v1/cid/next-to-last/2";

const TEMP_PREFIX = ".tmp-";

/** Options of {@link FsBlobStore.open}. */
export interface FsBlobStoreOptions {
  /** Mode of new blob files (default `0o600`: ciphertexts are for this node only). */
  fileMode?: number;
}

function errnoCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

function ioError(op: string, error: unknown, details: Record<string, unknown> = {}): MedchainError {
  if (error instanceof MedchainError) return error;
  const code = errnoCode(error);
  return new MedchainError("StorageUnavailable", `blob store ${op} failed`, {
    details: { kind: "fs", op, ...details, ...(code === undefined ? {} : { errno: code }) },
    cause: error,
  });
}

/** fsync a directory, so that a rename or unlink in it is durable. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    // Some platforms/filesystems cannot open or fsync directories.
    if (!["EISDIR", "EINVAL", "EPERM", "ENOTSUP", "EACCES"].includes(errnoCode(error) ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

/** Blobs as files under a directory; see the module documentation. */
export class FsBlobStore implements BlobStore {
  /** Always `"fs"`. */
  readonly kind = "fs";
  /** Absolute root directory of the store. */
  readonly root: string;
  readonly #fileMode: number;
  #closed = false;

  private constructor(root: string, options: FsBlobStoreOptions) {
    this.root = root;
    this.#fileMode = options.fileMode ?? 0o600;
  }

  /**
   * Opens (creating if needed) a store in `dir`.
   *
   * @throws MedchainError `StorageUnavailable` when the directory cannot be
   *   created or used, or holds a store with another layout.
   */
  static async open(dir: string, options: FsBlobStoreOptions = {}): Promise<FsBlobStore> {
    const root = resolve(dir);
    const marker = join(root, "SHARDING");
    try {
      await mkdir(root, { recursive: true, mode: 0o700 });
      let existing: string | undefined;
      try {
        existing = (await readFile(marker, "utf8")).trim();
      } catch (error) {
        if (errnoCode(error) !== "ENOENT") throw error;
      }
      if (existing === undefined) {
        const temp = join(root, `${TEMP_PREFIX}SHARDING-${randomBytes(6).toString("hex")}`);
        const handle = await open(temp, "wx", 0o644);
        try {
          await handle.writeFile(`${FS_BLOBSTORE_SHARDING}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, marker);
        await syncDir(root);
      } else if (existing !== FS_BLOBSTORE_SHARDING) {
        throw new MedchainError("StorageUnavailable", "the blob directory holds a store with another layout", {
          details: { kind: "fs", root, sharding: existing },
        });
      }
    } catch (error) {
      throw ioError("open", error, { root });
    }
    return new FsBlobStore(root, options);
  }

  /** Path of the file that holds (or would hold) `cid`. Exposed for tests and tools. */
  pathOf(cid: string): string {
    const key = parseBlobCid(cid).toString();
    return join(this.root, key.slice(-3, -1), key);
  }

  /** {@inheritDoc BlobStore.put} */
  async put(bytes: Uint8Array): Promise<string> {
    this.#open();
    assertBytes(bytes);
    const cid = await computeCid(bytes);
    await this.#write(cid, bytes);
    return cid;
  }

  /** {@inheritDoc BlobStore.putExpected} */
  async putExpected(cid: string, bytes: Uint8Array): Promise<string> {
    this.#open();
    assertBytes(bytes);
    const canonical = await expectCid(cid, bytes);
    await this.#write(canonical, bytes);
    return canonical;
  }

  /** {@inheritDoc BlobStore.get} */
  async get(cid: string, options: GetOptions = {}): Promise<Uint8Array> {
    this.#open();
    const parsed = parseBlobCid(cid);
    const key = parsed.toString();
    let bytes: Uint8Array;
    try {
      const buffer = await readFile(this.pathOf(key));
      // A plain Uint8Array (not a Buffer) that owns its whole ArrayBuffer.
      bytes =
        buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength
          ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
          : new Uint8Array(buffer);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") throw blobNotFound(key);
      throw ioError("read", error, { cid: key });
    }
    if (options.verify !== false && !(await bytesMatchCid(parsed, bytes))) throw blobIntegrityError(key);
    return bytes;
  }

  /** {@inheritDoc BlobStore.has} */
  async has(cid: string): Promise<boolean> {
    this.#open();
    const path = this.pathOf(cid);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return false;
      throw ioError("stat", error, { cid: parseBlobCid(cid).toString() });
    }
  }

  /** {@inheritDoc BlobStore.delete} */
  async delete(cid: string): Promise<boolean> {
    this.#open();
    const path = this.pathOf(cid);
    try {
      await unlink(path);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return false;
      throw ioError("delete", error, { cid: parseBlobCid(cid).toString() });
    }
    try {
      await syncDir(dirname(path));
    } catch (error) {
      throw ioError("delete", error, { cid: parseBlobCid(cid).toString() });
    }
    return true;
  }

  /** {@inheritDoc BlobStore.health} */
  async health(): Promise<BlobStoreHealth> {
    if (this.#closed) return { ok: false, kind: this.kind, detail: "closed" };
    try {
      await access(this.root, constants.R_OK | constants.W_OK | constants.X_OK);
      const marker = (await readFile(join(this.root, "SHARDING"), "utf8")).trim();
      if (marker !== FS_BLOBSTORE_SHARDING) return { ok: false, kind: this.kind, detail: "unexpected SHARDING marker" };
      return { ok: true, kind: this.kind, detail: this.root };
    } catch (error) {
      return { ok: false, kind: this.kind, detail: `${this.root}: ${errnoCode(error) ?? String(error)}` };
    }
  }

  /** {@inheritDoc BlobStore.close} */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /**
   * Removes temp files left by interrupted writes (a crash between write and
   * rename) that are older than `olderThanMs` (default one hour, so that
   * writes in flight are not touched). Returns how many were removed. Call it
   * at start-up; leftovers are never served, they only take space.
   */
  async sweepTempFiles(olderThanMs = 3_600_000): Promise<number> {
    this.#open();
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const dirs = [this.root];
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(this.root, entry.name));
    }
    for (const dir of dirs) {
      for (const name of await readdir(dir)) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const path = join(dir, name);
        try {
          if ((await stat(path)).mtimeMs <= cutoff) {
            await rm(path, { force: true });
            removed++;
          }
        } catch (error) {
          if (errnoCode(error) !== "ENOENT") throw ioError("sweep", error);
        }
      }
    }
    return removed;
  }

  /** Atomically stores `bytes` (already known to hash to `cid`) unless an intact copy is there. */
  async #write(cid: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(cid);
    const shard = dirname(path);
    try {
      const existing = await readFile(path);
      if (existing.equals(bytes)) return; // deduplicated; a damaged copy is replaced below
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw ioError("write", error, { cid });
    }
    const temp = join(shard, `${TEMP_PREFIX}${cid}-${randomBytes(6).toString("hex")}`);
    try {
      const created = await mkdir(shard, { recursive: true, mode: 0o700 });
      if (created !== undefined) await syncDir(this.root);
      const handle = await open(temp, "wx", this.#fileMode);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.#open(); // closed meanwhile: leave nothing behind
      await rename(temp, path);
      await syncDir(shard);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw ioError("write", error, { cid });
    }
  }

  #open(): void {
    if (this.#closed) throw blobStoreClosed(this.kind);
  }
}
