/**
 * Identity events into SQL: the trust registry (accreditations, credentials,
 * revocations, claimed roles) and the consortium's governance (members,
 * proposals, votes, queueing, execution). Only a cache: validity is always
 * decided by the chain at the moment it matters.
 */
import { medchainGovernorAbi, medchainMembershipAbi, trustRegistryAbi } from "../chain/generated/contracts.ts";
import { defineIndexer, type IndexerHandler } from "../node/indexer.ts";

const lc = (v: `0x${string}`): string => v.toLowerCase();

/** The trust registry's indexer handler. */
export function trustIndexer(trustRegistry: `0x${string}`): IndexerHandler<typeof trustRegistryAbi> {
  return defineIndexer({
    name: "trust",
    addresses: [trustRegistry],
    abi: trustRegistryAbi,
    async apply(trx, l): Promise<void> {
      const { eventName, args: a } = l;
      switch (eventName) {
        case "IssuerAccredited": {
          const row = { epoch: Number(a.epoch), since: l.blockTimestamp, active: true, block_number: l.blockNumber };
          await trx
            .insertInto("trust_accreditations")
            .values({ issuer: lc(a.issuer), type_id: lc(a.typeId), ...row })
            .onConflict((oc) => oc.columns(["issuer", "type_id"]).doUpdateSet(row))
            .execute();
          break;
        }
        case "IssuerDeaccredited":
          await trx
            .updateTable("trust_accreditations")
            .set({ active: false, block_number: l.blockNumber })
            .where("issuer", "=", lc(a.issuer))
            .where("type_id", "=", lc(a.typeId))
            .execute();
          break;
        case "CredentialRegistered":
          await trx
            .insertInto("trust_credentials")
            .values({
              credential_id: lc(a.credentialId),
              type_id: lc(a.typeId),
              issuer: lc(a.issuer),
              subject: lc(a.subject),
              valid_from: a.validFrom,
              valid_until: a.validUntil,
              epoch: Number(a.accreditationEpoch),
              block_number: l.blockNumber,
            })
            .onConflict((oc) => oc.column("credential_id").doNothing())
            .execute();
          break;
        case "CredentialRevoked":
          await trx
            .updateTable("trust_credentials")
            .set({ revoked: true })
            .where("credential_id", "=", lc(a.credentialId))
            .execute();
          break;
        case "RoleClaimed": {
          const row = { credential_id: lc(a.credentialId), block_number: l.blockNumber };
          await trx
            .insertInto("trust_roles")
            .values({ account: lc(a.account), type_id: lc(a.typeId), ...row })
            .onConflict((oc) => oc.columns(["account", "type_id"]).doUpdateSet(row))
            .execute();
          break;
        }
        default:
          break;
      }
    },
  });
}

type GovernanceItem = (typeof medchainGovernorAbi)[number] | (typeof medchainMembershipAbi)[number];
type GovernanceEvent = Extract<GovernanceItem, { type: "event" }>;

/** Events of the Governor and of the membership token, decoded together (each name once). */
const GOVERNANCE_EVENTS: readonly GovernanceEvent[] = [...medchainGovernorAbi, ...medchainMembershipAbi].filter(
  (x: GovernanceItem, i, all): x is GovernanceEvent =>
    x.type === "event" && all.findIndex((y) => y.type === "event" && y.name === x.name) === i,
);

/** The governance indexer handler (Governor and membership token). */
export function govIndexer(
  governor: `0x${string}`,
  membership: `0x${string}`,
): IndexerHandler<typeof GOVERNANCE_EVENTS> {
  return defineIndexer({
    name: "governance",
    addresses: [governor, membership],
    abi: GOVERNANCE_EVENTS,
    async apply(trx, l): Promise<void> {
      const { eventName, args: a } = l;
      switch (eventName) {
        case "MemberAdded":
        case "MemberRemoved": {
          const row = { member: eventName === "MemberAdded", block_number: l.blockNumber };
          await trx
            .insertInto("gov_members")
            .values({ address: lc(a.account), ...row })
            .onConflict((oc) => oc.column("address").doUpdateSet(row))
            .execute();
          break;
        }
        case "ProposalCreated":
          await trx
            .insertInto("gov_proposals")
            .values({
              proposal_id: a.proposalId,
              proposer: lc(a.proposer),
              targets: JSON.stringify(a.targets.map((t) => t.toLowerCase())),
              values: JSON.stringify(a.values.map((v) => v.toString())),
              calldatas: JSON.stringify(a.calldatas.map((c) => c.toLowerCase())),
              description: a.description,
              vote_start: a.voteStart,
              vote_end: a.voteEnd,
              eta: null,
              created_at: l.blockTimestamp,
              block_number: l.blockNumber,
            })
            .onConflict((oc) => oc.column("proposal_id").doNothing())
            .execute();
          break;
        case "VoteCast": {
          const support = Number(a.support);
          const weight = Number(a.weight);
          const inserted = await trx
            .insertInto("gov_votes")
            .values({ proposal_id: a.proposalId, voter: lc(a.voter), support, weight, block_number: l.blockNumber })
            .onConflict((oc) => oc.columns(["proposal_id", "voter"]).doNothing())
            .executeTakeFirst();
          if (inserted.numInsertedOrUpdatedRows === 0n) break; // the same log applied twice
          const column = support === 0 ? "against_votes" : support === 1 ? "for_votes" : "abstain_votes";
          await trx
            .updateTable("gov_proposals")
            .set((eb) => ({ [column]: eb(column, "+", weight) }))
            .where("proposal_id", "=", a.proposalId)
            .execute();
          break;
        }
        case "ProposalQueued":
          await trx
            .updateTable("gov_proposals")
            .set({ eta: a.etaSeconds })
            .where("proposal_id", "=", a.proposalId)
            .execute();
          break;
        case "ProposalExecuted":
          await trx
            .updateTable("gov_proposals")
            .set({ executed: true })
            .where("proposal_id", "=", a.proposalId)
            .execute();
          break;
        case "ProposalCanceled":
          await trx
            .updateTable("gov_proposals")
            .set({ canceled: true })
            .where("proposal_id", "=", a.proposalId)
            .execute();
          break;
        default:
          break;
      }
    },
  });
}
