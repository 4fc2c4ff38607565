/** `medchain admin role keeper ACCOUNT`: the operator grants (or revokes) the keeper role on the audit anchor. */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { defaultDataDir } from "../cli/context.ts";
import { adminGroup, adminPost } from "../cli/admin.ts";
import { resolveAccount } from "../cli/keystore.ts";

/** Registers `admin role`. */
export function keeperAdminCommands(program: Command): void {
  adminGroup(program)
    .command("role")
    .argument("<role>", "keeper")
    .argument("<account>", "key name or address")
    .option("--revoke", "take the role away")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description(
      "grant (or revoke) the keeper role (audit anchoring); clinicians get their role from a licence credential",
    )
    .action(
      run<{ revoke?: boolean; dataDir: string }>(async ({ g, args: [role = "", who = ""], opts }) => {
        if (role !== "keeper") {
          throw new MedchainError(
            "InvalidInput",
            "the operator manages the keeper role only (clinicians " +
              "present a licence credential: medchain credential present)",
          );
        }
        const account = resolveAccount(who, "account");
        const body = await adminPost(g, opts.dataDir, "/admin/roles", { role, account, grant: opts.revoke !== true });
        emit(g, body, () => `${account} ${opts.revoke === true ? "no longer holds" : "now holds"} the ${role} role`);
      }),
    );
}
