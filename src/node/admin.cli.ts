/** `medchain admin role clinician ACCOUNT`: operator tasks of a local node (token read from its data dir). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { MedchainError } from "../core/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { defaultDataDir, nodeUrl } from "../cli/context.ts";
import { resolveAccount } from "../accounts/keystore.ts";

/** Registers `admin`. */
export function adminCommands(program: Command): void {
  const admin = program.command("admin").description("operator tasks of the local node");
  admin.command("role")
    .argument("<role>", "clinician | keeper")
    .argument("<account>", "key name or address")
    .option("--revoke", "take the role away")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description("grant (or revoke) the clinician role (break-glass) or the keeper role (audit anchoring)")
    .action(run<{ revoke?: boolean; dataDir: string }>(async ({ g, args: [role = "", who = ""], opts }) => {
      if (role !== "clinician" && role !== "keeper") throw new MedchainError("InvalidInput", "operator-managed roles: clinician, keeper");
      let token: string;
      try {
        token = readFileSync(join(opts.dataDir, "admin-token"), "utf8").trim();
      } catch (cause) {
        throw new MedchainError("AccessDenied", `no operator token in ${opts.dataDir} (run this on the node's machine, with its --data-dir)`, { cause });
      }
      const account = resolveAccount(who, "account");
      const url = nodeUrl(g);
      let res: Response;
      try {
        res = await fetch(`${url}/admin/roles`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ role, account, grant: opts.revoke !== true }) });
      } catch (cause) {
        throw new MedchainError("NodeUnreachable", `cannot reach the medchain node at ${url}`, { cause });
      }
      const body = (await res.json()) as { code?: string; message?: string };
      if (!res.ok) throw new MedchainError(body.code === "AccessDenied" ? "AccessDenied" : "Internal", body.message ?? "admin request failed");
      emit(g, body, () => `${account} ${opts.revoke === true ? "no longer holds" : "now holds"} the ${role} role`);
    }));
}
