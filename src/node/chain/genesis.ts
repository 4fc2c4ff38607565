/**
 * `<dataDir>/chain/genesis.json`: everything that fixes the embedded chain's
 * genesis, created once per data directory. It holds the mnemonic of the
 * node's funded accounts, so it is written with mode 0600.
 */
import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import { pbkdf2Sync } from "node:crypto";
import { HDKey, english, generateMnemonic } from "viem/accounts";
import { bytesToHex } from "viem";
import { MedchainError } from "../../kernel/errors.ts";
import { syncDir } from "./journal.ts";

/** Parameters that define the embedded chain's genesis (and how anvil runs it). */
export interface ChainGenesis {
  readonly version: 1;
  readonly chainId: number;
  /** BIP-39 mnemonic of the funded operator accounts (secret). */
  readonly mnemonic: string;
  /** Genesis block timestamp, unix seconds. */
  readonly timestamp: number;
  /** Number of funded accounts derived from the mnemonic. */
  readonly accounts: number;
  /** Balance of each funded account, in ether (decimal string). */
  readonly balanceEth: string;
  /** EVM hardfork, pinned so that an anvil upgrade does not change how history replays. */
  readonly hardfork: string;
  /** Block gas limit (decimal string). */
  readonly gasLimit: string;
  /** Base fee of the genesis block, wei (decimal string). */
  readonly baseFeePerGas: string;
  /** Version of anvil that created the chain (diagnostics when a replay diverges). */
  readonly anvilVersion: string;
  /** Hash of block 0, recorded on first start and checked on every start. */
  readonly genesisBlockHash?: Hex;
}

/** Chain id of every embedded chain. */
export const EMBEDDED_CHAIN_ID = 31337;

function genesisPath(chainDir: string): string {
  return join(chainDir, "genesis.json");
}

function invalid(path: string, reason: string, cause?: unknown): MedchainError {
  return new MedchainError("ChainUnavailable", `chain genesis file is invalid (${reason}): ${path}`, {
    details: { path, reason },
    cause,
  });
}

function parseGenesis(text: string, path: string): ChainGenesis {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (cause) {
    throw invalid(path, "not JSON", cause);
  }
  if (typeof v !== "object" || v === null) throw invalid(path, "not an object");
  const g = v as Record<string, unknown>;
  const str = (k: string): string => {
    const x = g[k];
    if (typeof x !== "string" || x === "") throw invalid(path, `missing ${k}`);
    return x;
  };
  const int = (k: string): number => {
    const x = g[k];
    if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw invalid(path, `missing ${k}`);
    return x;
  };
  if (g["version"] !== 1) throw invalid(path, "unknown version");
  const hash = g["genesisBlockHash"];
  if (hash !== undefined && (typeof hash !== "string" || !/^0x[0-9a-f]{64}$/.test(hash)))
    throw invalid(path, "bad genesisBlockHash");
  const genesis: ChainGenesis = {
    version: 1,
    chainId: int("chainId"),
    mnemonic: str("mnemonic"),
    timestamp: int("timestamp"),
    accounts: int("accounts"),
    balanceEth: str("balanceEth"),
    hardfork: str("hardfork"),
    gasLimit: str("gasLimit"),
    baseFeePerGas: str("baseFeePerGas"),
    anvilVersion: str("anvilVersion"),
    ...(hash === undefined ? {} : { genesisBlockHash: hash as Hex }),
  };
  if (genesis.accounts < 1) throw invalid(path, "accounts must be at least 1");
  return genesis;
}

/** Writes genesis.json atomically and durably (temp file, fsync, rename, fsync dir). */
export async function saveGenesis(chainDir: string, genesis: ChainGenesis): Promise<void> {
  const path = genesisPath(chainDir);
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(JSON.stringify(genesis, null, 2) + "\n", "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(chainDir);
}

/**
 * Loads genesis.json, or creates it with a fresh random mnemonic and the
 * current time when `mayCreate` (there is no history yet).
 */
export async function loadOrCreateGenesis(
  chainDir: string,
  opts: { mayCreate: boolean; anvilVersion: string },
): Promise<{ genesis: ChainGenesis; created: boolean }> {
  const path = genesisPath(chainDir);
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw invalid(path, "unreadable", error);
  }
  if (text !== undefined) return { genesis: parseGenesis(text, path), created: false };
  if (!opts.mayCreate) {
    throw new MedchainError(
      "ChainUnavailable",
      `chain journal exists but genesis.json is missing: ${path}; the chain cannot be rebuilt without it`,
      {
        details: { path },
      },
    );
  }
  const genesis: ChainGenesis = {
    version: 1,
    chainId: EMBEDDED_CHAIN_ID,
    mnemonic: generateMnemonic(english),
    timestamp: Math.floor(Date.now() / 1000),
    accounts: 2,
    balanceEth: "1000000000",
    // The contracts are compiled for cancun (hardhat.config.ts). Prague would also add EIP-2935's
    // block-hash history to the state, which makes every block's state-root work grow for 8191 blocks.
    hardfork: "cancun",
    gasLimit: "30000000",
    baseFeePerGas: "1000000000",
    anvilVersion: opts.anvilVersion,
  };
  await saveGenesis(chainDir, genesis);
  return { genesis, created: true };
}

/** Private keys of the funded accounts (BIP-44 path m/44'/60'/0'/0/i, as anvil derives them). */
export function operatorKeysOf(genesis: ChainGenesis): Hex[] {
  // BIP-39 seed with node's native PBKDF2 (the pure-JS one takes tens of ms per call).
  const seed = pbkdf2Sync(genesis.mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const master = HDKey.fromMasterSeed(seed);
  const keys: Hex[] = [];
  for (let i = 0; i < genesis.accounts; i++) {
    const pk = master.derive(`m/44'/60'/0'/0/${i}`).privateKey;
    if (pk === null) throw new MedchainError("Internal", "cannot derive an operator key");
    keys.push(bytesToHex(pk));
  }
  return keys;
}
