/** The supply slice's part of the network description: its contracts. */

declare module "../../kernel/network.ts" {
  interface DeployedContracts {
    tradingPartners: `0x${string}`;
    supplyAnchor: `0x${string}`;
    digitalTwin: `0x${string}`;
  }
}

export {};
