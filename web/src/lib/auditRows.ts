/** The access log as people read it: one row per request, however many keepers decided it (pure, unit-tested). */
import type { AuditLine } from "../../../src/audit/sdk/readAudit.ts";

/** One access: the same request as decided by each keeper (a key release asks every keeper at once). */
export interface AccessRow {
  key: string;
  event: AuditLine["event"];
  status: AuditLine["status"];
  keepers: number;
  anchors: number[];
}

const WORST: AuditLine["status"][] = ["failed", "unchecked", "pending", "verified"];

/** Seconds within which the keepers' entries of one request fall. */
const SAME_REQUEST_SECONDS = 10;

/**
 * Groups the keepers' lines of one request: same requester, batch, category,
 * grant, purpose, outcome and emergency flag, at most one line per keeper,
 * within a few seconds. A row's status is the worst of its lines.
 */
export function groupAccesses(lines: readonly AuditLine[]): AccessRow[] {
  const rows: Array<AccessRow & { fields: string; seen: Set<string> }> = [];
  for (const l of lines) {
    const e = l.event;
    const fields = [e.requester, e.batchId, e.category, e.grantId, e.purpose, e.outcome, e.breakGlass].join("|");
    const row = rows.find(
      (r) => r.fields === fields && !r.seen.has(e.keeper) && Math.abs(r.event.at - e.at) <= SAME_REQUEST_SECONDS,
    );
    if (row === undefined) {
      rows.push({
        key: `${e.keeper}-${e.seq}`,
        fields,
        seen: new Set([e.keeper]),
        event: e,
        status: l.status,
        keepers: 1,
        anchors: l.anchorId === undefined ? [] : [l.anchorId],
      });
    } else {
      row.seen.add(e.keeper);
      row.keepers += 1;
      if (WORST.indexOf(l.status) < WORST.indexOf(row.status)) row.status = l.status;
      if (l.anchorId !== undefined) row.anchors.push(l.anchorId);
    }
  }
  return rows.map(({ fields: _f, seen: _s, ...row }) => row);
}
