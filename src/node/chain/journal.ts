/**
 * The embedded chain's durable history: `<dataDir>/chain/journal.ndjson`, one
 * JSON line per block mined by the embedded chain, in block order, each with
 * its timestamp, its hash and its signed raw transactions:
 *
 *   {"blockNumber":7,"timestamp":1795514230,"blockHash":"0x..","txs":[{"hash":"0x..","raw":"0x.."}]}
 *
 * Lines are appended and fsynced before a confirmation is given to anyone. A
 * crash can leave only the last line torn (no final newline): it is dropped
 * and truncated on the next start. Any other damage is a hard error.
 */
import { open, readFile, truncate } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { Hex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";

/** One transaction of a journaled block. */
export interface JournalTx {
  /** Transaction hash (keccak256 of `raw`). */
  readonly hash: Hex;
  /** Signed raw transaction, as sent with `eth_sendRawTransaction`. */
  readonly raw: Hex;
}

/** One journaled block. */
export interface JournalBlock {
  readonly blockNumber: number;
  /** Block timestamp, unix seconds. */
  readonly timestamp: number;
  /** Block hash; anvil's block hashes are deterministic, so replay must reproduce it. */
  readonly blockHash: Hex;
  /** Transactions in block order (may be empty). */
  readonly txs: readonly JournalTx[];
}

/** What {@link readJournal} found. */
export interface JournalContents {
  readonly blocks: JournalBlock[];
  /** Number of transactions over all blocks. */
  readonly txCount: number;
  /** Bytes of a torn last line that were truncated away (0 if none). */
  readonly tornBytes: number;
}

const HASH = /^0x[0-9a-f]{64}$/;
const HEX = /^0x(?:[0-9a-f]{2})+$/;

function corrupt(path: string, line: number, reason: string): MedchainError {
  return new MedchainError(
    "ChainUnavailable",
    `chain journal is corrupt at line ${line} (${reason}); the embedded chain cannot ` +
      `be rebuilt: restore ${path} from a backup or move the data directory away`,
    { details: { path, line, reason } },
  );
}

function parseLine(text: string, path: string, line: number): JournalBlock {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(path, line, "not JSON");
  }
  if (typeof value !== "object" || value === null) throw corrupt(path, line, "not an object");
  const v = value as Record<string, unknown>;
  const { blockNumber, timestamp, blockHash, txs } = v;
  if (typeof blockNumber !== "number" || !Number.isSafeInteger(blockNumber) || blockNumber < 1)
    throw corrupt(path, line, "bad blockNumber");
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0)
    throw corrupt(path, line, "bad timestamp");
  if (typeof blockHash !== "string" || !HASH.test(blockHash)) throw corrupt(path, line, "bad blockHash");
  if (!Array.isArray(txs)) throw corrupt(path, line, "bad txs");
  const parsed: JournalTx[] = [];
  for (const tx of txs as unknown[]) {
    if (typeof tx !== "object" || tx === null) throw corrupt(path, line, "bad transaction");
    const { hash, raw } = tx as Record<string, unknown>;
    if (typeof hash !== "string" || !HASH.test(hash)) throw corrupt(path, line, "bad transaction hash");
    if (typeof raw !== "string" || !HEX.test(raw)) throw corrupt(path, line, "bad raw transaction");
    parsed.push({ hash: hash as Hex, raw: raw as Hex });
  }
  return { blockNumber, timestamp, blockHash: blockHash as Hex, txs: parsed };
}

/** Serializes one block as a journal line (with its final newline). */
export function journalLine(block: JournalBlock): string {
  return (
    JSON.stringify({
      blockNumber: block.blockNumber,
      timestamp: block.timestamp,
      blockHash: block.blockHash.toLowerCase(),
      txs: block.txs.map((tx) => ({ hash: tx.hash.toLowerCase(), raw: tx.raw.toLowerCase() })),
    }) + "\n"
  );
}

/**
 * Reads and checks the journal at `path` (missing file: empty journal). A torn
 * last line is truncated away (durably); a damaged complete line, or blocks
 * out of sequence, throw a `ChainUnavailable` error naming the line.
 */
export async function readJournal(path: string): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { blocks: [], txCount: 0, tornBytes: 0 };
    throw new MedchainError("ChainUnavailable", "cannot read the chain journal", { details: { path }, cause: error });
  }
  let tornBytes = 0;
  const end = text.lastIndexOf("\n") + 1;
  if (end < text.length) {
    // Crash in the middle of an append: that block was never confirmed to anyone.
    tornBytes = Buffer.byteLength(text.slice(end), "utf8");
    const keep = Buffer.byteLength(text.slice(0, end), "utf8");
    await truncate(path, keep);
    const fh = await open(path, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    text = text.slice(0, end);
  }
  const blocks: JournalBlock[] = [];
  let txCount = 0;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    const lineText = text.slice(start, nl);
    start = nl + 1;
    lineNo++;
    const block = parseLine(lineText, path, lineNo);
    const expected = blocks.length + 1;
    if (block.blockNumber !== expected)
      throw corrupt(path, lineNo, `block ${block.blockNumber} where block ${expected} was expected`);
    blocks.push(block);
    txCount += block.txs.length;
  }
  return { blocks, txCount, tornBytes };
}

/** Appends blocks durably (write, then fdatasync) to the journal. */
export class JournalWriter {
  private size: number;
  private broken: unknown = undefined;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    size: number,
  ) {
    this.size = size;
  }

  /** Opens (creating if needed, and then fsyncing its directory) the journal for appending. */
  static async open(path: string): Promise<JournalWriter> {
    const fh = await open(path, "a", 0o600);
    const { size } = await fh.stat();
    if (size === 0) await syncDir(dirname(path));
    return new JournalWriter(fh, path, size);
  }

  /**
   * Appends `blocks` and waits until they are on stable storage. If the write
   * fails, the file is cut back to its previous length and the writer refuses
   * further appends (a half-written line must never get a successor).
   */
  async append(blocks: readonly JournalBlock[]): Promise<void> {
    if (this.broken !== undefined) {
      throw new MedchainError("ChainUnavailable", "chain journal failed " + "earlier; restart the node", {
        details: { path: this.path },
        cause: this.broken,
      });
    }
    if (blocks.length === 0) return;
    const data = Buffer.from(blocks.map(journalLine).join(""), "utf8");
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await this.fh.write(data, written, data.length - written, null);
        written += bytesWritten;
      }
      await this.fh.datasync();
      this.size += data.length;
    } catch (error) {
      this.broken = error;
      try {
        await this.fh.truncate(this.size);
        await this.fh.datasync();
      } catch {
        // The next start truncates a torn last line anyway.
      }
      throw new MedchainError("ChainUnavailable", "cannot write the " + "chain journal", {
        details: { path: this.path },
        cause: error,
      });
    }
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** fsyncs a directory so that a newly created or renamed entry in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Some platforms cannot fsync a directory; nothing more can be done there.
  } finally {
    await fh?.close();
  }
}
