/**
 * The node's contracts: deployed on first start, remembered in
 * `<dataDir>/deployment.json` (written after each deployment, so an
 * interrupted first start resumes where it stopped; a contract deployed but
 * not yet recorded is simply deployed again: nothing referenced it, since the
 * node does not serve before every contract is recorded). A data dir from an
 * older release gets the contracts it lacks.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Abi, PublicClient } from "viem";
import { z } from "zod";
import { MedchainError } from "../core/errors.ts";
import { zAddress } from "../core/schemas.ts";
import {
  auditAnchorAbi, auditAnchorBytecode, consentRegistryAbi, consentRegistryBytecode, keyRegistryAbi, keyRegistryBytecode,
  medchainForwarderAbi, medchainForwarderBytecode, recordRegistryAbi, recordRegistryBytecode,
  tradingPartnersAbi, tradingPartnersBytecode, supplyAnchorAbi, supplyAnchorBytecode, digitalTwinAbi, digitalTwinBytecode,
} from "../chain/generated/contracts.ts";
import { categoryMask } from "../records/sdk/categories.ts";
import type { TxSender } from "./chain/txSender.ts";
import { writeFileAtomic } from "./fsAtomic.ts";

/** Categories a clinician may open in an emergency (break-glass): what emergency care needs, not finances or documents. */
export const BREAK_GLASS_MAX_CATEGORIES = categoryMask(["demographics", "clinical", "observations", "medications", "immunizations", "allergies"]);
/** How long a break-glass grant lasts (seconds). */
export const BREAK_GLASS_DURATION = 4 * 60 * 60;

/** Addresses of the medchain contracts on one chain. */
export const zDeployment = z.object({
  chainId: z.number().int(),
  deployedAtBlock: z.number().int().nonnegative(),
  forwarder: zAddress,
  keyRegistry: zAddress,
  recordRegistry: zAddress,
  consentRegistry: zAddress,
  auditAnchor: zAddress,
  tradingPartners: zAddress,
  supplyAnchor: zAddress,
  digitalTwin: zAddress,
});

/** Addresses of the medchain contracts on one chain. */
export type Deployment = z.infer<typeof zDeployment>;

type ContractKey = "forwarder" | "keyRegistry" | "recordRegistry" | "consentRegistry" | "auditAnchor" | "tradingPartners" | "supplyAnchor" | "digitalTwin";

/** What to deploy, in order; constructor args may use contracts deployed before. */
function specs(admin: `0x${string}`): Array<{ key: ContractKey; abi: Abi; bytecode: `0x${string}`; args: (d: Partial<Deployment>) => unknown[] }> {
  return [
    { key: "forwarder", abi: medchainForwarderAbi, bytecode: medchainForwarderBytecode, args: () => [] },
    { key: "keyRegistry", abi: keyRegistryAbi, bytecode: keyRegistryBytecode, args: (d) => [d.forwarder] },
    { key: "recordRegistry", abi: recordRegistryAbi, bytecode: recordRegistryBytecode, args: (d) => [d.forwarder] },
    { key: "consentRegistry", abi: consentRegistryAbi, bytecode: consentRegistryBytecode, args: (d) => [d.forwarder, admin, BREAK_GLASS_MAX_CATEGORIES, BigInt(BREAK_GLASS_DURATION)] },
    { key: "auditAnchor", abi: auditAnchorAbi, bytecode: auditAnchorBytecode, args: (d) => [d.forwarder, admin] },
    { key: "tradingPartners", abi: tradingPartnersAbi, bytecode: tradingPartnersBytecode, args: (d) => [d.forwarder, admin] },
    { key: "supplyAnchor", abi: supplyAnchorAbi, bytecode: supplyAnchorBytecode, args: (d) => [d.forwarder, d.tradingPartners] },
    { key: "digitalTwin", abi: digitalTwinAbi, bytecode: digitalTwinBytecode, args: (d) => [d.forwarder, d.supplyAnchor, d.tradingPartners] },
  ];
}

async function hasCode(client: PublicClient, address: `0x${string}`): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** Loads the deployment of `dataDir`, deploying the contracts it lacks (the node's operator is their admin). */
export async function ensureDeployment(opts: { dataDir: string; client: PublicClient; sender: TxSender; chainId: number; log: (msg: string) => void }): Promise<Deployment> {
  const file = join(opts.dataDir, "deployment.json");
  const d: Partial<Deployment> & Record<string, unknown> = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  if (d.chainId !== undefined && d.chainId !== opts.chainId) {
    throw new MedchainError("ChainUnavailable", `deployment.json is for chain ${d.chainId} but the chain is ${opts.chainId}`);
  }
  d.chainId = opts.chainId;
  for (const spec of specs(opts.sender.address)) {
    const known = d[spec.key];
    if (typeof known === "string") {
      if (!(await hasCode(opts.client, known as `0x${string}`))) {
        throw new MedchainError("ChainUnavailable", `the ${spec.key} contract in deployment.json is not on this chain (was the chain reset?)`);
      }
      continue;
    }
    opts.log(`deploying ${spec.key}`);
    const r = await opts.sender.deployContract({ abi: spec.abi, bytecode: spec.bytecode, args: spec.args(d) });
    d[spec.key] = r.address.toLowerCase() as `0x${string}`;
    d.deployedAtBlock ??= Number(r.receipt.blockNumber);
    writeFileAtomic(file, `${JSON.stringify(d, null, 2)}\n`);
  }
  return zDeployment.parse(d);
}
