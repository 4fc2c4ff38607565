/**
 * Who holds a unit, followed event by event (isomorphic, pure). One rule for
 * the verifier (a break is a `CUSTODY_GAP`, the unit is suspect) and for the
 * node's capture path (a shipping event that would break it is refused with
 * `NotCustodian`), so that what capture refuses is exactly what verification
 * would flag:
 * - commissioning makes its partner the custodian;
 * - a shipment leaves the shipper custodian, the unit in transit to the
 *   shipment's destinations;
 * - an event by another partner is fine only while the unit is in transit to
 *   it (one of the destinations is its GLN, or the shipment named none); either
 *   way that partner is the custodian afterwards.
 * Before any commissioning nobody holds the unit and nothing is a gap (the
 * verifier reports `NO_TRACE` instead).
 */

/** The custody of one unit after some events. */
export interface CustodyState {
  /** The partner (address) holding the unit; undefined before commissioning. */
  readonly custodian?: string | undefined;
  /** Set while a shipment by the custodian is under way: its destination ids (empty: unaddressed). */
  readonly inTransitTo?: readonly string[] | undefined;
}

/** The fields of an event that custody depends on. */
export interface CustodyEvent {
  /** CBV business step, short form (`commissioning`, `shipping`, ...). */
  readonly bizStep: string | undefined;
  /** The partner (address) that captured the event. */
  readonly partner: string;
  /** For shipping: destination ids, normalized with {@link partyId} / {@link normalizeDestination}. */
  readonly destinations: readonly string[];
}

/** Why an event breaks custody. */
export type CustodyGap = "no-shipment" | "unaddressed";

/** The id a partner with GLN `gln` (13 digits) is known by in shipment destinations. */
export function partyId(gln: string): string {
  return `https://id.gs1.org/414/${gln}`;
}

/** A destination id as compared with {@link partyId}: a GLN with an extension (SGLN) counts as its GLN. */
export function normalizeDestination(id: string): string {
  return id.replace(/^(https:\/\/id\.gs1\.org\/414\/\d{13}).*$/, "$1");
}

/** The custody after `e`, and whether `e` broke it. `ids` are the ids each partner is known by. */
export function followCustody(
  state: CustodyState,
  e: CustodyEvent,
  ids: ReadonlyMap<string, ReadonlySet<string>>,
): { state: CustodyState; gap: CustodyGap | undefined } {
  if (e.bizStep === "commissioning") return { state: { custodian: e.partner }, gap: undefined };
  if (state.custodian === undefined) return { state, gap: undefined };
  let gap: CustodyGap | undefined;
  let inTransitTo = state.inTransitTo;
  if (e.partner !== state.custodian) {
    const known = ids.get(e.partner) ?? new Set<string>();
    const addressed = inTransitTo !== undefined && (inTransitTo.length === 0 || inTransitTo.some((d) => known.has(d)));
    if (!addressed) gap = inTransitTo === undefined ? "no-shipment" : "unaddressed";
    inTransitTo = undefined;
  }
  if (e.bizStep === "shipping") inTransitTo = e.destinations;
  return { state: { custodian: e.partner, inTransitTo }, gap };
}
