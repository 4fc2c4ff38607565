/**
 * The node's contracts: each slice's, in module order, deployed on first
 * start and remembered in `<dataDir>/deployment.json` (written after each
 * deployment, so an interrupted first start resumes where it stopped; a
 * contract deployed but not yet recorded is simply deployed again: nothing
 * referenced it, since the node does not serve before every contract is
 * recorded). A data dir from an older release gets the contracts it lacks.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PublicClient } from "viem";
import { z } from "zod";
import { MedchainError } from "../kernel/errors.ts";
import { zAddress } from "../kernel/schemas.ts";
import type { DeployedContracts } from "../kernel/network.ts";
import type { TxSender } from "./chain/txSender.ts";
import { writeFileAtomic } from "./fsAtomic.ts";
import type { DeployEnv, SliceModule } from "./module.ts";

/** Addresses of the medchain contracts on one chain, and where the deployment began. */
export type Deployment = { chainId: number; deployedAtBlock: number } & DeployedContracts;

/** The schema of a deployment with every contract of `modules`. */
export function deploymentSchema(modules: readonly SliceModule[]): z.ZodType<Deployment> {
  const keys = modules.flatMap((m) => (m.contracts ?? []).map((c) => c.key));
  const shape = Object.fromEntries(keys.map((k) => [k, zAddress]));
  // The shape has exactly the keys the slices declared in DeployedContracts (one per ContractSpec).
  return z.object({
    chainId: z.number().int(),
    deployedAtBlock: z.number().int().nonnegative(),
    ...shape,
  }) as unknown as z.ZodType<Deployment>;
}

/** The contracts of a deployment by key (for `/network` and `/contracts`). */
export function contractsOf(modules: readonly SliceModule[], d: Deployment): Record<string, `0x${string}`> {
  return Object.fromEntries(modules.flatMap((m) => (m.contracts ?? []).map((c) => [c.key, d[c.key]])));
}

async function hasCode(client: PublicClient, address: `0x${string}`): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** Loads the deployment of `dataDir`, deploying the contracts it lacks (the node's operator deploys them). */
export async function ensureDeployment(opts: {
  dataDir: string;
  client: PublicClient;
  sender: TxSender;
  chainId: number;
  log: (msg: string) => void;
  modules: readonly SliceModule[];
  env: Omit<DeployEnv, "operator">;
}): Promise<Deployment> {
  const file = join(opts.dataDir, "deployment.json");
  const d: Record<string, unknown> = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)
    : {};
  if (d.chainId !== undefined && d.chainId !== opts.chainId) {
    throw new MedchainError(
      "ChainUnavailable",
      `deployment.json is for chain ${String(d.chainId)} but the chain is ${opts.chainId}`,
    );
  }
  d.chainId = opts.chainId;
  const env: DeployEnv = { ...opts.env, operator: opts.sender.address };
  for (const spec of opts.modules.flatMap((m) => m.contracts ?? [])) {
    const known = d[spec.key];
    if (typeof known === "string") {
      if (!(await hasCode(opts.client, known as `0x${string}`))) {
        throw new MedchainError(
          "ChainUnavailable",
          `the ${spec.key} contract in deployment.json is not on this chain (was the chain reset?)`,
        );
      }
      continue;
    }
    opts.log(`deploying ${spec.key}`);
    const r = await opts.sender.deployContract({
      abi: spec.abi,
      bytecode: spec.bytecode,
      args: spec.args(d as Partial<DeployedContracts>, env),
    });
    d[spec.key] = r.address.toLowerCase() as `0x${string}`;
    d.deployedAtBlock ??= Number(r.receipt.blockNumber);
    writeFileAtomic(file, `${JSON.stringify(d, null, 2)}\n`);
  }
  return deploymentSchema(opts.modules).parse(d);
}
