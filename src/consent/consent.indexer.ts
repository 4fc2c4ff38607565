/** Consent events (grants, revocations, break-glass, delegates) into SQL. */
import { consentRegistryAbi } from "../chain/generated/contracts.ts";
import { defineIndexer, type IndexerHandler } from "../node/indexer.ts";

const lc = (v: `0x${string}`): string => v.toLowerCase();

/** The consent slice's indexer handler. */
export function consentIndexer(consentRegistry: `0x${string}`): IndexerHandler<typeof consentRegistryAbi> {
  return defineIndexer({
    name: "consent",
    addresses: [consentRegistry],
    abi: consentRegistryAbi,
    async apply(trx, l): Promise<void> {
      switch (l.eventName) {
        case "GrantIssued": {
          const a = l.args;
          await trx
            .insertInto("grants")
            .values({
              grant_id: a.grantId,
              patient: lc(a.patient),
              grantee: lc(a.grantee),
              categories: a.categories,
              purposes: a.purposes,
              not_before: a.notBefore,
              expires_at: a.expiresAt,
              break_glass: false,
              issued_by: lc(a.issuedBy),
              reason_hash: null,
              block_number: l.blockNumber,
            })
            .onConflict((oc) => oc.column("grant_id").doNothing())
            .execute();
          break;
        }
        case "BreakGlassOpened": {
          const a = l.args;
          await trx
            .insertInto("grants")
            .values({
              grant_id: a.grantId,
              patient: lc(a.patient),
              grantee: lc(a.clinician),
              categories: a.categories,
              purposes: 1 << 1,
              not_before: l.blockTimestamp,
              expires_at: a.expiresAt,
              break_glass: true,
              issued_by: lc(a.clinician),
              reason_hash: lc(a.reasonHash),
              block_number: l.blockNumber,
            })
            .onConflict((oc) => oc.column("grant_id").doNothing())
            .execute();
          break;
        }
        case "GrantRevoked":
          await trx.updateTable("grants").set({ revoked: true }).where("grant_id", "=", l.args.grantId).execute();
          break;
        case "DelegateSet": {
          const { allowed } = l.args;
          await trx
            .insertInto("delegates")
            .values({
              patient: lc(l.args.patient),
              delegate: lc(l.args.delegate),
              allowed,
              block_number: l.blockNumber,
            })
            .onConflict((oc) =>
              oc.columns(["patient", "delegate"]).doUpdateSet({ allowed, block_number: l.blockNumber }),
            )
            .execute();
          break;
        }
        default:
          break;
      }
    },
  });
}
