/** Consent events (grants, revocations, break-glass, delegates) into SQL. */
import type { Transaction } from "kysely";
import { consentRegistryAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog, IndexerHandler } from "../node/indexer.ts";

const lc = (v: unknown): string => String(v).toLowerCase();

/** The consent slice's indexer handler. */
export function consentIndexer(consentRegistry: `0x${string}`): IndexerHandler {
  return {
    addresses: [consentRegistry],
    abi: consentRegistryAbi,
    async apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        const a = l.args;
        switch (l.eventName) {
          case "GrantIssued":
            await trx.insertInto("grants").values({
              grant_id: BigInt(String(a.grantId)), patient: lc(a.patient), grantee: lc(a.grantee), categories: Number(a.categories),
              purposes: Number(a.purposes), not_before: BigInt(String(a.notBefore)), expires_at: BigInt(String(a.expiresAt)),
              break_glass: false, issued_by: lc(a.issuedBy), reason_hash: null, block_number: l.blockNumber,
            }).onConflict((oc) => oc.column("grant_id").doNothing()).execute();
            break;
          case "BreakGlassOpened":
            await trx.insertInto("grants").values({
              grant_id: BigInt(String(a.grantId)), patient: lc(a.patient), grantee: lc(a.clinician), categories: Number(a.categories),
              purposes: 1 << 1, not_before: l.blockTimestamp, expires_at: BigInt(String(a.expiresAt)),
              break_glass: true, issued_by: lc(a.clinician), reason_hash: lc(a.reasonHash), block_number: l.blockNumber,
            }).onConflict((oc) => oc.column("grant_id").doNothing()).execute();
            break;
          case "GrantRevoked":
            await trx.updateTable("grants").set({ revoked: true }).where("grant_id", "=", BigInt(String(a.grantId))).execute();
            break;
          case "DelegateSet": {
            const allowed = Boolean(a.allowed);
            await trx.insertInto("delegates").values({ patient: lc(a.patient), delegate: lc(a.delegate), allowed, block_number: l.blockNumber })
              .onConflict((oc) => oc.columns(["patient", "delegate"]).doUpdateSet({ allowed, block_number: l.blockNumber })).execute();
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
