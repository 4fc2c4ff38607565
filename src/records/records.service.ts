/** Records queries of the node: lists come from the SQL index, single batches from the chain (which decides). */
import { MedchainError } from "../kernel/errors.ts";
import { recordRegistryAbi } from "../chain/generated/contracts.ts";
import { decodeRevert } from "../kernel/chain/contractErrors.ts";
import type { NodeContext } from "../node/context.ts";
import type { BatchInfo } from "./sdk/schemas.ts";
import { cidFromDigest } from "../kernel/crypto/cid.ts";

/** The owner's batches, oldest first, from the index. */
export async function listBatches(ctx: NodeContext, owner: `0x${string}`): Promise<BatchInfo[]> {
  const rows = await ctx.db.kysely
    .selectFrom("batches")
    .selectAll()
    .where("owner", "=", owner.toLowerCase())
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return rows.map((r) => ({
    batchId: r.batch_id as `0x${string}`,
    owner: r.owner as `0x${string}`,
    author: r.author as `0x${string}`,
    categories: r.categories,
    manifestCid: r.manifest_cid,
    merkleRoot: r.merkle_root as `0x${string}`,
    count: r.count,
    version: r.version,
    erased: r.erased,
    createdAt: Number(r.created_at),
  }));
}

/** The accounts `owner` currently lets write into her record, from the index (oldest authorization first). */
export async function listWriters(
  ctx: NodeContext,
  owner: `0x${string}`,
): Promise<Array<{ writer: `0x${string}`; blockNumber: number }>> {
  const rows = await ctx.db.kysely
    .selectFrom("writers")
    .selectAll()
    .where("owner", "=", owner.toLowerCase())
    .where("authorized", "=", true)
    .orderBy("block_number")
    .execute();
  return rows.map((r) => ({ writer: r.writer as `0x${string}`, blockNumber: Number(r.block_number) }));
}

/** One batch, read from the chain now. */
export async function getBatch(ctx: NodeContext, batchId: `0x${string}`): Promise<BatchInfo> {
  let b;
  try {
    b = await ctx.client.readContract({
      address: ctx.deployment.recordRegistry,
      abi: recordRegistryAbi,
      functionName: "getBatch",
      args: [batchId],
    });
  } catch (err) {
    throw (
      decodeRevert(err) ??
      new MedchainError("ChainUnavailable", "could not read the batch from the chain", { cause: err })
    );
  }
  return {
    batchId: batchId.toLowerCase() as `0x${string}`,
    owner: b.owner.toLowerCase() as `0x${string}`,
    author: b.author.toLowerCase() as `0x${string}`,
    categories: Number(b.categories),
    manifestCid: cidFromDigest(b.manifestDigest),
    merkleRoot: b.merkleRoot.toLowerCase() as `0x${string}`,
    count: Number(b.count),
    version: Number(b.version),
    erased: b.erased,
    createdAt: Number(b.createdAt),
  };
}
