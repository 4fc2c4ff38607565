/** Accounts events (published encryption keys) into SQL. */
import { keyRegistryAbi } from "../chain/generated/contracts.ts";
import { defineIndexer, type IndexerHandler } from "../node/indexer.ts";

/** The accounts slice's indexer handler. */
export function accountsIndexer(keyRegistry: `0x${string}`): IndexerHandler<typeof keyRegistryAbi> {
  return defineIndexer({
    name: "accounts",
    addresses: [keyRegistry],
    abi: keyRegistryAbi,
    async apply(trx, l): Promise<void> {
      if (l.eventName !== "EncryptionKeyPublished") return;
      const row = {
        encryption_key: l.args.encryptionKey.toLowerCase(),
        key_version: Number(l.args.version),
        block_number: l.blockNumber,
      };
      await trx
        .insertInto("accounts")
        .values({ address: l.args.account.toLowerCase(), ...row })
        .onConflict((oc) => oc.column("address").doUpdateSet(row))
        .execute();
    },
  });
}
