/**
 * The node's contracts: deployed on first start, remembered in
 * `<dataDir>/deployment.json` (written after each deployment, so an
 * interrupted first start resumes where it stopped; a contract deployed but
 * not yet recorded is simply deployed again: nothing referenced it, since the
 * node does not serve before every contract is recorded). A data dir from an
 * older release gets the contracts it lacks.
 *
 * Governance genesis: the consortium's TimelockController is deployed with the
 * operator as a temporary admin, which makes the Governor its proposer and
 * canceller and then renounces (idempotently, before the node serves); the
 * membership token's founding members are minted once (`--gov-member`, or the
 * operator's `POST /admin/gov/genesis` while there are none). From then on the
 * trust registry and the membership change only through a passed proposal and
 * the timelock. Governance periods are set at the first start (genesis
 * configuration); afterwards only a proposal changes them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Abi, PublicClient } from "viem";
import { z } from "zod";
import { MedchainError } from "../core/errors.ts";
import { zAddress } from "../core/schemas.ts";
import { keccak256, toBytes } from "viem";
import {
  auditAnchorAbi, auditAnchorBytecode, consentRegistryAbi, consentRegistryBytecode, keyRegistryAbi, keyRegistryBytecode,
  medchainForwarderAbi, medchainForwarderBytecode, recordRegistryAbi, recordRegistryBytecode,
  tradingPartnersAbi, tradingPartnersBytecode, supplyAnchorAbi, supplyAnchorBytecode, digitalTwinAbi, digitalTwinBytecode,
  medchainTimelockAbi, medchainTimelockBytecode, medchainMembershipAbi, medchainMembershipBytecode,
  medchainGovernorAbi, medchainGovernorBytecode, trustRegistryAbi, trustRegistryBytecode,
} from "../chain/generated/contracts.ts";
import { categoryMask } from "../records/sdk/categories.ts";
import type { TxSender } from "./chain/txSender.ts";
import { writeFileAtomic } from "./fsAtomic.ts";

/** Categories a clinician may open in an emergency (break-glass): what emergency care needs, not finances or documents. */
export const BREAK_GLASS_MAX_CATEGORIES = categoryMask(["demographics", "clinical", "observations", "medications", "immunizations", "allergies"]);
/** How long a break-glass grant lasts (seconds). */
export const BREAK_GLASS_DURATION = 4 * 60 * 60;

/** Governance periods fixed at genesis (afterwards only a passed proposal changes them). */
export interface GovernanceConfig {
  /** Seconds between a proposal and the start of its vote. */
  votingDelaySeconds: number;
  /** Seconds a vote lasts. */
  votingPeriodSeconds: number;
  /** Seconds a passed proposal waits in the timelock before anyone may execute it. */
  timelockDelaySeconds: number;
  /** Percentage of the members whose For or Abstain votes a proposal needs. */
  quorumPercent: number;
}

/** Embedded defaults: a vote opens 1 s after the proposal and lasts 5 minutes; the timelock waits 10 minutes. */
export const DEFAULT_GOVERNANCE: GovernanceConfig = { votingDelaySeconds: 1, votingPeriodSeconds: 300, timelockDelaySeconds: 600, quorumPercent: 50 };

/** Checks a governance configuration (InvalidInput naming the bad value). */
export function checkGovernanceConfig(g: GovernanceConfig): GovernanceConfig {
  const whole = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw new MedchainError("InvalidInput", `${name} must be a whole number between ${min} and ${max}`, { details: { [name]: v } });
  };
  whole("votingDelaySeconds", g.votingDelaySeconds, 0, 365 * 86400);
  whole("votingPeriodSeconds", g.votingPeriodSeconds, 1, 365 * 86400);
  whole("timelockDelaySeconds", g.timelockDelaySeconds, 0, 365 * 86400);
  whole("quorumPercent", g.quorumPercent, 0, 100);
  return g;
}

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
  timelock: zAddress,
  membership: zAddress,
  governor: zAddress,
  trustRegistry: zAddress,
});

/** Addresses of the medchain contracts on one chain. */
export type Deployment = z.infer<typeof zDeployment>;

type ContractKey = Exclude<keyof Deployment, "chainId" | "deployedAtBlock">;

/** What to deploy, in order; constructor args may use contracts deployed before. */
function specs(admin: `0x${string}`, gov: GovernanceConfig): Array<{ key: ContractKey; abi: Abi; bytecode: `0x${string}`; args: (d: Partial<Deployment>) => unknown[] }> {
  return [
    { key: "forwarder", abi: medchainForwarderAbi, bytecode: medchainForwarderBytecode, args: () => [] },
    { key: "keyRegistry", abi: keyRegistryAbi, bytecode: keyRegistryBytecode, args: (d) => [d.forwarder] },
    { key: "recordRegistry", abi: recordRegistryAbi, bytecode: recordRegistryBytecode, args: (d) => [d.forwarder] },
    // governance: the operator is the timelock's temporary admin until wireGovernance() (same start)
    { key: "timelock", abi: medchainTimelockAbi, bytecode: medchainTimelockBytecode, args: () => [BigInt(gov.timelockDelaySeconds), [], [ZERO_ADDRESS], admin] },
    { key: "membership", abi: medchainMembershipAbi, bytecode: medchainMembershipBytecode, args: (d) => [d.timelock, admin] },
    {
      key: "governor", abi: medchainGovernorAbi, bytecode: medchainGovernorBytecode,
      args: (d) => [d.membership, d.timelock, d.forwarder, gov.votingDelaySeconds, gov.votingPeriodSeconds, BigInt(gov.quorumPercent)],
    },
    { key: "trustRegistry", abi: trustRegistryAbi, bytecode: trustRegistryBytecode, args: (d) => [d.forwarder, d.timelock] },
    { key: "consentRegistry", abi: consentRegistryAbi, bytecode: consentRegistryBytecode, args: (d) => [d.forwarder, d.trustRegistry, BREAK_GLASS_MAX_CATEGORIES, BigInt(BREAK_GLASS_DURATION)] },
    { key: "auditAnchor", abi: auditAnchorAbi, bytecode: auditAnchorBytecode, args: (d) => [d.forwarder, admin] },
    { key: "tradingPartners", abi: tradingPartnersAbi, bytecode: tradingPartnersBytecode, args: (d) => [d.forwarder, admin, d.trustRegistry] },
    { key: "supplyAnchor", abi: supplyAnchorAbi, bytecode: supplyAnchorBytecode, args: (d) => [d.forwarder, d.tradingPartners] },
    { key: "digitalTwin", abi: digitalTwinAbi, bytecode: digitalTwinBytecode, args: (d) => [d.forwarder, d.supplyAnchor, d.tradingPartners] },
  ];
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const DEFAULT_ADMIN_ROLE = `0x${"0".repeat(64)}` as const;
const PROPOSER_ROLE = keccak256(toBytes("PROPOSER_ROLE"));
const CANCELLER_ROLE = keccak256(toBytes("CANCELLER_ROLE"));

async function hasCode(client: PublicClient, address: `0x${string}`): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/**
 * Makes the Governor the timelock's proposer and canceller and renounces the operator's temporary admin role.
 * Idempotent: does nothing once the operator is no admin (a start interrupted half-way finishes it).
 */
async function wireGovernance(client: PublicClient, sender: TxSender, d: Deployment, log: (msg: string) => void): Promise<void> {
  const has = (role: `0x${string}`, account: `0x${string}`): Promise<boolean> =>
    client.readContract({ address: d.timelock, abi: medchainTimelockAbi, functionName: "hasRole", args: [role, account] });
  if (!(await has(DEFAULT_ADMIN_ROLE, sender.address))) return;
  log("wiring governance: the Governor proposes to the timelock; the operator renounces its admin role");
  for (const role of [PROPOSER_ROLE, CANCELLER_ROLE]) {
    if (!(await has(role, d.governor))) await sender.writeContract({ address: d.timelock, abi: medchainTimelockAbi, functionName: "grantRole", args: [role, d.governor] });
  }
  await sender.writeContract({ address: d.timelock, abi: medchainTimelockAbi, functionName: "renounceRole", args: [DEFAULT_ADMIN_ROLE, sender.address] });
}

/**
 * Mints the consortium's founding members (genesis), once. Returns false when genesis is already over (the members
 * given are then ignored: after genesis only governance changes the membership).
 */
export async function governanceGenesis(client: PublicClient, sender: TxSender, d: Deployment, members: readonly `0x${string}`[]): Promise<boolean> {
  const open = await client.readContract({ address: d.membership, abi: medchainMembershipAbi, functionName: "genesisAccount" });
  if (open.toLowerCase() !== sender.address.toLowerCase()) return false;
  await sender.writeContract({ address: d.membership, abi: medchainMembershipAbi, functionName: "genesis", args: [[...members]] });
  return true;
}

/** Loads the deployment of `dataDir`, deploying the contracts it lacks (the node's operator is their admin). */
export async function ensureDeployment(opts: {
  dataDir: string; client: PublicClient; sender: TxSender; chainId: number; log: (msg: string) => void;
  /** Governance periods for a first deployment (default {@link DEFAULT_GOVERNANCE}); ignored once deployed. */
  governance?: GovernanceConfig;
}): Promise<Deployment> {
  const file = join(opts.dataDir, "deployment.json");
  const d: Partial<Deployment> & Record<string, unknown> = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  if (d.chainId !== undefined && d.chainId !== opts.chainId) {
    throw new MedchainError("ChainUnavailable", `deployment.json is for chain ${d.chainId} but the chain is ${opts.chainId}`);
  }
  d.chainId = opts.chainId;
  for (const spec of specs(opts.sender.address, checkGovernanceConfig(opts.governance ?? DEFAULT_GOVERNANCE))) {
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
  const deployment = zDeployment.parse(d);
  await wireGovernance(opts.client, opts.sender, deployment, opts.log);
  const consentTrust = await opts.client.readContract({ address: deployment.consentRegistry, abi: consentRegistryAbi, functionName: "trustRegistry" }).catch(() => undefined);
  if (consentTrust?.toLowerCase() !== deployment.trustRegistry) {
    opts.log("this data dir's consent registry predates the trust registry: its break-glass does not follow licence credentials (start a new data dir to get it)");
  }
  return deployment;
}
