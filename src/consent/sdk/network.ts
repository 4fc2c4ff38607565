/** The consent slice's part of the network description: its contracts and the break-glass limits. */
import { z } from "zod";
import { defineNetworkPart } from "../../kernel/network.ts";

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    consentRegistry: `0x${string}`;
  }
  interface NetworkExtensions {
    /** Break-glass limits fixed in the consent registry. */
    breakGlass: z.infer<typeof zBreakGlassLimits>;
  }
}

/** `GET /network`'s `breakGlass`: the categories an emergency may open, and for how long. */
export const zBreakGlassLimits = defineNetworkPart(
  "breakGlass",
  z.object({ maxCategories: z.number().int(), durationSeconds: z.number().int() }),
);
