/** Digital twins as indexed from the chain: a unit's twin, its owner and its custody steps. */
import { MedchainError } from "../kernel/errors.ts";
import type { NodeContext } from "../node/context.ts";
import { parseScan } from "./sdk/gs1/unitKey.ts";
import { twinUnitKey } from "./sdk/twin/twinKey.ts";
import type { Twin } from "./sdk/schemas.ts";
import "./sdk/errors.ts";

type Kind = Twin["custody"][number]["kind"];

/** The twin with `bytes32` unit key `unitKey`, or null if none was minted. */
export async function findTwin(ctx: NodeContext, unitKey: `0x${string}`): Promise<Twin | null> {
  const key = unitKey.toLowerCase();
  const row = await ctx.db.kysely.selectFrom("supply_twins").selectAll().where("unit_key", "=", key).executeTakeFirst();
  if (row === undefined) return null;
  const steps = await ctx.db.kysely
    .selectFrom("supply_twin_custody")
    .selectAll()
    .where("unit_key", "=", key)
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return {
    unitKey: row.unit_key as `0x${string}`,
    tokenId: BigInt(row.unit_key).toString(),
    manufacturer: row.manufacturer as `0x${string}`,
    owner: row.owner as `0x${string}` | null,
    decommissioned: row.decommissioned,
    mintedAt: new Date(Number(row.minted_at) * 1000).toISOString(),
    custody: steps.map((s) => ({
      kind: s.kind as Kind,
      from: s.from_partner as `0x${string}` | null,
      to: s.to_partner as `0x${string}` | null,
      anchorId: s.anchor_id.toString(),
      eventHash: s.event_hash as `0x${string}`,
      txHash: s.tx_hash as `0x${string}`,
      blockNumber: s.block_number.toString(),
      time: new Date(Number(s.block_time) * 1000).toISOString(),
      check: s.check_result,
    })),
  };
}

/** The twin of `unitKey`; throws `TwinNotFound` if none was minted. */
export async function getTwin(ctx: NodeContext, unitKey: `0x${string}`): Promise<Twin> {
  const twin = await findTwin(ctx, unitKey);
  if (twin === null)
    throw new MedchainError("TwinNotFound", "this unit has no digital twin (twins are minted lazily)", {
      details: { unitKey },
    });
  return twin;
}

/**
 * The scanned unit and its twin; throws `InvalidBarcode`/`InvalidGs1` for a bad scan and `TwinNotFound` if it has no
 * twin.
 */
export async function twinOfScan(
  ctx: NodeContext,
  scan: string,
): Promise<{ unit: { key: string; gtin: string | null; serial: string | null }; twin: Twin }> {
  const unit = parseScan(scan);
  return {
    unit: { key: unit.key, gtin: unit.gtin ?? null, serial: unit.serial ?? null },
    twin: await getTwin(ctx, twinUnitKey(unit.key)),
  };
}

/** Messages for the custody steps whose proven event does not back them (see `twin.indexer.ts`). */
export const TWIN_CHECK_MESSAGES: Readonly<Record<string, string>> = {
  EVENT_NOT_INDEXED: "a custody step of the digital twin proves an event the node could not index",
  EVENT_OTHER_UNIT: "a custody step of the digital twin proves an event about another unit",
  EVENT_WRONG_STEP: "a custody step of the digital twin proves an event of the wrong business step",
  EVENT_WRONG_RECIPIENT: "the digital twin was handed to a partner its proven shipment was not addressed to",
};
