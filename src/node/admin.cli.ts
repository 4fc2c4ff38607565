/** `medchain admin role keeper ACCOUNT`, `medchain admin genesis MEMBER...`: operator tasks of a local node (token read from its data dir). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { errorFromJSON, MedchainError } from "../core/errors.ts";
import { emit, type GlobalOptions } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { defaultDataDir, nodeUrl } from "../cli/context.ts";
import { resolveAccount } from "../accounts/keystore.ts";

/** POSTs to an operator route of the local node with the token of its data dir. */
async function adminPost(g: GlobalOptions, dataDir: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  let token: string;
  try {
    token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
  } catch (cause) {
    throw new MedchainError("AccessDenied", `no operator token in ${dataDir} (run this on the node's machine, with its --data-dir)`, { cause });
  }
  const url = nodeUrl(g);
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  } catch (cause) {
    throw new MedchainError("NodeUnreachable", `cannot reach the medchain node at ${url}`, { cause });
  }
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw errorFromJSON(json, res.status);
  return json;
}

/** Registers `admin`. */
export function adminCommands(program: Command): void {
  const admin = program.command("admin").description("operator tasks of the local node");
  admin.command("role")
    .argument("<role>", "keeper")
    .argument("<account>", "key name or address")
    .option("--revoke", "take the role away")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description("grant (or revoke) the keeper role (audit anchoring); clinicians get their role from a licence credential")
    .action(run<{ revoke?: boolean; dataDir: string }>(async ({ g, args: [role = "", who = ""], opts }) => {
      if (role !== "keeper") throw new MedchainError("InvalidInput", "the operator manages the keeper role only (clinicians present a licence credential: medchain credential present)");
      const account = resolveAccount(who, "account");
      const body = await adminPost(g, opts.dataDir, "/admin/roles", { role, account, grant: opts.revoke !== true });
      emit(g, body, () => `${account} ${opts.revoke === true ? "no longer holds" : "now holds"} the ${role} role`);
    }));
  admin.command("genesis")
    .argument("<members...>", "the consortium's founding members (key names or addresses)")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description("genesis configuration: mint the consortium's founding members, once; afterwards only governance changes the membership")
    .action(run<{ dataDir: string }>(async ({ g, args, opts }) => {
      const members = args.map((m) => resolveAccount(m, "account"));
      const body = await adminPost(g, opts.dataDir, "/admin/gov/genesis", { members });
      emit(g, body, () => `founding members: ${members.join(", ")}`);
    }));
}
