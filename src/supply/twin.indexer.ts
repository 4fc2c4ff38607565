/**
 * Digital-twin events into SQL (part of the supply indexer, in chain order):
 * `TwinMinted`, `CustodyTransferred` and `TwinDecommissioned` keep the twin's
 * owner and its custody steps. The chain proves only that each step's event
 * was anchored by the acting partner, not what the event says (the contract's
 * trust boundary), so every step is checked here against the indexed event:
 * it must name the unit, have the right business step and, for a shipment
 * addressed to anyone, be addressed to the new custodian. The result is kept
 * per step (`check_result`); a failed check makes a scan of the unit suspect.
 */
import type { PublicClient } from "viem";
import type { Transaction } from "kysely";
import { tradingPartnersAbi, type digitalTwinAbi } from "../chain/generated/contracts.ts";
import type { Database } from "../node/db/schema.ts";
import type { IndexedLog } from "../node/indexer.ts";
import { normalizeDestination, partyId } from "./sdk/custody.ts";
import { twinUnitKey, unitKeyOfToken } from "./sdk/twin/twinKey.ts";

/** Why a twin's step is not backed by its proven event; `ok` when it is. */
export type TwinCheck = "ok" | "EVENT_NOT_INDEXED" | "EVENT_OTHER_UNIT" | "EVENT_WRONG_STEP" | "EVENT_WRONG_RECIPIENT";

/** The twin event names this module handles. */
export const TWIN_EVENTS: ReadonlySet<string> = new Set(["TwinMinted", "CustodyTransferred", "TwinDecommissioned"]);

/** A DigitalTwin event {@link applyTwinLog} applies, typed from the contract's ABI. */
export type TwinLog = Extract<
  IndexedLog<typeof digitalTwinAbi>,
  { eventName: "TwinMinted" | "CustodyTransferred" | "TwinDecommissioned" }
>;

/** True when `l` is one of the twin events ({@link TWIN_EVENTS}). */
export function isTwinLog<L extends { eventName: string }>(l: L): l is Extract<L, { eventName: TwinLog["eventName"] }> {
  return TWIN_EVENTS.has(l.eventName);
}

const STEPS: Record<string, ReadonlySet<string>> = {
  minted: new Set(["commissioning"]),
  transferred: new Set(["shipping"]),
  decommissioned: new Set(["dispensing", "decommissioning", "retail_selling"]),
};

async function check(
  trx: Transaction<Database>,
  client: PublicClient,
  tradingPartners: `0x${string}`,
  step: { kind: string; unitKey: string; eventHash: string; to: `0x${string}` | null },
): Promise<TwinCheck> {
  const event = await trx
    .selectFrom("supply_events")
    .select(["biz_step", "destinations"])
    .where("event_hash", "=", step.eventHash)
    .executeTakeFirst();
  if (event === undefined) return "EVENT_NOT_INDEXED";
  const keys = await trx
    .selectFrom("supply_unit_events")
    .select("unit_key")
    .where("event_hash", "=", step.eventHash)
    .execute();
  if (!keys.some((k) => twinUnitKey(k.unit_key) === step.unitKey)) return "EVENT_OTHER_UNIT";
  if (!(STEPS[step.kind]?.has(event.biz_step ?? "") ?? false)) return "EVENT_WRONG_STEP";
  if (step.kind === "transferred" && step.to !== null) {
    const destinations = (JSON.parse(event.destinations) as string[]).map(normalizeDestination);
    if (destinations.length > 0) {
      const p = await client.readContract({
        address: tradingPartners,
        abi: tradingPartnersAbi,
        functionName: "partnerOf",
        args: [step.to],
      });
      if (!destinations.includes(partyId(p.gln.toString().padStart(13, "0")))) return "EVENT_WRONG_RECIPIENT";
    }
  }
  return "ok";
}

/** Applies one DigitalTwin event (see {@link TWIN_EVENTS}) inside the indexer's transaction. */
export async function applyTwinLog(
  trx: Transaction<Database>,
  l: TwinLog,
  client: PublicClient,
  tradingPartners: `0x${string}`,
): Promise<void> {
  const lower = (v: `0x${string}`): `0x${string}` => v.toLowerCase() as `0x${string}`;
  const unitKey = unitKeyOfToken(l.args.tokenId);
  let step: { kind: string; from: string | null; to: `0x${string}` | null; eventHash: string };
  if (l.eventName === "TwinMinted") {
    const a = l.args;
    step = { kind: "minted", from: null, to: lower(a.to), eventHash: lower(a.commissioningEventHash) };
    await trx
      .insertInto("supply_twins")
      .values({
        unit_key: unitKey,
        manufacturer: lower(a.manufacturer),
        owner: step.to,
        decommissioned: false,
        minted_at: l.blockTimestamp,
        block_number: l.blockNumber,
      })
      .onConflict((oc) => oc.column("unit_key").doNothing())
      .execute();
  } else if (l.eventName === "CustodyTransferred") {
    const a = l.args;
    step = { kind: "transferred", from: lower(a.from), to: lower(a.to), eventHash: lower(a.shippingEventHash) };
    await trx
      .updateTable("supply_twins")
      .set({ owner: step.to, block_number: l.blockNumber })
      .where("unit_key", "=", unitKey)
      .execute();
  } else {
    const a = l.args;
    step = { kind: "decommissioned", from: lower(a.dispenser), to: null, eventHash: lower(a.eventHash) };
    await trx
      .updateTable("supply_twins")
      .set({ owner: null, decommissioned: true, block_number: l.blockNumber })
      .where("unit_key", "=", unitKey)
      .execute();
  }
  const result = await check(trx, client, tradingPartners, {
    kind: step.kind,
    unitKey,
    eventHash: step.eventHash,
    to: step.to,
  });
  await trx
    .insertInto("supply_twin_custody")
    .values({
      block_number: l.blockNumber,
      log_index: l.logIndex,
      unit_key: unitKey,
      kind: step.kind,
      from_partner: step.from,
      to_partner: step.to,
      anchor_id: l.args.batchId,
      event_hash: step.eventHash,
      tx_hash: l.transactionHash.toLowerCase(),
      block_time: l.blockTimestamp,
      check_result: result,
    })
    .onConflict((oc) => oc.columns(["block_number", "log_index"]).doNothing())
    .execute();
}
