/**
 * Supply partners (manufacturers, wholesalers, dispensers): capture EPCIS
 * documents (validated by the node, anchored by a signature made here), see
 * the partner's anchored batches with every event's inclusion proof checked
 * in this browser against the root on the ledger, and recalls (manufacturers
 * can recall a lot here).
 */
import { TableWrap } from "../../components/TableWrap.tsx";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { captureDocument, recallLot, type CaptureResult } from "../../../../src/supply/sdk/captureDocument.ts";
import type { AnchorDetail, AnchorSummary, PartnerInfo, RecallInfo } from "../../../../src/supply/sdk/schemas.ts";
import { verifyMerkleProof } from "../../../../src/kernel/crypto/merkle.ts";
import { KeyGate } from "../../components/KeyGate.tsx";
import { Alert, Busy, ErrorText } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";
import { useSession, type Identity } from "../../lib/session.tsx";
import { useAction } from "../../lib/useAction.ts";
import { node } from "../../lib/node.ts";
import { errorMessage, formatDateTime } from "../../lib/format.ts";
import { KIND_NAMES, placeWords, stepWords } from "../../lib/supplyWords.ts";

function Capture({ me, onCaptured }: { me: Identity; onCaptured: () => void }) {
  const ids = { file: useId(), text: useId() };
  const [text, setText] = useState("");
  const [done, setDone] = useState<CaptureResult | null>(null);
  const action = useAction(async () => {
    setDone(null);
    const t = text.trim();
    if (t === "") throw new Error("choose or paste an EPCIS document first");
    let document: unknown = t;
    if (t.startsWith("{")) {
      try {
        document = JSON.parse(t) as unknown;
      } catch {
        throw new Error("this looks like JSON but does not parse");
      }
    }
    setDone(await captureDocument(node, me.keys.account, document));
    onCaptured();
  });
  return (
    <section className="card" aria-labelledby="capture-h">
      <h2 id="capture-h">Capture events</h2>
      <p>
        An EPCIS 2.0 JSON document or an EPCIS 1.2/2.0 XML document. The node checks it against the GS1 schema and
        vocabulary; you sign the anchor of its Merkle root (no fee).
      </p>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void action.run();
        }}
      >
        <div className="field">
          <label htmlFor={ids.file}>EPCIS file</label>
          <input
            id={ids.file}
            type="file"
            accept=".json,.jsonld,.xml,application/json,application/ld+json,text/xml,application/xml"
            onChange={(e) => void e.target.files?.[0]?.text().then(setText)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.text}>or paste it</label>
          <textarea
            id={ids.text}
            className="mono"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={6}
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Validate and anchor
        </button>
      </form>
      <Busy busy={action.busy}>Validating, signing and anchoring…</Busy>
      <ErrorText error={action.error} />
      {done === null ? null : (
        <Alert kind="ok">
          <p>
            Anchored {done.events} event{done.events === 1 ? "" : "s"} as batch #{done.anchorId} (root{" "}
            <span className="mono">{done.root.slice(0, 12)}…</span>), {done.status}.
          </p>
        </Alert>
      )}
    </section>
  );
}

function AnchorRow({ a }: { a: AnchorSummary }) {
  const [detail, setDetail] = useState<AnchorDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (open: boolean): void => {
    if (!open || detail !== null) return;
    node.anchorDetail(a.anchorId).then(setDetail, (err: unknown) => setError(errorMessage(err)));
  };
  const checked = detail?.events.map(
    (e) => detail.chainRoot !== null && verifyMerkleProof(detail.chainRoot, e.eventHash, e.proof),
  );
  const all = checked !== undefined && checked.length > 0 && checked.every(Boolean);
  return (
    <li className="visit" data-anchor={a.anchorId}>
      <details onToggle={(e) => load((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <span className="visit-date">Batch #{a.anchorId}</span>
          <span>
            {a.count} event{a.count === 1 ? "" : "s"}
          </span>
          <span className={`badge ${a.status === "indexed" ? "ok" : "bad"}`}>
            {a.status === "indexed" ? "Indexed" : `Refused: ${a.reason ?? "unknown"}`}
          </span>
          <span className="entry-meta mono">root {a.root.slice(0, 12)}…</span>
        </summary>
        <div className="visit-body">
          {error === null ? null : (
            <Alert kind="bad">
              <p>{error}</p>
            </Alert>
          )}
          {detail === null ? (
            error === null ? (
              <p role="status">Loading proofs…</p>
            ) : null
          ) : (
            <>
              <p>
                Root on the ledger: <span className="mono">{detail.chainRoot ?? "none"}</span>{" "}
                {detail.events.length === 0 ? null : all ? (
                  <span className="badge ok">✓ All {detail.events.length} proofs verified in this browser</span>
                ) : (
                  <span className="badge bad">✗ Some proofs do not verify</span>
                )}
              </p>
              <TableWrap label={`Events of batch ${a.anchorId}`}>
                <table>
                  <caption className="visually-hidden">Events of batch {a.anchorId}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Event</th>
                      <th scope="col">When</th>
                      <th scope="col">Where</th>
                      <th scope="col">Proof</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.events.map((e, i) => (
                      <tr key={e.eventHash}>
                        <td>{e.leafIndex}</td>
                        <td>
                          {stepWords(e.bizStep, e.eventType)}
                          <div className="entry-meta mono">{e.eventHash.slice(0, 14)}…</div>
                        </td>
                        <td>{formatDateTime(e.time)}</td>
                        <td>{placeWords(e.location) ?? "—"}</td>
                        <td>
                          {checked?.[i] === true ? (
                            <span className="badge ok" title={`${e.proof.length} sibling hashes`}>
                              ✓ Verified
                            </span>
                          ) : (
                            <span className="badge bad">✗ Does not verify</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}
        </div>
      </details>
    </li>
  );
}

function RecallForm({ me, onDone }: { me: Identity; onDone: () => void }) {
  const ids = { gtin: useId(), prefix: useId(), lot: useId(), reason: useId() };
  const [f, setF] = useState({ gtin: "", prefix: "", lot: "", reason: "" });
  const action = useAction(async () => {
    if (!/^\d{14}$/.test(f.gtin)) throw new Error("the GTIN has 14 digits");
    if (!/^\d{4,12}$/.test(f.prefix)) throw new Error("the company prefix has 4 to 12 digits");
    if (f.lot.trim() === "" || f.reason.trim() === "") throw new Error("give the lot and the reason");
    await recallLot(node, me.keys.account, {
      gtin: f.gtin,
      companyPrefix: f.prefix,
      lot: f.lot.trim(),
      reason: f.reason.trim(),
    });
    setF({ gtin: "", prefix: "", lot: "", reason: "" });
    onDone();
  });
  const field = (k: keyof typeof f, id: string, label: string, mono = true) => (
    <div className="field" style={{ flex: "1 1 12rem" }}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        className={mono ? "mono" : undefined}
        value={f[k]}
        onChange={(e) => setF({ ...f, [k]: e.target.value })}
        autoComplete="off"
      />
    </div>
  );
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void action.run();
      }}
    >
      <h3 style={{ marginTop: "1.25rem" }}>Recall a lot</h3>
      <div className="row" style={{ alignItems: "flex-start" }}>
        {field("gtin", ids.gtin, "GTIN (14 digits)")}
        {field("prefix", ids.prefix, "Your GS1 company prefix")}
        {field("lot", ids.lot, "Lot")}
      </div>
      {field("reason", ids.reason, "Reason (public)", false)}
      <button type="submit" className="button danger" disabled={action.busy}>
        Recall this lot
      </button>
      <Busy busy={action.busy}>Signing the recall…</Busy>
      <ErrorText error={action.error} />
    </form>
  );
}

function Recalls({ me, manufacturer }: { me: Identity; manufacturer: boolean }) {
  const [recalls, setRecalls] = useState<RecallInfo[] | null>(null);
  const load = useCallback(() => {
    void node.recalls().then(setRecalls, () => setRecalls([]));
  }, []);
  useEffect(load, [load]);
  return (
    <section className="card" aria-labelledby="recalls-h">
      <h2 id="recalls-h">Recalls</h2>
      {recalls === null ? (
        <p role="status">Loading…</p>
      ) : recalls.length === 0 ? (
        <p>No recall has been recorded.</p>
      ) : (
        <TableWrap label="Recalls">
          <table data-testid="recalls">
            <caption className="visually-hidden">Recalls, newest first</caption>
            <thead>
              <tr>
                <th scope="col">GTIN</th>
                <th scope="col">Lot</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {recalls.map((r) => (
                <tr key={`${r.txHash}`}>
                  <td className="mono">{r.gtin}</td>
                  <td className="mono">{r.lot}</td>
                  <td>{r.reason}</td>
                  <td>
                    <Who address={r.manufacturer} />
                  </td>
                  <td>
                    <span className={`badge ${r.active ? "bad" : "plain"}`}>{r.active ? "Recalled" : "Cleared"}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {manufacturer ? <RecallForm me={me} onDone={load} /> : null}
    </section>
  );
}

function Partner({ me }: { me: Identity }) {
  const [info, setInfo] = useState<PartnerInfo | null | undefined>(undefined);
  const [anchors, setAnchors] = useState<AnchorSummary[] | null>(null);
  useEffect(() => {
    void node.supplyPartners().then(
      (p) => setInfo(p.find((x) => x.account === me.address) ?? null),
      () => setInfo(null),
    );
  }, [me.address]);
  const loadAnchors = useCallback(() => {
    void node.anchors(me.address).then(setAnchors, () => setAnchors([]));
  }, [me.address]);
  useEffect(loadAnchors, [loadAnchors]);
  return (
    <>
      <h1>Supply partner</h1>
      {info === undefined ? (
        <p role="status">Loading…</p>
      ) : info === null ? (
        <Alert kind="warn" title="Not a registered trading partner">
          <p>
            Your address <span className="mono">{me.address}</span> is not registered. The network's registrar registers
            trading partners; until then you can look, but the indexer refuses what you anchor.
          </p>
        </Alert>
      ) : (
        <p className="page-intro">
          {KIND_NAMES[info.kind] ?? "Partner"} · GLN <span className="mono">{info.gln}</span> ·{" "}
          {info.active ? "active" : "suspended"}
          {info.reason !== null && info.reason !== "PartnerSuspended" ? ` · may not act: ${info.reason}` : ""}
        </p>
      )}
      <Capture me={me} onCaptured={loadAnchors} />
      <section className="card" aria-labelledby="anchors-h">
        <h2 id="anchors-h">Your anchored batches</h2>
        {anchors === null ? (
          <p role="status">Loading…</p>
        ) : anchors.length === 0 ? (
          <p>You have not anchored anything yet.</p>
        ) : (
          <ol className="timeline" aria-label="Anchored batches, newest first">
            {anchors.map((a) => (
              <AnchorRow key={a.anchorId} a={a} />
            ))}
          </ol>
        )}
      </section>
      <Recalls me={me} manufacturer={info?.kind === 1} />
    </>
  );
}

/** The supply partner page. */
export default function PartnerPage() {
  const { identity } = useSession();
  return (
    <KeyGate title="Supply partners" who="Trading partners: your keys sign the anchors of the events you capture.">
      {identity === null ? null : <Partner me={identity} />}
    </KeyGate>
  );
}
