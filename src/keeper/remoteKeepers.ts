/**
 * Keepers that run as their own processes (cluster profile): the node lists
 * them for clients. Each keeper's address comes from its `/info`; its
 * encryption key is taken from the chain (KeyRegistry), never from the
 * keeper's word, so importers wrap shares to the key the keeper published.
 */
import type { PublicClient } from "viem";
import { z } from "zod";
import { MedchainError } from "../kernel/errors.ts";
import { zAddress } from "../kernel/schemas.ts";
import { keyRegistryAbi } from "../chain/generated/contracts.ts";
import type { KeeperInfo } from "./sdk/schemas.ts";
import "./sdk/errors.ts";

/** What a keeper says about itself at `GET /info`. */
export const zKeeperSelf = z.object({ address: zAddress, encryptionKey: z.string() });

/** A directory of remote keepers, resolved once all answer (then cached). */
export function remoteKeeperDirectory(
  urls: readonly string[],
  client: PublicClient,
  keyRegistry: `0x${string}`,
): () => Promise<KeeperInfo[]> {
  let cached: KeeperInfo[] | undefined;
  return async () => {
    if (cached !== undefined) return cached;
    const infos = await Promise.all(
      urls.map(async (raw, index) => {
        const url = raw.replace(/\/+$/, "");
        let self;
        try {
          self = zKeeperSelf.parse(await (await fetch(`${url}/info`)).json());
        } catch (cause) {
          throw new MedchainError("KeepersUnavailable", `keeper ${index} (${url}) does not answer`, {
            cause,
            details: { keeper: url },
          });
        }
        const [key] = await client.readContract({
          address: keyRegistry,
          abi: keyRegistryAbi,
          functionName: "encryptionKeyOf",
          args: [self.address],
        });
        if (BigInt(key) === 0n)
          throw new MedchainError(
            "KeepersUnavailable",
            `keeper ${index} has not published its encryption key on chain yet`,
            { details: { keeper: url } },
          );
        return {
          index,
          address: self.address.toLowerCase() as `0x${string}`,
          url,
          encryptionKey: key.toLowerCase() as `0x${string}`,
        };
      }),
    );
    cached = infos;
    return infos;
  };
}
