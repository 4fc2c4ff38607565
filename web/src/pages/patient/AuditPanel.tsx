/**
 * Who accessed what: every key release and refusal the keepers logged for
 * this patient, newest first. Each line is checked here against the chain
 * (its Merkle proof against a root the same keeper anchored); emergency
 * (break-glass) accesses are flagged.
 */
import { TableWrap } from "../../components/TableWrap.tsx";
import { useCallback, useEffect, useState } from "react";
import { readAudit, type AuditLine } from "../../../../src/audit/sdk/readAudit.ts";
import type { Identity } from "../../lib/session.tsx";
import { node } from "../../lib/node.ts";
import { errorMessage, formatDateTime } from "../../lib/format.ts";
import { CATEGORY_LABELS, PURPOSE_LABELS, outcomeLabel } from "../../lib/labels.ts";
import type { CategoryName } from "../../../../src/kernel/categories.ts";
import type { PurposeCode } from "../../../../src/kernel/purposes.ts";
import { Alert } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";
import { groupAccesses } from "../../lib/auditRows.ts";

const CHECK = {
  verified: { text: "✓ Verified", kind: "ok", title: "proof checked against a root anchored on chain by this keeper" },
  pending: { text: "Pending", kind: "warn", title: "not anchored on chain yet" },
  failed: { text: "✗ Does not verify", kind: "bad", title: "the proof or the anchor does not check out" },
  unchecked: { text: "Not checked", kind: "plain", title: "" },
} as const;

/** The access-log tab. */
export default function AuditPanel({ me }: { me: Identity }) {
  const [nonce, setNonce] = useState(0);
  const [read, setRead] = useState<{
    nonce: number;
    lines: AuditLine[] | null;
    keepers: number;
    error: string | null;
  } | null>(null);
  useEffect(() => {
    let cancelled = false;
    readAudit(node, me.keys, me.address, { verify: true }).then(
      (r) => {
        if (!cancelled) setRead({ nonce, lines: r.lines, keepers: r.keepersAnswered, error: null });
      },
      (err: unknown) => {
        if (!cancelled)
          setRead((old) => ({
            nonce,
            lines: old?.lines ?? null,
            keepers: old?.keepers ?? 0,
            error: errorMessage(err),
          }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [me, nonce]);
  const load = useCallback(() => setNonce((n) => n + 1), []);
  const loading = read?.nonce !== nonce;
  const lines = read?.lines ?? null;
  const keepers = read?.keepers ?? 0;
  const error = read?.nonce === nonce ? read.error : null;
  const rows = lines === null ? null : groupAccesses(lines);
  const emergencies = rows?.filter((r) => r.event.breakGlass && r.event.outcome === "released").length ?? 0;
  return (
    <section className="card" aria-labelledby="audit-h">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3 id="audit-h">Who accessed your record</h3>
        <button type="button" className="button secondary small" onClick={load} disabled={loading}>
          Refresh
        </button>
      </div>
      <p className="muted">
        Each line is one request for a key, as decided by the key keepers. The check mark means this browser verified
        every keeper's log entry against a root anchored on the ledger.
      </p>
      {error === null ? null : (
        <Alert kind="bad">
          <p>{error}</p>
        </Alert>
      )}
      {loading && lines === null ? <p role="status">Reading and verifying the access log…</p> : null}
      {emergencies > 0 ? (
        <Alert kind="warn" title="Emergency access">
          <p>
            {emergencies} access{emergencies === 1 ? " was" : "es were"} made under emergency (break-glass) access.
          </p>
        </Alert>
      ) : null}
      {rows === null ? null : rows.length === 0 ? (
        <p>Nobody has accessed your record through a grant yet.</p>
      ) : (
        <TableWrap label="Access log">
          <table data-testid="audit-table">
            <caption className="visually-hidden">Access log, newest first ({keepers} keepers answered)</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Purpose</th>
                <th scope="col">Outcome</th>
                <th scope="col">Check</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => {
                const c = CHECK[l.status];
                const released = l.event.outcome === "released";
                return (
                  <tr
                    key={l.key}
                    data-outcome={l.event.outcome}
                    data-status={l.status}
                    data-breakglass={l.event.breakGlass}
                  >
                    <td>{formatDateTime(l.event.at * 1000)}</td>
                    <td>
                      <Who address={l.event.requester} />
                      {l.event.breakGlass ? (
                        <>
                          {" "}
                          <span className="badge bad">Emergency</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {CATEGORY_LABELS[l.event.category as CategoryName] ?? l.event.category}
                      <div className="entry-meta">grant #{l.event.grantId}</div>
                    </td>
                    <td>{PURPOSE_LABELS[l.event.purpose as PurposeCode] ?? l.event.purpose}</td>
                    <td>
                      <span className={`badge ${released ? "info" : "plain"}`}>{outcomeLabel(l.event.outcome)}</span>
                    </td>
                    <td>
                      <span className={`badge ${c.kind}`} title={c.title}>
                        {c.text}
                      </span>
                      <div className="entry-meta">
                        {l.keepers} keeper{l.keepers === 1 ? "" : "s"}
                        {l.anchors.length === 0
                          ? ""
                          : `, anchor${l.anchors.length === 1 ? "" : "s"} #${[...new Set(l.anchors)].join(", #")}`}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
