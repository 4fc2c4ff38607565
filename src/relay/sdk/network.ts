/** The relay slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    forwarder: `0x${string}`;
  }
}

export {};
