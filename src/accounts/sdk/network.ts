/** The accounts slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    keyRegistry: `0x${string}`;
  }
}

export {};
