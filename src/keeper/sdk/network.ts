/** The keeper slice's part of the network description: the keepers holding key shares and how many open a key. */
import { z } from "zod";
import { defineNetworkPart } from "../../kernel/network.ts";
import { zKeeperInfo } from "./schemas.ts";

declare module "../../kernel/network.ts" {
  interface NetworkExtensions {
    /** Keepers holding Shamir shares of category keys; `threshold` of them open one. */
    keepers: z.infer<typeof zKeeperInfo>[];
    /** How many keepers open a key. */
    threshold: number;
  }
}

/** `GET /network`'s `keepers`. */
export const zKeepers = defineNetworkPart("keepers", z.array(zKeeperInfo));
/** `GET /network`'s `threshold`. */
export const zThreshold = defineNetworkPart("threshold", z.number().int().nonnegative());
