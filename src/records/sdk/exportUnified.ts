/**
 * The patient's unified record across her addresses: her root address and
 * every pairwise (relationship) address she holds keys for. Each address's
 * record is exported with that address's own keys (exportRecord checks every
 * batch against the chain) and the entries are gathered into one FHIR
 * Bundle. The link between the addresses exists only in the patient's keys.
 */
import type { Bundle } from "@medplum/fhirtypes";
import type { NodeClient } from "../../sdk/nodeClient.ts";
import type { RecordKeys } from "../../kernel/accountKeys.ts";
import { exportRecord, type ExportRecordResult } from "./exportRecord.ts";

/** Parameters of {@link exportUnifiedRecord}. */
export interface ExportUnifiedRecordParameters {
  node: NodeClient;
  /** The patient's identities: root first, then pairwise ones; each reads the record it owns. */
  identities: readonly RecordKeys[];
  onProgress?: (p: { done: number; total: number }) => void;
}

/** The unified record, with what each batch came from. */
export interface ExportUnifiedRecordResult {
  bundle: Bundle;
  /** Batches read, with the owning address. */
  batches: Array<ExportRecordResult["batches"][number] & { owner: `0x${string}` }>;
  skipped: ExportRecordResult["skipped"];
  hidden: ExportRecordResult["hidden"];
  /** Every owner address gathered (root first). */
  owners: `0x${string}`[];
}

/** Exports and gathers the records of every identity into one Bundle of type `collection`. */
export async function exportUnifiedRecord(params: ExportUnifiedRecordParameters): Promise<ExportUnifiedRecordResult> {
  const out: ExportUnifiedRecordResult = {
    bundle: { resourceType: "Bundle", type: "collection", entry: [] },
    batches: [],
    skipped: [],
    hidden: [],
    owners: [],
  };
  let done = 0;
  for (const reader of params.identities) {
    const owner = reader.account.address.toLowerCase() as `0x${string}`;
    const r = await exportRecord({ node: params.node, reader, owner });
    out.bundle.entry?.push(...(r.bundle.entry ?? []));
    out.batches.push(...r.batches.map((b) => ({ ...b, owner })));
    out.skipped.push(...r.skipped);
    out.hidden.push(...r.hidden);
    out.owners.push(owner);
    done += 1;
    params.onProgress?.({ done, total: params.identities.length });
  }
  return out;
}
