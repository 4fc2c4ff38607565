/**
 * A keeper as its own process (cluster profile: run by another institution
 * on its own host). It reads the chain itself through its own JSON-RPC
 * endpoint (it trusts no node for grants), fetches manifests and relays its
 * audit anchors through a node's API, and serves `/release`, `/audit`,
 * `/info` and `/health`.
 */
import { join } from "node:path";
import Fastify from "fastify";
import { LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { createPublicClient, encodeFunctionData, http, type PublicClient } from "viem";
import type { Logger } from "pino";
import { MedchainError } from "../kernel/errors.ts";
import { auditAnchorAbi, keyRegistryAbi } from "../chain/generated/contracts.ts";
import { NodeClient } from "../sdk/nodeClient.ts";
import { relayCall } from "../kernel/relay/relayCall.ts";
import { Keeper } from "./keeper.ts";
import { KeeperState } from "./keeperState.ts";
import { keeperRoutes } from "./keeper.routes.ts";

/** Options of {@link startKeeper}. */
export interface KeeperOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** A medchain node (blobs, relayer, contract addresses). */
  nodeUrl: string;
  /** The keeper's own view of the chain. */
  rpcUrl: string;
  log: Logger;
}

/** A running standalone keeper. */
export interface RunningKeeper {
  url: string;
  keeper: Keeper;
  close(): Promise<void>;
}

/** Starts a standalone keeper; resolves once it listens. */
export async function startKeeper(opts: KeeperOptions): Promise<RunningKeeper> {
  const node = new NodeClient(opts.nodeUrl);
  const net = await node.contracts();
  const client = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0 }) }) as PublicClient;
  const chainId = await client.getChainId().catch((cause: unknown) => {
    throw new MedchainError("ChainUnavailable", `cannot reach the chain at ${opts.rpcUrl}`, { cause });
  });
  if (chainId !== net.chainId)
    throw new MedchainError("ChainUnavailable", `the node is on chain ${net.chainId} but --rpc is chain ${chainId}`);
  const contracts = { chainId, ...net.contracts };
  const keeper = await Keeper.open({
    index: 0,
    state: KeeperState.open(join(opts.dataDir)),
    client,
    contracts,
    fetchBlob: async (cid) => (await node.fetchBlobs([cid]))[0] ?? new Uint8Array(),
    anchorRoot: async (account, root, count, digest) => {
      await relayCall(
        node,
        account,
        contracts.auditAnchor,
        encodeFunctionData({ abi: auditAnchorAbi, functionName: "anchor", args: [root, count, digest] }),
      );
    },
  });
  const [published] = await client.readContract({
    address: contracts.keyRegistry,
    abi: keyRegistryAbi,
    functionName: "encryptionKeyOf",
    args: [keeper.address],
  });
  if (published.toLowerCase() !== keeper.encryptionPublicKey.toLowerCase()) {
    await relayCall(
      node,
      keeper.account,
      contracts.keyRegistry,
      encodeFunctionData({
        abi: keyRegistryAbi,
        functionName: "publishEncryptionKey",
        args: [keeper.encryptionPublicKey],
      }),
    );
  }
  const app = Fastify({
    loggerInstance: opts.log,
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof MedchainError)
      return reply.status(err.status).type("application/problem+json").send(err.toJSON());
    const status =
      typeof (err as { statusCode?: number }).statusCode === "number" &&
      (err as { statusCode: number }).statusCode < 500
        ? 400
        : 500;
    if (status === 500) opts.log.error({ err }, "unexpected keeper error");
    return reply
      .status(status)
      .type("application/problem+json")
      .send(
        status === 400
          ? { code: "InvalidInput", message: "malformed request" }
          : { code: "Internal", message: "internal error in the keeper" },
      );
  });
  app.get("/info", async () => ({ address: keeper.address, encryptionKey: keeper.encryptionPublicKey }));
  app.get("/health", async () => ({
    status: "ok",
    address: keeper.address,
    events: keeper.auditFor("0x0000000000000000000000000000000000000000").length,
  }));
  await app.register(keeperRoutes([keeper], contracts, ""));
  const timer = setInterval(
    () =>
      keeper
        .anchorPending()
        .catch((err: unknown) => opts.log.warn({ err }, "audit anchoring failed (does this keeper hold KEEPER_ROLE?)")),
    5_000,
  );
  timer.unref();
  const url = await app.listen({ port: opts.port, host: opts.host ?? "127.0.0.1" });
  return {
    url,
    keeper,
    async close() {
      clearInterval(timer);
      await keeper.anchorPending().catch(() => undefined);
      await app.close();
    },
  };
}
