/** `medchain start`: run a node (what `npm start` runs). */
import type { Command } from "commander";
import { MedchainError } from "../core/errors.ts";
import { emit } from "../cli/output.ts";
import { run } from "../cli/run.ts";
import { DEFAULT_PORT, defaultDataDir } from "../cli/context.ts";
import { resolveAccount } from "../accounts/keystore.ts";
import { DEFAULT_GOVERNANCE } from "./deployment.ts";

function portArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new MedchainError("InvalidInput", "--port takes 0..65535 (0 = any free port)");
  return n;
}

/** Registers `start`. */
export function nodeCommands(program: Command): void {
  program.command("start")
    .description("run a medchain node: local chain, relayer, indexer, blob store and HTTP API (embedded defaults, no setup)")
    .option("--data-dir <dir>", "where the node keeps its state", defaultDataDir())
    .option("--port <n>", "HTTP port (0 = any free port)", String(DEFAULT_PORT))
    .option("--host <host>", "HTTP host", "127.0.0.1")
    .option("--db <url>", "postgres://... to index into PostgreSQL instead of the embedded PGlite")
    .option("--rpc <url>", "use this EVM JSON-RPC endpoint instead of the embedded chain (needs MEDCHAIN_RELAYER_KEY)")
    .option("--reindex", "drop the SQL index and rebuild it from the chain and the blob store")
    .option("--keeper <url...>", "keepers running elsewhere (`medchain keeper start`), instead of the 3 embedded ones")
    .option("--threshold <k>", "how many keepers open a key", "2")
    .option("--gov-member <member...>", "genesis: the consortium's founding members (key names or addresses), minted once on a new chain")
    .option("--gov-voting-delay <s>", "genesis: seconds from a proposal to its vote", String(DEFAULT_GOVERNANCE.votingDelaySeconds))
    .option("--gov-voting-period <s>", "genesis: seconds a vote lasts", String(DEFAULT_GOVERNANCE.votingPeriodSeconds))
    .option("--gov-timelock <s>", "genesis: seconds a passed proposal waits before it can execute", String(DEFAULT_GOVERNANCE.timelockDelaySeconds))
    .option("--health-max-lag <blocks>", "/health says degraded when the index lags the chain by more blocks (env MEDCHAIN_HEALTH_MAX_LAG_BLOCKS, default 20)")
    .option("--gov-quorum <percent>", "genesis: percentage of members who must vote for or abstain", String(DEFAULT_GOVERNANCE.quorumPercent))
    .action(run<{
      dataDir: string; port: string; host: string; db?: string; rpc?: string; reindex?: boolean; keeper?: string[]; threshold: string;
      govMember?: string[]; govVotingDelay: string; govVotingPeriod: string; govTimelock: string; govQuorum: string;
      healthMaxLag?: string;
    }>(async ({ g, opts }) => {
      const started = Date.now();
      const relayerKey = process.env.MEDCHAIN_RELAYER_KEY as `0x${string}` | undefined;
      if (!/^[0-9]+$/.test(opts.threshold)) throw new MedchainError("InvalidInput", "--threshold takes a whole number");
      const whole = (flag: string, v: string): number => {
        if (!/^[0-9]{1,9}$/.test(v)) throw new MedchainError("InvalidInput", `${flag} takes a whole number`);
        return Number(v);
      };
      const governance = {
        votingDelaySeconds: whole("--gov-voting-delay", opts.govVotingDelay), votingPeriodSeconds: whole("--gov-voting-period", opts.govVotingPeriod),
        timelockDelaySeconds: whole("--gov-timelock", opts.govTimelock), quorumPercent: whole("--gov-quorum", opts.govQuorum),
      };
      const govMembers = (opts.govMember ?? []).map((m) => resolveAccount(m, "account"));
      let lastPct = -1;
      // Loaded on demand: client commands should not pay for the node's dependencies (PGlite, Fastify, Vite).
      const { startNode } = await import("./startNode.ts");
      // The web portal is rebuilt here when its sources changed since the last build (a no-op otherwise).
      const { ensureWebBuild } = await import("./web/webBuild.ts");
      await ensureWebBuild({ log: (m) => process.stderr.write(`${m}\n`) }).catch((err: unknown) => {
        process.stderr.write(`warning: the web portal could not be built; serving the API only (${err instanceof Error ? err.message : String(err)})\n`);
      });
      const node = await startNode({
        dataDir: opts.dataDir, port: portArg(opts.port), host: opts.host,
        ...(opts.db === undefined ? {} : { dbUrl: opts.db }),
        ...(opts.rpc === undefined ? {} : { rpcUrl: opts.rpc }),
        ...(relayerKey === undefined ? {} : { relayerKey }),
        reindex: opts.reindex === true,
        threshold: Number(opts.threshold),
        ...(opts.keeper === undefined ? {} : { keeperUrls: opts.keeper }),
        governance, govMembers,
        ...(opts.healthMaxLag === undefined ? {} : { health: { maxLagBlocks: whole("--health-max-lag", opts.healthMaxLag) } }),
        onProgress: (step, done, total) => {
          const pct = Math.floor((done / Math.max(total, 1)) * 10);
          if (pct !== lastPct) { lastPct = pct; process.stderr.write(`${step}: ${done}/${total}\n`); }
        },
      });
      const d = node.ctx.deployment;
      emit(g, { url: node.url, dataDir: opts.dataDir, chainId: d.chainId, contracts: d, startupMs: Date.now() - started }, () =>
        `medchain node listening on ${node.url}\n  data dir  ${opts.dataDir}\n  chain     ${node.ctx.chain.kind} (id ${d.chainId})\n  db        ${node.ctx.db.kind}\n  portal    ${node.url}/\n  health    ${node.url}/health\n  api docs  ${node.url}/openapi.json\npress Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const stop = (sig: string): void => {
          process.stderr.write(`\n${sig}: stopping medchain node...\n`);
          node.close().then(() => { process.stderr.write("stopped cleanly\n"); resolve(); }, () => resolve());
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
    }));
}
