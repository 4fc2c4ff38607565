/**
 * The `medchain admin` command group and its transport: operator tasks of a
 * local node, authorized by the operator token in the node's data dir. Slices
 * add their subcommands to the group (`adminGroup(program)`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { errorFromJSON, MedchainError } from "../kernel/errors.ts";
import type { GlobalOptions } from "./output.ts";
import { nodeUrl } from "./context.ts";

/** The `admin` command group (created on first use). */
export function adminGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "admin") ??
    program.command("admin").description("operator tasks of the local node")
  );
}

/** POSTs to an operator route of the local node with the token of its data dir. */
export async function adminPost(
  g: GlobalOptions,
  dataDir: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  let token: string;
  try {
    token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
  } catch (cause) {
    throw new MedchainError(
      "AccessDenied",
      `no operator token in ${dataDir} (run this on the node's machine, with its --data-dir)`,
      { cause },
    );
  }
  const url = nodeUrl(g);
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new MedchainError("NodeUnreachable", `cannot reach the medchain node at ${url}`, { cause });
  }
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw errorFromJSON(json, res.status);
  return json;
}
