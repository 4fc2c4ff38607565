/** Test support: `medchain start` as a real child process (for SIGKILL and SIGTERM tests). */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

/** The repo's CLI entry. */
export const CLI = resolve(import.meta.dirname, "../../bin/medchain.js");

/** A node running as a child process. */
export interface NodeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `medchain start --data-dir DIR --port 0 --json` and waits for its URL. */
export async function spawnNode(dataDir: string, extra: string[] = []): Promise<NodeProcess> {
  const child = spawn(process.execPath, [CLI, "start", "--data-dir", dataDir, "--port", "0", "--json", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MEDCHAIN_LOG_LEVEL: "warn" },
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal })),
  );
  const url = await new Promise<string>((res, rej) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      try {
        const j = JSON.parse(out) as { url?: string; code?: string; message?: string };
        if (typeof j.url === "string") res(j.url);
        else rej(new Error(`node failed to start: ${j.code ?? ""} ${j.message ?? ""}`));
      } catch {
        // not a whole JSON document yet
      }
    });
    void exited.then(({ code }) => rej(new Error(`node exited (${code}) before listening: ${err.slice(-2000)}`)));
  });
  return { child, url, stderr: () => err, exited };
}
