/** Accounts events (published encryption keys) into SQL. */
import type { Transaction } from "kysely";
import { keyRegistryAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog, IndexerHandler } from "../node/indexer.ts";

/** The accounts slice's indexer handler. */
export function accountsIndexer(keyRegistry: `0x${string}`): IndexerHandler {
  return {
    addresses: [keyRegistry],
    abi: keyRegistryAbi,
    async apply(trx: Transaction<Database>, logs: readonly IndexedLog[]): Promise<void> {
      for (const l of logs) {
        if (l.eventName !== "EncryptionKeyPublished") continue;
        const row = {
          encryption_key: String(l.args.encryptionKey).toLowerCase(), key_version: Number(l.args.version), block_number: l.blockNumber,
        };
        await trx.insertInto("accounts").values({ address: String(l.args.account).toLowerCase(), ...row })
          .onConflict((oc) => oc.column("address").doUpdateSet(row)).execute();
      }
    },
  };
}
