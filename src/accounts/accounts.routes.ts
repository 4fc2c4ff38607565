/** HTTP routes of the accounts slice (declared in `sdk/endpoints.ts`). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { toHex } from "viem";
import { keyRegistryAbi } from "../chain/generated/contracts.ts";
import type { NodeContext } from "../node/context.ts";
import { route } from "../node/api/endpointRoute.ts";
import { getAccountEndpoint } from "./sdk/endpoints.ts";
import { didOf } from "./sdk/did.ts";

/** `GET /accounts/:address`. */
export function accountsRoutes(ctx: NodeContext): FastifyPluginAsyncZod {
  return async (app) => {
    route(app, getAccountEndpoint, async (req) => {
      const address = req.params.address.toLowerCase() as `0x${string}`;
      const [key, version] = await ctx.client.readContract({
        address: ctx.deployment.keyRegistry,
        abi: keyRegistryAbi,
        functionName: "encryptionKeyOf",
        args: [address],
      });
      const empty = BigInt(key) === 0n;
      return {
        address,
        did: didOf(ctx.deployment.chainId, address),
        encryptionKey: empty ? null : toHex(BigInt(key), { size: 32 }),
        keyVersion: Number(version),
      };
    });
  };
}
