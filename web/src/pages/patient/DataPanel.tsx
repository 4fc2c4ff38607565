/**
 * Take the record away (one FHIR Bundle, decrypted here) or erase it. Erasing
 * a batch is crypto-shredding: its keys are destroyed and its ciphertext
 * unpinned, so nobody, including the patient, can ever read it again.
 */
import { TableWrap } from "../../components/TableWrap.tsx";
import { useState } from "react";
import { shredBatch } from "../../../../src/records/sdk/shredBatch.ts";
import { categoriesOfMask } from "../../../../src/kernel/categories.ts";
import type { BatchInfo } from "../../../../src/records/sdk/schemas.ts";
import type { Identity } from "../../lib/session.tsx";
import type { LoadedRecord } from "../../lib/useRecord.ts";
import { node } from "../../lib/node.ts";
import { useAction } from "../../lib/useAction.ts";
import { downloadText } from "../../lib/download.ts";
import { CATEGORY_LABELS } from "../../lib/labels.ts";
import { formatDateTime } from "../../lib/format.ts";
import { Alert, Busy, ErrorText } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";

/** The export-and-erase tab. */
export default function DataPanel({
  me,
  record,
  batches,
  onErased,
}: {
  me: Identity;
  record: LoadedRecord | null;
  batches: BatchInfo[] | null;
  onErased: () => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [erased, setErased] = useState<number>(0);
  const erase = useAction(async (ids: `0x${string}`[]) => {
    for (const id of ids) await shredBatch(node, me.keys, id);
    setErased(ids.length);
    setConfirming(null);
    onErased();
  });
  const exportBundle = (): void => {
    if (record === null) return;
    downloadText(
      `medchain-record-${new Date().toISOString().slice(0, 10)}.json`,
      `${JSON.stringify(record.result.bundle, null, 2)}\n`,
    );
  };
  const live = (batches ?? []).filter((b) => !b.erased);
  return (
    <div>
      <section className="card" aria-labelledby="export-h">
        <h3 id="export-h">Download your record</h3>
        <p>
          Your whole record from every provider as one FHIR R4 Bundle, decrypted in this browser and saved to your
          device.
        </p>
        <button type="button" className="button" onClick={exportBundle} disabled={record === null}>
          Download FHIR Bundle ({record?.result.bundle.entry?.length ?? 0} resources)
        </button>
      </section>
      <section className="card" aria-labelledby="erase-h">
        <h3 id="erase-h">Erase records</h3>
        <p>
          Erasing destroys the keys of a batch: nobody can read it again, not even you. The ledger keeps only
          meaningless commitments.
        </p>
        {erased > 0 ? (
          <Alert kind="ok">
            <p>
              Erased {erased} batch{erased === 1 ? "" : "es"}.
            </p>
          </Alert>
        ) : null}
        {batches === null ? (
          <p role="status">Loading…</p>
        ) : live.length === 0 ? (
          <p>There is nothing to erase.</p>
        ) : (
          <TableWrap label="Batches of your record">
            <table>
              <caption className="visually-hidden">Batches of your record</caption>
              <thead>
                <tr>
                  <th scope="col">Added</th>
                  <th scope="col">By</th>
                  <th scope="col">Contents</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {live.map((b) => (
                  <tr key={b.batchId}>
                    <td>{formatDateTime(b.createdAt * 1000)}</td>
                    <td>
                      <Who address={b.author} />
                    </td>
                    <td>
                      {b.count} resources:{" "}
                      {categoriesOfMask(b.categories)
                        .map((c) => CATEGORY_LABELS[c])
                        .join(", ")}
                    </td>
                    <td>
                      {confirming === b.batchId ? (
                        <span className="row">
                          <button
                            type="button"
                            className="button danger small"
                            onClick={() => void erase.run([b.batchId])}
                            disabled={erase.busy}
                          >
                            Yes, erase for good
                          </button>
                          <button type="button" className="button secondary small" onClick={() => setConfirming(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => setConfirming(b.batchId)}
                          aria-label={`Erase the batch added ${formatDateTime(b.createdAt * 1000)}`}
                        >
                          Erase…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {live.length > 1 ? (
          <p style={{ marginTop: "1rem" }}>
            {confirming === "all" ? (
              <span className="row">
                <strong>Erase all {live.length} batches for good?</strong>
                <button
                  type="button"
                  className="button danger"
                  onClick={() => void erase.run(live.map((b) => b.batchId))}
                  disabled={erase.busy}
                >
                  Yes, erase everything
                </button>
                <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="button danger" onClick={() => setConfirming("all")}>
                Erase my whole record…
              </button>
            )}
          </p>
        ) : null}
        <Busy busy={erase.busy}>Erasing…</Busy>
        <ErrorText error={erase.error} />
      </section>
    </div>
  );
}
