/** The records slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    recordRegistry: `0x${string}`;
  }
}

export {};
