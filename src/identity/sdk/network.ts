/** The identity slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    trustRegistry: `0x${string}`;
    governor: `0x${string}`;
    membership: `0x${string}`;
    timelock: `0x${string}`;
  }
}

export {};
