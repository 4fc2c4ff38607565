/** What every CLI command needs: the node client, the passphrase, key unlocking. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { MedchainError } from "../kernel/errors.ts";
import { NodeClient } from "../sdk/nodeClient.ts";
import { medchainHome, unlockKey } from "./keystore.ts";
import type { RecordKeys } from "../kernel/accountKeys.ts";
import type { GlobalOptions } from "./output.ts";

/** Default port of `medchain start`. */
export const DEFAULT_PORT = 8420;

/** Default data dir of `medchain start`: `$MEDCHAIN_HOME/node`. */
export function defaultDataDir(): string {
  return join(medchainHome(), "node");
}

/** The node URL: `--node`, else `$MEDCHAIN_NODE`, else the one the default node wrote at start, else localhost:8420. */
export function nodeUrl(opts: GlobalOptions): string {
  if (opts.node !== undefined) return opts.node;
  if (process.env.MEDCHAIN_NODE !== undefined && process.env.MEDCHAIN_NODE !== "") return process.env.MEDCHAIN_NODE;
  const file = join(defaultDataDir(), "node.json");
  if (existsSync(file)) {
    try {
      const { url } = JSON.parse(readFileSync(file, "utf8")) as { url?: unknown };
      if (typeof url === "string") return url;
    } catch {
      // a damaged node.json is ignored: fall through to the default
    }
  }
  return `http://127.0.0.1:${DEFAULT_PORT}`;
}

/** A client of the node this command talks to. */
export function nodeClient(opts: GlobalOptions): NodeClient {
  return new NodeClient(nodeUrl(opts));
}

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const rlOut = rl as unknown as { _writeToOutput?: (s: string) => void };
  process.stderr.write(question);
  rlOut._writeToOutput = () => undefined; // do not echo the passphrase
  try {
    return await new Promise<string>((resolve) => rl.question("", resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** The keystore passphrase: `$MEDCHAIN_PASSPHRASE`, else asked on the terminal. */
export async function passphrase(purpose: string): Promise<string> {
  const env = process.env.MEDCHAIN_PASSPHRASE;
  if (env !== undefined && env !== "") return env;
  if (process.stdin.isTTY !== true) {
    throw new MedchainError(
      "PassphraseRequired",
      "set MEDCHAIN_PASSPHRASE or run in a terminal to enter the keystore passphrase",
    );
  }
  return prompt(`passphrase ${purpose}: `);
}

/** Unlocks a named key with the passphrase. */
export async function unlock(name: string): Promise<RecordKeys> {
  return unlockKey(name, await passphrase(`for key "${name}"`));
}
