/** `medchain admin genesis MEMBER...`: the operator mints the consortium's founding members, once. */
import type { Command } from "commander";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { defaultDataDir } from "../cli/context.ts";
import { adminGroup, adminPost } from "../cli/admin.ts";
import { resolveAccount } from "../cli/keystore.ts";

/** Registers `admin genesis`. */
export function identityAdminCommands(program: Command): void {
  adminGroup(program)
    .command("genesis")
    .argument("<members...>", "the consortium's founding members (key names or addresses)")
    .option("--data-dir <dir>", "the node's data dir (holds the operator token)", defaultDataDir())
    .description(
      "genesis configuration: mint the consortium's founding members, " +
        "once; afterwards only governance changes the membership",
    )
    .action(
      run<{ dataDir: string }>(async ({ g, args, opts }) => {
        const members = args.map((m) => resolveAccount(m, "account"));
        const body = await adminPost(g, opts.dataDir, "/admin/gov/genesis", { members });
        emit(g, body, () => `founding members: ${members.join(", ")}`);
      }),
    );
}
