/** The audit slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    auditAnchor: `0x${string}`;
  }
}

export {};
