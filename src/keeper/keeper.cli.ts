/** `medchain keeper start`: one keeper as its own process (cluster profile). */
import { join } from "node:path";
import type { Command } from "commander";
import pino from "pino";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { medchainHome } from "../cli/keystore.ts";
import { nodeUrl } from "../cli/context.ts";

/** Registers `keeper start`. */
export function keeperCommands(program: Command): void {
  const keeper = program.command("keeper").description("key-release nodes (threshold custody of data keys)");
  keeper
    .command("start")
    .requiredOption("--rpc <url>", "the keeper's own EVM JSON-RPC endpoint (it checks grants on chain itself)")
    .option("--data-dir <dir>", "keys, audit log and nonces of this keeper", join(medchainHome(), "keeper"))
    .option("--port <n>", "HTTP port (0 = any free port)", "8430")
    .option("--host <host>", "HTTP host", "127.0.0.1")
    .description("run one keeper: releases its key shares only when the chain says so, and logs every decision")
    .action(
      run<{ rpc: string; dataDir: string; port: string; host: string }>(async ({ g, opts }) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new MedchainError("InvalidInput", "--port takes 0..65535");
        const { startKeeper } = await import("./startKeeper.ts");
        const k = await startKeeper({
          dataDir: opts.dataDir,
          port,
          host: opts.host,
          nodeUrl: nodeUrl(g),
          rpcUrl: opts.rpc,
          log: pino({ level: process.env.MEDCHAIN_LOG_LEVEL ?? "info" }, pino.destination(2)),
        });
        emit(
          g,
          { url: k.url, address: k.keeper.address, encryptionKey: k.keeper.encryptionPublicKey },
          () =>
            `medchain keeper listening on ${k.url}\n  address  ${k.keeper.address}\n  to anchor its audit log ` +
            `it needs the keeper role: medchain admin role keeper ${k.keeper.address}\npress Ctrl-C to stop`,
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            k.close().then(
              () => {
                process.stderr.write("keeper stopped cleanly\n");
                resolve();
              },
              () => resolve(),
            );
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      }),
    );
}
