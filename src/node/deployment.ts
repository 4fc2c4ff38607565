/**
 * The node's contracts: deployed on first start, remembered in
 * `<dataDir>/deployment.json`. Deployment addresses are a function of the
 * deployer and its nonce, so a start interrupted between deploying and
 * writing the file adopts the contracts it already deployed instead of
 * deploying twice.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getContractAddress, type PublicClient } from "viem";
import { z } from "zod";
import { MedchainError } from "../core/errors.ts";
import { zAddress } from "../core/schemas.ts";
import {
  keyRegistryAbi, keyRegistryBytecode, medchainForwarderAbi, medchainForwarderBytecode, recordRegistryAbi, recordRegistryBytecode,
} from "../chain/generated/contracts.ts";
import type { TxSender } from "./chain/txSender.ts";
import { writeFileAtomic } from "./fsAtomic.ts";

/** Addresses of the medchain contracts on one chain. */
export const zDeployment = z.object({
  chainId: z.number().int(),
  forwarder: zAddress,
  keyRegistry: zAddress,
  recordRegistry: zAddress,
  deployedAtBlock: z.number().int().nonnegative(),
});

/** Addresses of the medchain contracts on one chain. */
export type Deployment = z.infer<typeof zDeployment>;

async function hasCode(client: PublicClient, address: `0x${string}`): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** Loads the deployment of `dataDir`, deploying (or adopting) the contracts when there is none. */
export async function ensureDeployment(opts: { dataDir: string; client: PublicClient; sender: TxSender; chainId: number; log: (msg: string) => void }): Promise<Deployment> {
  const file = join(opts.dataDir, "deployment.json");
  if (existsSync(file)) {
    const d = zDeployment.parse(JSON.parse(readFileSync(file, "utf8")));
    if (d.chainId !== opts.chainId) {
      throw new MedchainError("ChainUnavailable", `deployment.json is for chain ${d.chainId} but the chain is ${opts.chainId}`);
    }
    if (!(await hasCode(opts.client, d.recordRegistry))) {
      throw new MedchainError("ChainUnavailable", "the contracts in deployment.json are not on this chain (was the chain reset?)");
    }
    return d;
  }
  const deployer = opts.sender.address;
  const startNonce = await opts.client.getTransactionCount({ address: deployer });
  // Adopt contracts deployed by an interrupted first start (nonces 0, 1, 2 of the deployer).
  const predicted = [0, 1, 2].map((n) => getContractAddress({ from: deployer, nonce: BigInt(n) }));
  let deployment: Deployment;
  if (startNonce >= 3 && (await Promise.all(predicted.map((a) => hasCode(opts.client, a)))).every(Boolean)) {
    opts.log("adopting contracts deployed by an earlier start");
    deployment = {
      chainId: opts.chainId, forwarder: predicted[0] as `0x${string}`, keyRegistry: predicted[1] as `0x${string}`,
      recordRegistry: predicted[2] as `0x${string}`, deployedAtBlock: 0,
    };
  } else {
    opts.log("deploying contracts");
    const fwd = await opts.sender.deployContract({ abi: medchainForwarderAbi, bytecode: medchainForwarderBytecode, args: [] });
    const keys = await opts.sender.deployContract({ abi: keyRegistryAbi, bytecode: keyRegistryBytecode, args: [fwd.address] });
    const records = await opts.sender.deployContract({ abi: recordRegistryAbi, bytecode: recordRegistryBytecode, args: [fwd.address] });
    deployment = {
      chainId: opts.chainId, forwarder: fwd.address.toLowerCase() as `0x${string}`, keyRegistry: keys.address.toLowerCase() as `0x${string}`,
      recordRegistry: records.address.toLowerCase() as `0x${string}`, deployedAtBlock: Number(fwd.receipt.blockNumber),
    };
  }
  deployment = { ...deployment, forwarder: deployment.forwarder.toLowerCase() as `0x${string}`, keyRegistry: deployment.keyRegistry.toLowerCase() as `0x${string}`, recordRegistry: deployment.recordRegistry.toLowerCase() as `0x${string}` };
  writeFileAtomic(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return deployment;
}
