/**
 * Runs anvil as a child process that cannot outlive the node for long:
 *
 * - anvil is started by a tiny watchdog (`node -e`, in its own process group
 *   so a terminal's Ctrl-C reaches only the node) that holds a pipe from the
 *   node on its stdin. When the node exits for any reason, `kill -9`
 *   included, the kernel closes that pipe; the watchdog sees end-of-file,
 *   SIGKILLs anvil and exits.
 * - On Linux, anvil is also exec'd through `setpriv --pdeathsig KILL` when
 *   available, so it dies with the watchdog even if the watchdog is SIGKILLed.
 * - `<chainDir>/anvil.pid` records node, watchdog and anvil pids; the next
 *   start kills an anvil left over (its command line names anvil and the
 *   chain directory), and refuses to start while another live node owns the
 *   directory.
 */
import { spawn, execFileSync } from "node:child_process";
import type { ChildProcessByStdio } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { MedchainError } from "../../kernel/errors.ts";

/** Marker in the watchdog's command line, used to recognise it. */
const WATCHDOG_MARKER = "medchain-anvil-watchdog";

// CommonJS, run with `node -e`. Reads one JSON line {command, args} on stdin,
// spawns it, reports {type:"spawned"|"listening"|"exit"|"error"} lines on
// stdout, and SIGKILLs the child when stdin closes or on SIGTERM/SIGINT/SIGHUP.
// anvil's own output (its banner lists the private keys) is read and dropped.
const WATCHDOG_SCRIPT = `"use strict";
const { spawn } = require("node:child_process");
let child = null, stopping = false, found = false, out = "", errTail = "", buf = "";
function send(m) { try { process.stdout.write(JSON.stringify(m) + "\\n"); } catch {} }
function stop() {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null && child.signalCode === null) { try { child.kill("SIGKILL"); } catch { process.exit(0); } }
  else process.exit(0);
}
process.stdout.on("error", stop);
process.stdin.on("error", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, stop);
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => {
  if (child || stopping) return;
  buf += d;
  const i = buf.indexOf("\\n");
  if (i < 0) return;
  const cfg = JSON.parse(buf.slice(0, i));
  buf = "";
  child = spawn(cfg.command, cfg.args, { stdio: ["ignore", "pipe", "pipe"] });
  child.on("error", (e) => { send({ type: "error", message: String(e && e.message) }); process.exit(1); });
  if (child.pid !== undefined) send({ type: "spawned", pid: child.pid });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (t) => {
    if (found) return;
    out += t;
    const m = /Listening on [^\\s]*:(\\d+)/.exec(out);
    if (m) { found = true; out = ""; send({ type: "listening", port: Number(m[1]) }); }
    else if (out.length > 65536) out = out.slice(-4096);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (t) => { errTail = (errTail + t).slice(-4096); });
  child.on("exit", (code, signal) => { send({ type: "exit", code, signal, stderr: errTail }); process.exit(0); });
});
`;

/** Contents of `<chainDir>/anvil.pid`. */
export interface PidFile {
  readonly nodePid: number;
  readonly watchdogPid: number;
  readonly anvilPid: number;
}

/** A running anvil behind its watchdog. */
export interface AnvilProcess {
  /** anvil's pid. */
  readonly pid: number;
  /** The watchdog's pid. */
  readonly watchdogPid: number;
  /** TCP port anvil listens on (127.0.0.1). */
  readonly port: number;
  /** Resolves when anvil has exited (for any reason). */
  readonly exited: Promise<void>;
  /** Stops anvil (SIGKILL: it keeps no state) and waits until it and the watchdog are gone. */
  stop(): Promise<void>;
}

/** Path of the anvil binary: `MEDCHAIN_ANVIL_BIN`, else the npm package `@foundry-rs/anvil`'s platform binary. */
export function anvilBinary(): string {
  const fromEnv = process.env["MEDCHAIN_ANVIL_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const exe = process.platform === "win32" ? "anvil.exe" : "anvil";
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    return createRequire(import.meta.url).resolve(`${pkg}/bin/${exe}`);
  } catch (cause) {
    throw new MedchainError("ChainUnavailable", `anvil binary not found (npm package ${pkg}); run npm install`, {
      details: { package: pkg },
      cause,
    });
  }
}

/** Version of the installed anvil npm package (recorded in genesis.json), or "unknown". */
export function anvilVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(req.resolve("@foundry-rs/anvil/package.json"), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

let pdeathsigSupported: boolean | undefined;
function setprivPath(): string | undefined {
  if (process.platform !== "linux") return undefined;
  if (pdeathsigSupported === undefined) {
    try {
      pdeathsigSupported =
        existsSync("/usr/bin/setpriv") &&
        execFileSync("/usr/bin/setpriv", ["--help"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }).includes("--pdeathsig");
    } catch {
      pdeathsigSupported = false;
    }
  }
  return pdeathsigSupported ? "/usr/bin/setpriv" : undefined;
}

/**
 * True when anvil is exec'd through `setpriv --pdeathsig KILL`, i.e. dies with its watchdog whatever kills the
 * watchdog.
 */
export function anvilDiesWithWatchdog(): boolean {
  return setprivPath() !== undefined;
}

/** The command line of a live process, or undefined if it is gone or unreadable. */
export function processCommandLine(pid: number): string | undefined {
  if (process.platform === "linux") {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      return undefined;
    }
  }
  try {
    return (
      execFileSync("ps", ["-o", "command=", "-p", String(pid)], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** True while `pid` names a live process (a zombie counts as dead). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  }
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function pidFilePath(chainDir: string): string {
  return join(chainDir, "anvil.pid");
}

/** Reads `<chainDir>/anvil.pid`; undefined if missing or unreadable. */
export async function readPidFile(chainDir: string): Promise<PidFile | undefined> {
  try {
    const v = JSON.parse(await readFile(pidFilePath(chainDir), "utf8")) as Partial<Record<keyof PidFile, unknown>>;
    if (typeof v.nodePid === "number" && typeof v.watchdogPid === "number" && typeof v.anvilPid === "number") {
      return { nodePid: v.nodePid, watchdogPid: v.watchdogPid, anvilPid: v.anvilPid };
    }
  } catch {
    // missing or garbage: nothing to reclaim
  }
  return undefined;
}

async function writePidFile(chainDir: string, pids: PidFile): Promise<void> {
  const tmp = `${pidFilePath(chainDir)}.tmp`;
  await writeFile(tmp, JSON.stringify(pids) + "\n", { mode: 0o600 });
  await rename(tmp, pidFilePath(chainDir));
}

/** Removes `<chainDir>/anvil.pid`. */
export async function removePidFile(chainDir: string): Promise<void> {
  await rm(pidFilePath(chainDir), { force: true });
}

/**
 * Makes `chainDir` ours: throws `ChainUnavailable` while another live node
 * owns it (its watchdog runs), kills an anvil left behind by a dead one.
 */
export async function reclaimChainDir(chainDir: string, log: (msg: string) => void): Promise<void> {
  const pids = await readPidFile(chainDir);
  if (pids === undefined) return;
  if (isProcessAlive(pids.watchdogPid)) {
    const cmd = processCommandLine(pids.watchdogPid) ?? "";
    if (cmd.includes(WATCHDOG_MARKER) && cmd.includes(chainDir)) {
      if (isProcessAlive(pids.nodePid)) {
        throw new MedchainError(
          "ChainUnavailable",
          "the data directory's chain is in " + "use by another running medchain node",
          {
            details: { chainDir, nodePid: pids.nodePid, watchdogPid: pids.watchdogPid },
          },
        );
      }
      // Its node just died (a supervisor restarting us at once): the watchdog is about to kill anvil and exit.
      if (!(await waitGone(pids.watchdogPid, 5_000))) {
        try {
          process.kill(pids.watchdogPid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  }
  if (isProcessAlive(pids.anvilPid)) {
    const cmd = processCommandLine(pids.anvilPid) ?? "";
    if (cmd.includes("anvil") && cmd.includes(chainDir)) {
      log(`chain: killing anvil left over by an earlier node (pid ${pids.anvilPid})`);
      try {
        process.kill(pids.anvilPid, "SIGKILL");
      } catch {
        // already gone
      }
      if (!(await waitGone(pids.anvilPid, 5_000))) {
        throw new MedchainError("ChainUnavailable", "an anvil left over by an " + "earlier node does not die", {
          details: { chainDir, pid: pids.anvilPid },
        });
      }
    }
  }
  await removePidFile(chainDir);
}

interface WatchdogMessage {
  type?: unknown;
  pid?: unknown;
  port?: unknown;
  code?: unknown;
  signal?: unknown;
  stderr?: unknown;
  message?: unknown;
}

type Watchdog = ChildProcessByStdio<Writable, Readable, Readable>;

function unrefStream(stream: Readable | Writable): void {
  const s = stream as unknown as { unref?: () => void };
  s.unref?.();
}

/**
 * Starts anvil with `args` behind a watchdog, records the pid file in
 * `chainDir`, and resolves once anvil listens. `args` must contain
 * `--port 0` and `--cache-path <chainDir>/...` (the pid file logic recognises
 * a stale anvil by the chain directory on its command line).
 */
export async function spawnAnvil(opts: {
  chainDir: string;
  args: readonly string[];
  log: (msg: string) => void;
  startTimeoutMs?: number;
}): Promise<AnvilProcess> {
  const bin = anvilBinary();
  const setpriv = setprivPath();
  const command = setpriv ?? bin;
  const args = setpriv === undefined ? [...opts.args] : ["--pdeathsig", "KILL", "--", bin, ...opts.args];

  const watchdog: Watchdog = spawn(process.execPath, ["-e", WATCHDOG_SCRIPT, WATCHDOG_MARKER, opts.chainDir], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", NO_COLOR: "1" },
  });
  const watchdogPid = watchdog.pid;
  let watchdogErr = "";
  watchdog.stderr.setEncoding("utf8");
  watchdog.stderr.on("data", (t: string) => {
    watchdogErr = (watchdogErr + t).slice(-4096);
  });
  watchdog.stdin.on("error", () => {
    // the watchdog died; handled by its exit event
  });
  // The watchdog exits right after anvil, and anvil cannot outlive the watchdog.
  const watchdogExited = new Promise<void>((resolve) => watchdog.once("exit", () => resolve()));

  let anvilPid: number | undefined;
  let pidWritten: Promise<void> | undefined;
  let exitInfo: string | undefined;
  let stopping = false;
  const listening = new Promise<number>((resolve, reject) => {
    let buf = "";
    watchdog.stdout.setEncoding("utf8");
    watchdog.stdout.on("data", (t: string) => {
      buf += t;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let msg: WatchdogMessage;
        try {
          msg = JSON.parse(line) as WatchdogMessage;
        } catch {
          continue;
        }
        if (msg.type === "spawned" && typeof msg.pid === "number") {
          anvilPid = msg.pid;
          if (watchdogPid !== undefined) {
            pidWritten = writePidFile(opts.chainDir, { nodePid: process.pid, watchdogPid, anvilPid: msg.pid });
            pidWritten.catch(() => undefined); // awaited (and reported) once anvil listens
          }
        } else if (msg.type === "listening" && typeof msg.port === "number") {
          resolve(msg.port);
        } else if (msg.type === "exit") {
          const stderr = typeof msg.stderr === "string" ? msg.stderr.trim() : "";
          exitInfo =
            `anvil exited (code ${String(msg.code)}, signal ` +
            `${String(msg.signal)})${stderr === "" ? "" : `: ${stderr.slice(-500)}`}`;
          if (!stopping) opts.log(`chain: ${exitInfo}`);
          reject(new MedchainError("ChainUnavailable", "anvil exited during start", { details: { reason: exitInfo } }));
        } else if (msg.type === "error") {
          reject(
            new MedchainError("ChainUnavailable", "cannot start anvil", {
              details: { reason: String(msg.message), command },
            }),
          );
        }
      }
    });
    watchdog.once("error", (error) =>
      reject(new MedchainError("ChainUnavailable", "cannot start the " + "anvil watchdog", { cause: error })),
    );
    watchdog.once("exit", (code, signal) =>
      reject(
        new MedchainError("ChainUnavailable", "anvil exited during start", {
          details: {
            reason:
              exitInfo ??
              `watchdog exited (code ${String(code)}, signal ${String(signal)}) ${watchdogErr.trim().slice(-500)}`,
          },
        }),
      ),
    );
  });
  // Rejections after a successful start are reported through opts.log only.
  listening.catch(() => undefined);

  const stop = async (): Promise<void> => {
    stopping = true;
    if (watchdog.exitCode === null && watchdog.signalCode === null) {
      watchdog.stdin.end();
      const gone = await Promise.race([watchdogExited.then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) {
        for (const pid of [anvilPid, watchdogPid]) {
          if (pid === undefined) continue;
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // gone
          }
        }
        await watchdogExited;
      }
    }
    if (anvilPid !== undefined) await waitGone(anvilPid, 5_000);
  };

  watchdog.stdin.write(JSON.stringify({ command, args }) + "\n");
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let port: number;
  try {
    port = await Promise.race([
      listening,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new MedchainError("ChainUnavailable", "anvil did not start " + "listening in time", {
                details: { timeoutMs },
              }),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (anvilPid === undefined || watchdogPid === undefined) {
    await stop();
    throw new MedchainError("ChainUnavailable", "anvil started without reporting its pid");
  }
  try {
    await pidWritten;
  } catch (error) {
    await stop();
    throw new MedchainError("ChainUnavailable", "cannot write the " + "anvil pid file", {
      details: { chainDir: opts.chainDir },
      cause: error,
    });
  }

  // From here on the node may exit without calling stop(): the watchdog then sees EOF and kills anvil.
  watchdog.unref();
  unrefStream(watchdog.stdin);
  unrefStream(watchdog.stdout);
  unrefStream(watchdog.stderr);

  const pid = anvilPid;
  return { pid, watchdogPid, port, exited: watchdogExited, stop };
}
