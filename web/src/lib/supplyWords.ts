/** Supply-chain words for people: CBV business steps, GS1 locations, partner kinds. */

const STEP_WORDS: Record<string, string> = {
  commissioning: "Made and serialized",
  packing: "Packed",
  unpacking: "Unpacked",
  shipping: "Shipped",
  receiving: "Received",
  dispensing: "Dispensed",
  decommissioning: "Taken out of circulation",
  retail_selling: "Sold",
  storing: "Stored",
  inspecting: "Inspected",
  accepting: "Accepted",
  destroying: "Destroyed",
};

/** "Shipped" for `shipping` (short, bizstep: or URN form). */
export function stepWords(bizStep: string | null, eventType: string): string {
  const s = bizStep?.match(/(?:BizStep-|bizstep:)?([A-Za-z_]+)$/)?.[1];
  return (s === undefined ? undefined : STEP_WORDS[s]) ?? s ?? eventType;
}

/** "site 0300011111116" for an SGLN URN or a GS1 Digital Link location. */
export function placeWords(location: string | null): string | undefined {
  if (location === null) return undefined;
  const sgln = location.match(/^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/);
  if (sgln !== null) return `site ${sgln[1]}${sgln[2]}${sgln[3] === "0" ? "" : ` (${sgln[3]})`}`;
  const dl = location.match(/\/414\/(\d{13})(?:\/254\/(.+))?/);
  return dl === null ? location : `site ${dl[1]}${dl[2] === undefined ? "" : ` (${decodeURIComponent(dl[2])})`}`;
}

/** Partner kinds as TradingPartners stores them. */
export const KIND_NAMES = ["", "Manufacturer", "Repackager", "Wholesaler", "Dispenser", "Regulator"];
