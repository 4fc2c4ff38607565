/**
 * The embedded chain of `medchain start`: anvil as a child process, made
 * durable by a journal of every mined block (see journal.ts) that is replayed
 * into a fresh anvil on each start. This is the only module that uses
 * anvil/EVM-dev RPC methods (`evm_setAutomine`, `evm_mine_detailed`,
 * `evm_setTime`); the rest of medchain speaks standard JSON-RPC only.
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { keccak256, numberToHex, recoverTransactionAddress } from "viem";
import type { Hex, TransactionSerialized } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { anvilVersion, reclaimChainDir, removePidFile, spawnAnvil } from "./anvilProcess.ts";
import type { AnvilProcess } from "./anvilProcess.ts";
import type { ChainEndpoint, ConfirmedTx } from "./endpoint.ts";
import { loadOrCreateGenesis, operatorKeysOf, saveGenesis } from "./genesis.ts";
import type { ChainGenesis } from "./genesis.ts";
import { JournalWriter, readJournal } from "./journal.ts";
import type { JournalBlock, JournalTx } from "./journal.ts";
import { JsonRpc, quantity } from "./rpc.ts";
import { SerialQueue } from "./serialQueue.ts";

export type { ChainEndpoint, ConfirmedTx } from "./endpoint.ts";
export { connectRpcChain } from "./rpcChain.ts";
export type { RpcChainOptions } from "./rpcChain.ts";

/** Options of {@link startEmbeddedChain}. */
export interface EmbeddedChainOptions {
  /** The node's data directory; the chain lives in `<dataDir>/chain/`. */
  dataDir: string;
  /** Replay progress, in transactions (called after every replayed block, and once at the end). */
  onProgress?: (done: number, total: number) => void;
  /** Operational messages (never secrets). */
  log?: (msg: string) => void;
  /**
   * How often blocks mined by other clients of the RPC URL are journaled, in
   * ms (default 1000; 0: only when this node confirms a transaction, and at close).
   */
  journalPollMs?: number;
}

/** Figures of the last start. */
export interface EmbeddedChainStats {
  /** Blocks replayed from the journal. */
  readonly replayedBlocks: number;
  /** Transactions replayed from the journal. */
  readonly replayedTxs: number;
  /** Time spent replaying, ms. */
  readonly replayMs: number;
  /** Time from the call to a usable chain, ms. */
  readonly startMs: number;
  /** Bytes of a torn journal line that were dropped. */
  readonly tornBytes: number;
}

/** The embedded chain endpoint, with a few extra facts for operators and tests. */
export interface EmbeddedChainEndpoint extends ChainEndpoint {
  readonly kind: "embedded";
  /** `<dataDir>/chain`. */
  readonly chainDir: string;
  /** pid of the anvil process. */
  readonly anvilPid: number;
  /** Start figures. */
  readonly stats: EmbeddedChainStats;
}

interface RpcTx {
  hash: Hex;
  from?: Hex;
}
interface RpcBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  timestamp: Hex;
  transactions: (RpcTx | Hex)[];
}

const txHashOf = (tx: RpcTx | Hex): Hex => (typeof tx === "string" ? tx : tx.hash).toLowerCase() as Hex;

function replayError(
  genesis: ChainGenesis,
  block: JournalBlock,
  reason: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): MedchainError {
  const version = anvilVersion();
  const hint =
    version !== genesis.anvilVersion
      ? ` (the chain was created with anvil ${genesis.anvilVersion}, this is anvil ${version}: reinstall that version)`
      : "";
  return new MedchainError(
    "ChainUnavailable",
    `chain journal does not replay at block ${block.blockNumber}: ${reason}${hint}`,
    {
      details: { blockNumber: block.blockNumber, createdWithAnvil: genesis.anvilVersion, anvil: version, ...details },
      cause,
    },
  );
}

function anvilArgs(genesis: ChainGenesis, chainDir: string, mining: boolean): string[] {
  return [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--chain-id",
    String(genesis.chainId),
    "--mnemonic",
    genesis.mnemonic,
    "--accounts",
    String(genesis.accounts),
    "--balance",
    genesis.balanceEth,
    "--timestamp",
    String(genesis.timestamp),
    "--hardfork",
    genesis.hardfork,
    "--gas-limit",
    genesis.gasLimit,
    "--block-base-fee-per-gas",
    genesis.baseFeePerGas,
    // Blocks keep arrival order, so replaying a block's transactions in block order rebuilds it exactly.
    "--order",
    "fifo",
    // Keep the last 64 block states in memory and none on disk: by default anvil writes thousands of
    // state snapshots as JSON (gigabytes after a few thousand blocks). Blocks, receipts and logs are all
    // kept; only eth_call/eth_getBalance at blocks older than 64 fail.
    "--prune-history",
    "64",
    // Unused with --prune-history, but names the chain dir on anvil's command line (stale-process detection).
    "--cache-path",
    join(chainDir, "anvil-cache"),
    "--no-cors",
    "--color",
    "never",
    ...(mining ? [] : ["--no-mining"]),
  ];
}

/** Replays the journal into a fresh anvil started with `--no-mining`. */
async function replay(
  rpc: JsonRpc,
  genesis: ChainGenesis,
  blocks: readonly JournalBlock[],
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  let done = 0;
  onProgress?.(0, total);
  for (const block of blocks) {
    for (const tx of block.txs) {
      let hash: Hex;
      try {
        hash = await rpc.call<Hex>("eth_sendRawTransaction", [tx.raw]);
      } catch (error) {
        throw replayError(
          genesis,
          block,
          "a transaction was rejected",
          { txHash: tx.hash, rejection: error instanceof Error ? error.message : String(error) },
          error,
        );
      }
      if (hash.toLowerCase() !== tx.hash)
        throw replayError(genesis, block, "a transaction has another " + "hash than journaled", {
          txHash: tx.hash,
          got: hash,
        });
    }
    const mined = await rpc.call<RpcBlock[]>("evm_mine_detailed", [{ timestamp: block.timestamp }]);
    const got = mined[0];
    if (got === undefined || mined.length !== 1)
      throw replayError(genesis, block, "anvil did not mine " + "exactly one block");
    const gotTxs = got.transactions.map(txHashOf);
    const wantTxs = block.txs.map((t) => t.hash);
    if (Number(quantity(got.number, "block number")) !== block.blockNumber) {
      throw replayError(genesis, block, "the block got another number", {
        got: Number(quantity(got.number, "block number")),
      });
    }
    if (gotTxs.join() !== wantTxs.join())
      throw replayError(genesis, block, "the block holds other " + "transactions than journaled", {
        want: wantTxs,
        got: gotTxs,
      });
    if (got.hash.toLowerCase() !== block.blockHash) {
      throw replayError(genesis, block, "the block has another hash (different " + "state, receipts or header)", {
        want: block.blockHash,
        got: got.hash,
      });
    }
    done += block.txs.length;
    onProgress?.(done, total);
  }
}

/** Journaling endpoint over a running anvil. */
class EmbeddedChain implements EmbeddedChainEndpoint {
  readonly kind = "embedded" as const;
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly operatorKeys: readonly Hex[];
  readonly chainDir: string;
  readonly anvilPid: number;
  readonly stats: EmbeddedChainStats;

  private readonly rpc: JsonRpc;
  private lastBlock: number;
  private lastHash: Hex;
  private readonly queue = new SerialQueue();
  /** Recently journaled tx hash -> block number, for checking recordConfirmed calls without an RPC call. */
  private readonly recent = new Map<Hex, number>();
  /** Recently journaled block number -> block hash, for noticing a rewound chain. */
  private readonly recentBlocks = new Map<number, Hex>();
  /** Set once the chain no longer extends the journal; every later recordConfirmed fails with it. */
  private diverged: MedchainError | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private lastPollError = "";
  private anvilGone = false;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly anvil: AnvilProcess,
    private readonly writer: JournalWriter,
    private readonly log: (msg: string) => void,
    init: {
      rpc: JsonRpc;
      genesis: ChainGenesis;
      operatorKeys: readonly Hex[];
      chainDir: string;
      head: { number: number; hash: Hex };
      stats: EmbeddedChainStats;
      pollMs: number;
    },
  ) {
    this.rpc = init.rpc;
    this.rpcUrl = init.rpc.url;
    this.chainId = init.genesis.chainId;
    this.operatorKeys = init.operatorKeys;
    this.chainDir = init.chainDir;
    this.anvilPid = anvil.pid;
    this.stats = init.stats;
    this.lastBlock = init.head.number;
    this.lastHash = init.head.hash;
    void anvil.exited.then(() => {
      this.anvilGone = true;
      if (this.closed === undefined) this.log("chain: anvil exited unexpectedly; the node must be restarted");
    });
    if (init.pollMs > 0) {
      this.poller = setInterval(() => void this.poll(), init.pollMs);
      this.poller.unref();
    }
  }

  /** Runs `fn` after every earlier task of this object has finished. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed !== undefined || this.anvilGone || this.diverged !== undefined) return;
    this.polling = true;
    try {
      await this.serialize(async () => {
        const head = await this.rpc.call<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
        const n = Number(quantity(head.number, "block number"));
        if (n > this.lastBlock) await this.syncTo(n);
        else if (n < this.lastBlock || head.hash.toLowerCase() !== this.lastHash) throw this.rewound(n);
      });
      this.lastPollError = "";
    } catch (error) {
      const msg = error instanceof Error ? error.message : String(error);
      if (msg !== this.lastPollError && this.closed === undefined) this.log(`chain: journaling blocks failed: ${msg}`);
      this.lastPollError = msg;
    } finally {
      this.polling = false;
    }
  }

  /** Journals every block up to `target` (inclusive), 256 blocks per fsync at most. Must run serialized. */
  private async syncTo(target: number, known?: ConfirmedTx): Promise<void> {
    while (this.lastBlock < target) {
      const upTo = Math.min(target, this.lastBlock + 256);
      const entries: JournalBlock[] = [];
      let failure: unknown;
      try {
        let prevHash = this.lastHash;
        for (let n = this.lastBlock + 1; n <= upTo; n++) {
          const entry = await this.readBlock(n, prevHash, known);
          entries.push(entry);
          prevHash = entry.blockHash;
        }
      } catch (error) {
        failure = error; // still journal the good blocks before it
      }
      await this.writer.append(entries);
      for (const e of entries) {
        this.rememberBlock(e.blockNumber, e.blockHash);
        for (const t of e.txs) this.remember(t.hash, e.blockNumber);
      }
      const last = entries.at(-1);
      if (last !== undefined) {
        this.lastBlock = last.blockNumber;
        this.lastHash = last.blockHash;
      }
      if (failure !== undefined) throw failure;
    }
  }

  /**
   * Reads block `n` as a journal entry, checking that it extends `prevHash` and that every transaction can be replayed.
   */
  private async readBlock(n: number, prevHash: Hex, known?: ConfirmedTx): Promise<JournalBlock> {
    const block = await this.rpc.call<RpcBlock | null>("eth_getBlockByNumber", [numberToHex(n), true]);
    if (block === null) throw this.rewound(n);
    if (block.parentHash.toLowerCase() !== prevHash) throw this.rewound(n);
    const txs: JournalTx[] = [];
    for (const t of block.transactions) {
      const hash = txHashOf(t);
      const ours = known !== undefined && known.hash.toLowerCase() === hash;
      const raw = ours ? known.raw : await this.rpc.call<Hex | null>("eth_getRawTransactionByHash", [hash]);
      // A transaction of an impersonated account (anvil_impersonateAccount) has no valid signature and could never be
      // replayed: journaling it would make the data dir unstartable. Refuse it, and everything after it.
      let replayable = raw !== null && keccak256(raw).toLowerCase() === hash;
      if (replayable && raw !== null && !ours && typeof t !== "string" && t.from !== undefined) {
        const signer = await recoverTransactionAddress({ serializedTransaction: raw as TransactionSerialized }).catch(
          () => undefined,
        );
        replayable = signer?.toLowerCase() === t.from.toLowerCase();
      }
      if (!replayable || raw === null) {
        this.diverged ??= new MedchainError(
          "ChainUnavailable",
          "a transaction without a valid signature (impersonated " +
            "account?) was mined on the embedded chain; it cannot " +
            "be journaled, so nothing more can be confirmed; restart the node to return to the journaled history",
          { details: { blockNumber: n, txHash: hash } },
        );
        throw this.diverged;
      }
      txs.push({ hash, raw: raw.toLowerCase() as Hex });
    }
    return {
      blockNumber: n,
      timestamp: Number(quantity(block.timestamp, "timestamp")),
      blockHash: block.hash.toLowerCase() as Hex,
      txs,
    };
  }

  /** Records (once) and returns the error for a chain that no longer extends the journal. */
  private rewound(blockNumber: number): MedchainError {
    this.diverged ??= new MedchainError(
      "ChainUnavailable",
      "the embedded chain was rewound under its journal (evm_revert, anvil_reset or a reorg): " +
        "nothing more can be confirmed; restart the node to return to the journaled history",
      { details: { blockNumber, journaledUpTo: this.lastBlock } },
    );
    return this.diverged;
  }

  private rememberBlock(blockNumber: number, hash: Hex): void {
    this.recentBlocks.set(blockNumber, hash);
    if (this.recentBlocks.size > 10_000) this.recentBlocks.delete(blockNumber - 10_000);
  }

  private remember(hash: Hex, blockNumber: number): void {
    this.recent.set(hash, blockNumber);
    if (this.recent.size > 10_000) {
      const oldest = this.recent.keys().next();
      if (oldest.done !== true) this.recent.delete(oldest.value);
    }
  }

  async recordConfirmed(tx: ConfirmedTx): Promise<void> {
    if (this.closed !== undefined) throw new MedchainError("ChainUnavailable", "the embedded chain is closed");
    if (this.anvilGone)
      throw new MedchainError("ChainUnavailable", "the embedded chain's anvil " + "has exited; restart the node");
    if (keccak256(tx.raw).toLowerCase() !== tx.hash.toLowerCase()) {
      throw new MedchainError("Internal", "recordConfirmed: raw transaction " + "does not match its hash", {
        details: { txHash: tx.hash },
      });
    }
    const blockNumber = Number(tx.blockNumber);
    const hash = tx.hash.toLowerCase() as Hex;
    await this.serialize(async () => {
      if (this.diverged !== undefined) throw this.diverged;
      const alreadyJournaled = blockNumber <= this.lastBlock;
      await this.syncTo(blockNumber, tx);
      let at = this.recent.get(hash);
      if (alreadyJournaled) {
        // Journaled before this call (by the poller, or with an earlier tx of the same block): make sure the chain
        // still has that block.
        const block = await this.rpc.call<RpcBlock | null>("eth_getBlockByNumber", [numberToHex(blockNumber), false]);
        const journaledHash = this.recentBlocks.get(blockNumber);
        if (block === null || (journaledHash !== undefined && block.hash.toLowerCase() !== journaledHash))
          throw this.rewound(blockNumber);
        if (at === undefined && block.transactions.some((t) => txHashOf(t) === hash)) at = blockNumber;
      }
      if (at !== blockNumber) {
        throw new MedchainError(
          "ChainUnavailable",
          "a confirmed transaction is not " + "in the block it was reported in",
          { details: { txHash: hash, blockNumber } },
        );
      }
    });
  }

  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    if (this.poller !== undefined) clearInterval(this.poller);
    try {
      await this.serialize(async () => {
        if (this.anvilGone) return;
        const head = Number(quantity(await this.rpc.call("eth_blockNumber"), "block number"));
        await this.syncTo(head);
      });
    } catch (error) {
      this.log(
        `chain: could not journal the last blocks at close: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await this.writer.close();
    await this.anvil.stop();
    await removePidFile(this.chainDir);
  }
}

/**
 * Starts (or restarts) the embedded chain of the data directory: creates its
 * genesis on first start, kills an anvil left behind by a crashed node,
 * replays the journal into a fresh anvil, verifies every replayed block hash,
 * and returns an endpoint that journals each confirmed transaction durably.
 * Throws `ChainUnavailable` with a clear message if the history cannot be
 * rebuilt exactly.
 */
export async function startEmbeddedChain(opts: EmbeddedChainOptions): Promise<EmbeddedChainEndpoint> {
  const t0 = performance.now();
  const log = opts.log ?? ((): void => undefined);
  const chainDir = join(resolve(opts.dataDir), "chain");
  await mkdir(chainDir, { recursive: true, mode: 0o700 });
  await reclaimChainDir(chainDir, log);

  const journalPath = join(chainDir, "journal.ndjson");
  const journal = await readJournal(journalPath);
  if (journal.tornBytes > 0)
    log(`chain: dropped a torn last journal line (${journal.tornBytes} bytes, never confirmed)`);
  const loaded = await loadOrCreateGenesis(chainDir, {
    mayCreate: journal.blocks.length === 0,
    anvilVersion: anvilVersion(),
  });
  let genesis = loaded.genesis;
  if (loaded.created) log("chain: created a new embedded chain (fresh mnemonic)");
  await rm(join(chainDir, "anvil-cache"), { recursive: true, force: true });

  const anvil = await spawnAnvil({ chainDir, args: anvilArgs(genesis, chainDir, journal.blocks.length === 0), log });
  try {
    const rpc = new JsonRpc(`http://127.0.0.1:${anvil.port}`);
    const chainId = Number(quantity(await rpc.call("eth_chainId"), "chain id"));
    if (chainId !== genesis.chainId)
      throw new MedchainError("ChainUnavailable", "anvil runs another chain id " + "than the genesis file says", {
        details: { chainId, expected: genesis.chainId },
      });
    const block0 = await rpc.call<RpcBlock>("eth_getBlockByNumber", ["0x0", false]);
    const genesisHash = block0.hash.toLowerCase() as Hex;
    if (genesis.genesisBlockHash === undefined) {
      genesis = { ...genesis, genesisBlockHash: genesisHash };
      await saveGenesis(chainDir, genesis);
    } else if (genesis.genesisBlockHash !== genesisHash) {
      const version = anvilVersion();
      throw new MedchainError(
        "ChainUnavailable",
        `anvil ${version} builds another genesis block than the one ` +
          `this chain was created with (anvil ${genesis.anvilVersion})`,
        {
          details: {
            want: genesis.genesisBlockHash,
            got: genesisHash,
            createdWithAnvil: genesis.anvilVersion,
            anvil: version,
          },
        },
      );
    }

    const r0 = performance.now();
    if (journal.blocks.length > 0) {
      log(`chain: replaying ${journal.txCount} transactions in ${journal.blocks.length} blocks`);
      await replay(rpc, genesis, journal.blocks, journal.txCount, opts.onProgress);
    }
    const replayMs = performance.now() - r0;
    const last = journal.blocks.at(-1);
    const head = await rpc.call<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
    const headNumber = Number(quantity(head.number, "block number"));
    const headHash = head.hash.toLowerCase() as Hex;
    if (headNumber !== (last?.blockNumber ?? 0) || headHash !== (last?.blockHash ?? genesisHash)) {
      throw new MedchainError("ChainUnavailable", "after replay the chain head differs from the journal's last block", {
        details: { head: headNumber, headHash, want: last?.blockNumber ?? 0, wantHash: last?.blockHash ?? genesisHash },
      });
    }
    if (journal.blocks.length > 0) {
      log(
        `chain: replayed ${journal.txCount} transactions in ${Math.round(replayMs)} ` +
          `ms (${Math.round(journal.txCount / Math.max(replayMs / 1000, 1e-3))} tx/s)`,
      );
    }
    // anvil's clock runs from the genesis (or the last replayed) timestamp: make new blocks follow the wall clock
    // (never going back).
    const headTs = Number(quantity(head.timestamp, "timestamp"));
    await rpc.call("evm_setTime", [Math.max(Math.floor(Date.now() / 1000), headTs)]);
    if (journal.blocks.length > 0) await rpc.call("evm_setAutomine", [true]);
    const writer = await JournalWriter.open(journalPath);
    const operatorKeys = operatorKeysOf(genesis);
    const stats: EmbeddedChainStats = {
      replayedBlocks: journal.blocks.length,
      replayedTxs: journal.txCount,
      replayMs,
      startMs: performance.now() - t0,
      tornBytes: journal.tornBytes,
    };
    return new EmbeddedChain(anvil, writer, log, {
      rpc,
      genesis,
      operatorKeys,
      chainDir,
      head: { number: headNumber, hash: headHash },
      stats,
      pollMs: opts.journalPollMs ?? 1000,
    });
  } catch (error) {
    await anvil.stop();
    await removePidFile(chainDir);
    throw error;
  }
}
