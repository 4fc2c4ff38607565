/**
 * The identity slice: DIDs and verifiable credentials, the trust registry and
 * the consortium's governance (Governor, timelock, membership token);
 * `medchain gov`, `trust`, `credential`, `admin genesis`.
 */
import { MedchainError } from "../kernel/errors.ts";
import { resolveAccount } from "../cli/keystore.ts";
import type { SliceModule } from "../node/module.ts";
import { govGenesisEndpoint, IDENTITY_ENDPOINTS } from "./sdk/endpoints.ts";
import { IDENTITY_CONTRACT_ERRORS } from "./identity.contractErrors.ts";
import { IDENTITY_ERRORS } from "./sdk/errors.ts";
import {
  DEFAULT_GOVERNANCE,
  governanceGenesis,
  IDENTITY_CONTRACTS,
  wireGovernance,
  type GovernanceConfig,
} from "./identity.deploy.ts";
import { govCommands } from "./gov.cli.ts";
import { credentialCommands } from "./credential.cli.ts";
import { identityAdminCommands } from "./identity.admin.cli.ts";
import "./sdk/network.ts";

declare module "../node/startNode.ts" {
  interface NodeOptions {
    /** Governance periods of a new deployment (genesis configuration; ignored once deployed). */
    governance?: GovernanceConfig;
    /** The consortium's founding members, minted at genesis (ignored once the membership exists). */
    govMembers?: readonly `0x${string}`[];
  }
}

function whole(flag: string, v: unknown): number {
  if (typeof v !== "string" || !/^[0-9]{1,9}$/.test(v))
    throw new MedchainError("InvalidInput", `${flag} takes a whole number`);
  return Number(v);
}

/** The identity slice's module. */
export const identityModule: SliceModule = {
  name: "identity",
  contracts: IDENTITY_CONTRACTS,
  contractErrors: IDENTITY_CONTRACT_ERRORS,
  errors: IDENTITY_ERRORS,
  httpPrefixes: ["/trust", "/gov", "/credentials"],
  endpoints: [...IDENTITY_ENDPOINTS, govGenesisEndpoint],
  async afterDeploy({ client, sender, deployment, log, options }) {
    await wireGovernance(client, sender, deployment, (m) => log.info(m));
    const members = options.govMembers ?? [];
    if (members.length > 0) {
      const minted = await governanceGenesis(client, sender, deployment, members);
      log.info(
        minted
          ? `genesis: ${members.length} founding member(s) of the consortium`
          : "genesis is over: --gov-member ignored (only governance changes the membership)",
      );
    }
  },
  async indexers(env) {
    const { govIndexer, trustIndexer } = await import("./identity.indexer.ts");
    return [trustIndexer(env.deployment.trustRegistry), govIndexer(env.deployment.governor, env.deployment.membership)];
  },
  async routes(ctx) {
    return (await import("./identity.routes.ts")).identityRoutes(ctx);
  },
  async adminRoutes(ctx) {
    return (await import("./identity.admin.routes.ts")).identityAdminRoutes(ctx);
  },
  cli(program) {
    govCommands(program);
    credentialCommands(program);
    identityAdminCommands(program);
  },
  startOptions: {
    register(cmd) {
      const d = DEFAULT_GOVERNANCE;
      cmd
        .option(
          "--gov-member <member...>",
          "genesis: the consortium's founding members (key names or addresses), minted once on a new chain",
        )
        .option("--gov-voting-delay <s>", "genesis: seconds from a proposal to its vote", String(d.votingDelaySeconds))
        .option("--gov-voting-period <s>", "genesis: seconds a vote lasts", String(d.votingPeriodSeconds))
        .option(
          "--gov-timelock <s>",
          "genesis: seconds a passed proposal waits before it can execute",
          String(d.timelockDelaySeconds),
        )
        .option(
          "--gov-quorum <percent>",
          "genesis: percentage of members who must vote for or abstain",
          String(d.quorumPercent),
        );
    },
    read(o) {
      const governance = {
        votingDelaySeconds: whole("--gov-voting-delay", o.govVotingDelay),
        votingPeriodSeconds: whole("--gov-voting-period", o.govVotingPeriod),
        timelockDelaySeconds: whole("--gov-timelock", o.govTimelock),
        quorumPercent: whole("--gov-quorum", o.govQuorum),
      };
      const given = Array.isArray(o.govMember) ? o.govMember.filter((m): m is string => typeof m === "string") : [];
      return { governance, govMembers: given.map((m) => resolveAccount(m, "account")) };
    },
  },
};
