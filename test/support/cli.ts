/** Test support: run the `medchain` CLI as a user would (a child process), with its own MEDCHAIN_HOME. */
import { spawn } from "node:child_process";
import { CLI } from "./nodeProcess.ts";

/** What a CLI run printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

/** A CLI bound to a home dir, a passphrase and a node. */
export function cliRunner(env: {
  home: string;
  node: () => string;
  passphrase?: string;
}): (args: string[], extraEnv?: Record<string, string>) => Promise<CliResult> {
  return (args, extraEnv = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          ...process.env,
          MEDCHAIN_HOME: env.home,
          MEDCHAIN_PASSPHRASE: env.passphrase ?? "correct horse battery staple",
          MEDCHAIN_NODE: env.node(),
          ...extraEnv,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("close", (code) => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(stdout) as Record<string, unknown>;
        } catch {
          /* human output */
        }
        resolve({ code, stdout, stderr, json });
      });
    });
}
