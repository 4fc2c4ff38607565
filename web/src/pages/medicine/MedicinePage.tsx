/**
 * Medicine check: scan the pack's GS1 DataMatrix or QR code with the camera
 * (or a photo), or paste what a scanner typed, a GS1 Digital Link or an EPC
 * URI. The node answers with a verdict, its reasons and the unit's journey;
 * each journey event's Merkle proof is checked here against the root it was
 * anchored under. No keys are needed: anyone can check a medicine.
 */
import { useEffect, useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import type { VerifyResult } from "../../../../src/supply/sdk/schemas.ts";
import { verifyMerkleProof } from "../../../../src/kernel/crypto/merkle.ts";
import { CameraScanner } from "../../components/CameraScanner.tsx";
import { Alert } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";
import { node } from "../../lib/node.ts";
import { useAction } from "../../lib/useAction.ts";
import { formatDate, formatDateTime } from "../../lib/format.ts";
import { KIND_NAMES, placeWords, stepWords } from "../../lib/supplyWords.ts";

type Verdict = VerifyResult["verdict"];

/** What each verdict means for the person holding the pack. */
export const VERDICT_TEXT: Record<
  Verdict,
  { kind: "ok" | "bad" | "warn"; icon: string; title: string; advice: string }
> = {
  authentic: {
    kind: "ok",
    icon: "✓",
    title: "Genuine",
    advice: "This pack was made by a registered manufacturer and its custody is unbroken. It may be dispensed.",
  },
  unknown: {
    kind: "bad",
    icon: "✗",
    title: "Unknown: no trace of this pack",
    advice:
      "No manufacturer ever registered this serial number. Do not dispense: it may be counterfeit. Set it " +
      "aside and report it.",
  },
  dispensed: {
    kind: "bad",
    icon: "✗",
    title: "Already dispensed: possible copy",
    advice:
      "This serial number was already dispensed. A second pack with the same number is a red flag for a " +
      "cloned (counterfeit) pack. Do not dispense; report it.",
  },
  recalled: {
    kind: "bad",
    icon: "✗",
    title: "Recalled",
    advice: "The manufacturer recalled this lot. Do not dispense or use it; return it.",
  },
  expired: {
    kind: "warn",
    icon: "!",
    title: "Expired",
    advice: "This pack is past its expiry date. Do not dispense or use it.",
  },
  suspect: {
    kind: "warn",
    icon: "!",
    title: "Suspect: check before use",
    advice:
      "The pack is known, but its journey has a problem (a custody gap or impossible travel). Hold it and " +
      "check with your supplier.",
  },
};

function Result({ result }: { result: VerifyResult }) {
  const v = VERDICT_TEXT[result.verdict];
  const [partners, setPartners] = useState<Map<string, { kind: number; gln: string }>>(new Map());
  const [chainRoots, setChainRoots] = useState<Map<string, string | null>>(new Map());
  useEffect(() => {
    void node
      .supplyPartners()
      .then((p) => setPartners(new Map(p.map((x) => [x.account, x]))))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    // the roots as the chain holds them now (not the node's index)
    const ids = [...new Set(result.proofs.map((p) => p.anchorId))];
    void Promise.all(
      ids.map(
        async (id) =>
          [
            id,
            await node.anchorDetail(id).then(
              (d) => d.chainRoot,
              () => null,
            ),
          ] as const,
      ),
    ).then((pairs) => setChainRoots(new Map(pairs)));
  }, [result]);
  const proofOk = new Map(
    result.proofs.map((p) => {
      const root = chainRoots.get(p.anchorId);
      return [
        p.eventHash,
        root === undefined
          ? undefined
          : root !== null && root === p.root && verifyMerkleProof(root as `0x${string}`, p.eventHash, p.proof),
      ];
    }),
  );
  const u = result.unit;
  return (
    <>
      <section className={`verdict ${v.kind}`} aria-labelledby="verdict-h" data-verdict={result.verdict} role="region">
        <h2 id="verdict-h">
          <span className="icon" aria-hidden="true">
            {v.icon}
          </span>{" "}
          {v.title}
        </h2>
        <p>{v.advice}</p>
        {result.reasons.length === 0 ? null : (
          <>
            <h3>Why</h3>
            <ul data-testid="reasons">
              {result.reasons.map((r, i) => (
                <li key={i} data-code={r.code}>
                  {r.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="unit-h">
        <h3 id="unit-h">This pack</h3>
        <dl className="grid" style={{ gap: "0.25rem 1rem" }}>
          <div>
            <dt className="muted">Product (GTIN)</dt>
            <dd className="mono">{u.gtin ?? "—"}</dd>
          </div>
          <div>
            <dt className="muted">Serial number</dt>
            <dd className="mono">{u.serial ?? "—"}</dd>
          </div>
          <div>
            <dt className="muted">Lot</dt>
            <dd className="mono">{u.lot ?? "—"}</dd>
          </div>
          <div>
            <dt className="muted">Expiry</dt>
            <dd>{u.expiry === null ? "—" : formatDate(u.expiry)}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="journey-h">
        <h3 id="journey-h">Journey from the manufacturer</h3>
        {result.journey.length === 0 ? (
          <p>No recorded event: nobody in the supply chain ever reported this pack.</p>
        ) : (
          <ol className="journey" data-testid="journey">
            {result.journey.map((e) => {
              const p = partners.get(e.partner);
              const ok = proofOk.get(e.eventHash);
              return (
                <li key={e.eventHash}>
                  <div className="step">{stepWords(e.bizStep, e.eventType)}</div>
                  <div>
                    {formatDateTime(e.time)}
                    {placeWords(e.location) === undefined ? "" : ` · ${placeWords(e.location)}`}
                  </div>
                  <div className="entry-meta">
                    by{" "}
                    {p === undefined ? null : (
                      <>
                        {KIND_NAMES[p.kind] ?? "partner"} (GLN {p.gln}){" "}
                      </>
                    )}
                    <Who address={e.partner} /> ·{" "}
                    {ok === undefined ? (
                      <span className="badge plain">Checking proof…</span>
                    ) : ok ? (
                      <span
                        className="badge ok"
                        title={
                          `Merkle proof checked in this browser against ` +
                          `the root of anchor #${e.anchorId} on the ledger`
                        }
                      >
                        ✓ Proof verified
                      </span>
                    ) : (
                      <span className="badge bad">✗ Proof does not verify</span>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </>
  );
}

/** The medicine check page. */
export default function MedicinePage() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const [code, setCode] = useState(params.get("scan") ?? "");
  const [result, setResult] = useState<VerifyResult | null>(null);
  const check = useAction(async (scan: string) => {
    setResult(null);
    const s = scan.trim();
    if (s === "") throw new Error("paste or scan a code first");
    setResult(await node.verify(s));
  });
  const initial = params.get("scan");
  useEffect(() => {
    if (initial !== null && initial !== "") void check.run(initial);
    // run once for a shared link
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setParams(code.trim() === "" ? {} : { scan: code.trim() }, { replace: true });
    void check.run(code);
  };
  return (
    <>
      <h1>Medicine check</h1>
      <p className="page-intro">
        Check that a medicine pack is genuine before dispensing or taking it. Scan the square code (GS1 DataMatrix) or
        QR code on the pack, or paste it.
      </p>
      <section className="card" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Scan or paste</h2>
        <CameraScanner
          label="the pack"
          onResult={(t) => {
            setCode(t);
            void check.run(t);
          }}
        />
        <form onSubmit={submit} style={{ marginTop: "1rem" }}>
          <div className="field">
            <label htmlFor={id}>
              Code on the pack{" "}
              <span className="hint">
                For example (01)00300010123455(21)12345(10)LOT42(17)301231, a https://id.gs1.org/... link, or
                urn:epc:id:sgtin:...
              </span>
            </label>
            <input
              id={id}
              type="text"
              className="mono"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <button type="submit" className="button" disabled={check.busy}>
            Check
          </button>
        </form>
      </section>
      {check.busy ? <p role="status">Checking against the ledger…</p> : null}
      {check.error === null ? null : (
        <Alert kind="bad" title="This code could not be checked">
          <p>{check.error}</p>
        </Alert>
      )}
      {result === null ? null : <Result result={result} />}
    </>
  );
}
