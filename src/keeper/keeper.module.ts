/**
 * The keeper slice: key release by k-of-n keepers, each checking the chain at
 * release time and auditing every release (embedded: three in-process keepers,
 * threshold 2; cluster: keepers on their own hosts); `medchain keeper`,
 * `admin role keeper`.
 */
import { MedchainError } from "../kernel/errors.ts";
import type { SliceModule } from "../node/module.ts";
import { grantKeeperRoleEndpoint, NODE_KEEPER_ENDPOINTS } from "./sdk/endpoints.ts";
import type { Keeper } from "./keeper.ts";
import type { KeeperInfo } from "./sdk/schemas.ts";
import { KEEPER_ERRORS } from "./sdk/errors.ts";
import { keeperCommands } from "./keeper.cli.ts";
import { keeperAdminCommands } from "./keeper.admin.cli.ts";
import "./sdk/network.ts";

declare module "../node/startNode.ts" {
  interface NodeOptions {
    /** Keepers run elsewhere (cluster profile): their base URLs; the node then hosts none. */
    keeperUrls?: readonly string[];
    /** How many keepers open a key (default 2; with keeperUrls, at most their number). */
    threshold?: number;
  }
}

declare module "../node/context.ts" {
  interface NodeContext {
    /** Keepers hosted by this node (embedded profile; empty when keepers run elsewhere). */
    keepers: readonly Keeper[];
    /** Every keeper of the network as clients see them (hosted or remote). */
    keeperDirectory: () => Promise<KeeperInfo[]>;
    /** How many keepers open a key. */
    threshold: number;
  }
}

/** How often hosted keepers anchor their pending audit events (and on every audit query). */
const ANCHOR_EVERY_MS = 5_000;

/** The keeper slice's module. */
export const keeperModule: SliceModule = {
  name: "keeper",
  errors: KEEPER_ERRORS,
  httpPrefixes: ["/keepers"],
  endpoints: [...NODE_KEEPER_ENDPOINTS, grantKeeperRoleEndpoint],
  async start(ctx) {
    const [{ EMBEDDED_KEEPERS, startEmbeddedKeepers }, { remoteKeeperDirectory }] = await Promise.all([
      import("./embeddedKeepers.ts"),
      import("./remoteKeepers.ts"),
    ]);
    const urls = ctx.options.keeperUrls ?? [];
    const remote = urls.length > 0;
    const { client, sender, deployment, blobs, relayer, log } = ctx;
    const relay = { prepareRelay: relayer.prepare.bind(relayer), relay: relayer.relay.bind(relayer) };
    const keepers = remote
      ? []
      : await startEmbeddedKeepers({ dataDir: ctx.options.dataDir, client, sender, deployment, blobs, relay });
    const threshold = ctx.options.threshold ?? EMBEDDED_KEEPERS.threshold;
    if (threshold < 1 || threshold > (remote ? urls.length : keepers.length)) {
      throw new MedchainError("InvalidInput", "the threshold must be between 1 and the number of keepers");
    }
    const keeperDirectory = remote
      ? remoteKeeperDirectory(urls, client, deployment.keyRegistry)
      : async (): Promise<KeeperInfo[]> =>
          keepers.map((k) => ({
            index: k.index,
            address: k.address,
            url: `keepers/${k.index}`,
            encryptionKey: k.encryptionPublicKey,
          }));
    const timer = setInterval(() => {
      for (const k of keepers)
        k.anchorPending().catch((err: unknown) =>
          log.warn({ err, keeper: k.index }, "audit anchoring failed; retrying"),
        );
    }, ANCHOR_EVERY_MS);
    timer.unref();
    return {
      services: { keepers, keeperDirectory, threshold },
      async close() {
        clearInterval(timer);
        await Promise.all(
          keepers.map((k) =>
            k
              .anchorPending()
              .catch((err: unknown) => log.warn({ err, keeper: k.index }, "last audit anchoring failed")),
          ),
        );
      },
    };
  },
  network: { read: async (ctx) => ({ keepers: await ctx.keeperDirectory(), threshold: ctx.threshold }) },
  async routes(ctx) {
    const { keeperRoutes } = await import("./keeper.routes.ts");
    return keeperRoutes(ctx.keepers, { ...ctx.deployment }, "/keepers/:index");
  },
  async adminRoutes(ctx) {
    return (await import("./keeper.admin.routes.ts")).keeperAdminRoutes(ctx);
  },
  cli(program) {
    keeperCommands(program);
    keeperAdminCommands(program);
  },
  startOptions: {
    register(cmd) {
      cmd
        .option(
          "--keeper <url...>",
          "keepers running elsewhere (`medchain keeper start`), instead of the 3 embedded ones",
        )
        .option("--threshold <k>", "how many keepers open a key", "2");
    },
    read(o) {
      if (typeof o.threshold !== "string" || !/^[0-9]+$/.test(o.threshold))
        throw new MedchainError("InvalidInput", "--threshold takes a whole number");
      const urls = Array.isArray(o.keeper) ? o.keeper.filter((u): u is string => typeof u === "string") : [];
      return { threshold: Number(o.threshold), ...(urls.length === 0 ? {} : { keeperUrls: urls }) };
    },
  },
};
