/** `medchain start`: run a node (what `npm start` runs). */
import type { Command } from "commander";
import { MedchainError } from "../kernel/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { DEFAULT_PORT, defaultDataDir } from "../cli/context.ts";
import type { SliceModule } from "./module.ts";
import type { NodeOptions } from "./startNode.ts";

function portArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new MedchainError("InvalidInput", "--port takes 0..65535 (0 = any free port)");
  return n;
}

/** Registers `start`. */
export function nodeCommands(program: Command, modules: readonly SliceModule[]): void {
  const start = program
    .command("start")
    .description(
      "run a medchain node: local chain, relayer, indexer, blob store and HTTP API (embedded defaults, no setup)",
    )
    .option("--data-dir <dir>", "where the node keeps its state", defaultDataDir())
    .option("--port <n>", "HTTP port (0 = any free port)", String(DEFAULT_PORT))
    .option("--host <host>", "HTTP host", "127.0.0.1")
    .option("--db <url>", "postgres://... to index into PostgreSQL instead of the embedded PGlite")
    .option("--rpc <url>", "use this EVM JSON-RPC endpoint instead of the embedded chain (needs MEDCHAIN_RELAYER_KEY)")
    .option("--reindex", "drop the SQL index and rebuild it from the chain and the blob store")
    .option(
      "--health-max-lag <blocks>",
      "/health says degraded when the index lags the chain by more " +
        "blocks (env MEDCHAIN_HEALTH_MAX_LAG_BLOCKS, default 20)",
    );
  for (const m of modules) m.startOptions?.register(start);
  start.action(
    run<
      { dataDir: string; port: string; host: string; db?: string; rpc?: string; reindex?: boolean } & Record<
        string,
        unknown
      >
    >(async ({ g, opts }) => {
      const started = Date.now();
      const relayerKey = process.env.MEDCHAIN_RELAYER_KEY as `0x${string}` | undefined;
      let health: Partial<NodeOptions> = {};
      if (opts.healthMaxLag !== undefined) {
        if (typeof opts.healthMaxLag !== "string" || !/^[0-9]{1,9}$/.test(opts.healthMaxLag))
          throw new MedchainError("InvalidInput", "--health-max-lag takes a whole number");
        health = { health: { maxLagBlocks: Number(opts.healthMaxLag) } };
      }
      const sliceOptions: Partial<NodeOptions> = Object.assign(
        {},
        ...modules.map((m) => m.startOptions?.read(opts) ?? {}),
      );
      let lastPct = -1;
      // Loaded on demand: client commands should not pay for the node's dependencies (PGlite, Fastify, Vite).
      const { startNode } = await import("./startNode.ts");
      // The web portal is rebuilt here when its sources changed since the last build (a no-op otherwise).
      const { ensureWebBuild } = await import("./web/webBuild.ts");
      await ensureWebBuild({ log: (m) => process.stderr.write(`${m}\n`) }).catch((err: unknown) => {
        process.stderr.write(
          `warning: the web portal could not be built; serving the API ` +
            `only (${err instanceof Error ? err.message : String(err)})\n`,
        );
      });
      const node = await startNode({
        dataDir: opts.dataDir,
        port: portArg(opts.port),
        host: opts.host,
        ...(opts.db === undefined ? {} : { dbUrl: opts.db }),
        ...(opts.rpc === undefined ? {} : { rpcUrl: opts.rpc }),
        ...(relayerKey === undefined ? {} : { relayerKey }),
        reindex: opts.reindex === true,
        ...sliceOptions,
        ...health,
        onProgress: (step, done, total) => {
          const pct = Math.floor((done / Math.max(total, 1)) * 10);
          if (pct !== lastPct) {
            lastPct = pct;
            process.stderr.write(`${step}: ${done}/${total}\n`);
          }
        },
      });
      const d = node.ctx.deployment;
      emit(
        g,
        { url: node.url, dataDir: opts.dataDir, chainId: d.chainId, contracts: d, startupMs: Date.now() - started },
        () =>
          `medchain node listening on ${node.url}\n  data dir  ${opts.dataDir}\n ` +
          ` chain     ${node.ctx.chain.kind} (id ${d.chainId})\n  db        ` +
          `${node.ctx.db.kind}\n  portal    ${node.url}/\n  health    ` +
          `${node.url}/health\n  api docs  ${node.url}/openapi.json\npress Ctrl-C to stop`,
      );
      await new Promise<void>((resolve) => {
        const stop = (sig: string): void => {
          process.stderr.write(`\n${sig}: stopping medchain node...\n`);
          node.close().then(
            () => {
              process.stderr.write("stopped cleanly\n");
              resolve();
            },
            () => resolve(),
          );
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
    }),
  );
}
