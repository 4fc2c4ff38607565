/**
 * Deployment of the identity slice's contracts and the consortium's genesis.
 * The TimelockController is deployed with the operator as a temporary admin,
 * which makes the Governor its proposer and canceller and then renounces
 * (idempotently, before the node serves); the membership token's founding
 * members are minted once (`--gov-member`, or the operator's
 * `POST /admin/gov/genesis` while there are none). From then on the trust
 * registry and the membership change only through a passed proposal and the
 * timelock. Governance periods are set at the first start (genesis
 * configuration); afterwards only a proposal changes them.
 */
import { keccak256, toBytes, type PublicClient } from "viem";
import { MedchainError } from "../kernel/errors.ts";
import {
  medchainGovernorAbi,
  medchainGovernorBytecode,
  medchainMembershipAbi,
  medchainMembershipBytecode,
  medchainTimelockAbi,
  medchainTimelockBytecode,
  trustRegistryAbi,
  trustRegistryBytecode,
} from "../chain/generated/contracts.ts";
import type { TxSender } from "../node/chain/txSender.ts";
import type { Deployment } from "../node/deployment.ts";
import type { ContractSpec } from "../node/module.ts";

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
export const DEFAULT_GOVERNANCE: GovernanceConfig = {
  votingDelaySeconds: 1,
  votingPeriodSeconds: 300,
  timelockDelaySeconds: 600,
  quorumPercent: 50,
};

/** Checks a governance configuration (InvalidInput naming the bad value). */
export function checkGovernanceConfig(g: GovernanceConfig): GovernanceConfig {
  const whole = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new MedchainError("InvalidInput", `${name} must be a whole number between ${min} and ${max}`, {
        details: { [name]: v },
      });
  };
  whole("votingDelaySeconds", g.votingDelaySeconds, 0, 365 * 86400);
  whole("votingPeriodSeconds", g.votingPeriodSeconds, 1, 365 * 86400);
  whole("timelockDelaySeconds", g.timelockDelaySeconds, 0, 365 * 86400);
  whole("quorumPercent", g.quorumPercent, 0, 100);
  return g;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const DEFAULT_ADMIN_ROLE = `0x${"0".repeat(64)}` as const;
const PROPOSER_ROLE = keccak256(toBytes("PROPOSER_ROLE"));
const CANCELLER_ROLE = keccak256(toBytes("CANCELLER_ROLE"));

/**
 * Makes the Governor the timelock's proposer and canceller and renounces the operator's temporary admin role.
 * Idempotent: does nothing once the operator is no admin (a start interrupted half-way finishes it).
 */
export async function wireGovernance(
  client: PublicClient,
  sender: TxSender,
  d: Deployment,
  log: (msg: string) => void,
): Promise<void> {
  const has = (role: `0x${string}`, account: `0x${string}`): Promise<boolean> =>
    client.readContract({
      address: d.timelock,
      abi: medchainTimelockAbi,
      functionName: "hasRole",
      args: [role, account],
    });
  if (!(await has(DEFAULT_ADMIN_ROLE, sender.address))) return;
  log("wiring governance: the Governor proposes to the timelock; the operator renounces its admin role");
  for (const role of [PROPOSER_ROLE, CANCELLER_ROLE]) {
    if (!(await has(role, d.governor)))
      await sender.writeContract({
        address: d.timelock,
        abi: medchainTimelockAbi,
        functionName: "grantRole",
        args: [role, d.governor],
      });
  }
  await sender.writeContract({
    address: d.timelock,
    abi: medchainTimelockAbi,
    functionName: "renounceRole",
    args: [DEFAULT_ADMIN_ROLE, sender.address],
  });
}

/**
 * Mints the consortium's founding members (genesis), once. Returns false when genesis is already over (the members
 * given are then ignored: after genesis only governance changes the membership).
 */
export async function governanceGenesis(
  client: PublicClient,
  sender: TxSender,
  d: Deployment,
  members: readonly `0x${string}`[],
): Promise<boolean> {
  const open = await client.readContract({
    address: d.membership,
    abi: medchainMembershipAbi,
    functionName: "genesisAccount",
  });
  if (open.toLowerCase() !== sender.address.toLowerCase()) return false;
  await sender.writeContract({
    address: d.membership,
    abi: medchainMembershipAbi,
    functionName: "genesis",
    args: [[...members]],
  });
  return true;
}

/** The identity slice's contracts, in deployment order (the governance periods are genesis configuration). */
export const IDENTITY_CONTRACTS: readonly ContractSpec[] = [
  // the operator is the timelock's temporary admin until wireGovernance() (same start)
  {
    key: "timelock",
    abi: medchainTimelockAbi,
    bytecode: medchainTimelockBytecode,
    args: (_d, env) => [BigInt(governanceOf(env.options).timelockDelaySeconds), [], [ZERO_ADDRESS], env.operator],
  },
  {
    key: "membership",
    abi: medchainMembershipAbi,
    bytecode: medchainMembershipBytecode,
    args: (d, env) => [d.timelock, env.operator],
  },
  {
    key: "governor",
    abi: medchainGovernorAbi,
    bytecode: medchainGovernorBytecode,
    relayTarget: true,
    args: (d, env) => {
      const g = governanceOf(env.options);
      return [
        d.membership,
        d.timelock,
        d.forwarder,
        g.votingDelaySeconds,
        g.votingPeriodSeconds,
        BigInt(g.quorumPercent),
      ];
    },
  },
  {
    key: "trustRegistry",
    abi: trustRegistryAbi,
    bytecode: trustRegistryBytecode,
    relayTarget: true,
    args: (d) => [d.forwarder, d.timelock],
  },
];

/** The governance periods of a new deployment: the start options', checked, or the defaults. */
function governanceOf(options: { governance?: GovernanceConfig }): GovernanceConfig {
  return checkGovernanceConfig(options.governance ?? DEFAULT_GOVERNANCE);
}
