/**
 * The patient's page: her unified record (timeline, charts), sharing,
 * the access log, adding records, export and erasure. The record is fetched
 * as ciphertext and decrypted in this browser with her keys.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import type { Resource } from "@medplum/fhirtypes";
import type { GrantInfo } from "../../../../src/consent/sdk/schemas.ts";
import type { BatchInfo } from "../../../../src/records/sdk/schemas.ts";
import { categoriesOfMask } from "../../../../src/kernel/categories.ts";
import { KeyGate } from "../../components/KeyGate.tsx";
import { TimelineView } from "../../components/TimelineView.tsx";
import { ImportBundle } from "../../components/ImportBundle.tsx";
import { Alert } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";
import { patientLine } from "../../fhir/ResourceView.tsx";
import { useSession, type Identity } from "../../lib/session.tsx";
import { useRecord } from "../../lib/useRecord.ts";
import { node } from "../../lib/node.ts";
import { errorMessage, formatDateTime } from "../../lib/format.ts";
import { CATEGORY_LABELS } from "../../lib/labels.ts";
import SharingPanel from "./SharingPanel.tsx";
import AuditPanel from "./AuditPanel.tsx";
import DataPanel from "./DataPanel.tsx";

const ChartsPanel = lazy(() => import("./ChartsPanel.tsx"));

const TABS = [
  ["timeline", "Timeline"],
  ["charts", "Charts"],
  ["sharing", "Sharing"],
  ["audit", "Access log"],
  ["add", "Add records"],
  ["data", "Export and erase"],
] as const;
type Tab = (typeof TABS)[number][0];

function BreakGlassNotices({ grants }: { grants: GrantInfo[] }) {
  const bg = grants.filter((g) => g.breakGlass);
  if (bg.length === 0) return null;
  return (
    <Alert kind="warn" title="Emergency access to your record">
      <ul>
        {bg.map((g) => (
          <li key={g.grantId} data-breakglass-grant={g.grantId}>
            <Who address={g.grantee} /> opened emergency access to{" "}
            {categoriesOfMask(g.categories)
              .map((c) => CATEGORY_LABELS[c])
              .join(", ")}{" "}
            on {formatDateTime(g.notBefore * 1000)}
            {g.active ? `, open until ${formatDateTime(g.expiresAt * 1000)}` : " (closed)"}. The stated reason is kept
            by the clinician; its fingerprint <span className="mono">{g.reasonHash?.slice(0, 10)}…</span> is on the
            ledger.
          </li>
        ))}
      </ul>
    </Alert>
  );
}

function PatientRecord({ me }: { me: Identity }) {
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.some(([t]) => t === params.get("tab")) ? (params.get("tab") as Tab) : "timeline";
  const setTab = (t: Tab): void => setParams(t === "timeline" ? {} : { tab: t }, { replace: true });
  const state = useRecord(me.address, me.keys);
  const [grants, setGrants] = useState<GrantInfo[] | null>(null);
  const [batches, setBatches] = useState<BatchInfo[] | null>(null);
  const reloadGrants = useCallback(() => {
    void node.grants({ patient: me.address }).then(
      (g) => setGrants(g.sort((a, b) => Number(b.grantId) - Number(a.grantId))),
      () => setGrants([]),
    );
  }, [me.address]);
  const reloadBatches = useCallback(() => {
    void node.listBatches(me.address).then(setBatches, () => setBatches([]));
  }, [me.address]);
  useEffect(reloadGrants, [reloadGrants]);
  useEffect(reloadBatches, [reloadBatches]);
  const resources = useMemo<Resource[]>(
    () => (state.record?.result.bundle.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource])),
    [state.record],
  );
  useEffect(() => {
    if (state.record !== null) performance.mark("medchain:timeline-rendered");
  }, [state.record]);
  const who = patientLine(state.record?.timeline.patient);
  const refresh = (): void => {
    state.reload();
    reloadBatches();
  };
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between", alignItems: "baseline" }}>
        <h1>{who.name === "" ? "My record" : `Record of ${who.name}`}</h1>
        {who.facts === "" ? null : <p className="muted">{who.facts}</p>}
      </div>
      {grants === null ? null : <BreakGlassNotices grants={grants} />}
      <div className="tabs" role="tablist" aria-label="Record sections">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            id={`tab-${t}`}
            type="button"
            role="tab"
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            onClick={() => setTab(t)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "timeline" || tab === "charts" ? (
          <>
            {state.loading ? (
              <p role="status">
                Decrypting your record in this browser
                {state.progress === null ? "…" : ` (batch ${state.progress.done} of ${state.progress.total})…`}
              </p>
            ) : null}
            {state.error === null ? null : (
              <Alert kind="bad">
                <p>Your record could not be read: {errorMessage(state.error)}</p>
              </Alert>
            )}
            {state.record === null ? null : state.record.timeline.total === 0 ? (
              <Alert kind="info">
                <p>
                  Your record is empty. A provider you allow (see Sharing) can add records, or you can add a FHIR Bundle
                  yourself under "Add records".
                </p>
              </Alert>
            ) : tab === "timeline" ? (
              <section aria-labelledby="timeline-h">
                <h2 id="timeline-h" className="visually-hidden">
                  Timeline
                </h2>
                <p className="muted">
                  {state.record.timeline.total} resources from {state.record.result.batches.length} batch
                  {state.record.result.batches.length === 1 ? "" : "es"}, decrypted and checked against the ledger in
                  this browser.
                </p>
                <TimelineView timeline={state.record.timeline} />
              </section>
            ) : (
              <Suspense fallback={<p role="status">Loading charts…</p>}>
                <ChartsPanel resources={resources} />
              </Suspense>
            )}
          </>
        ) : null}
        {tab === "sharing" ? <SharingPanel me={me} grants={grants} reloadGrants={reloadGrants} /> : null}
        {tab === "audit" ? <AuditPanel me={me} /> : null}
        {tab === "add" ? (
          <section className="card" aria-labelledby="add-h">
            <h2 id="add-h">Add records</h2>
            <p>
              Add records you hold (for example an export from another portal). Providers you allow can also add records
              for you.
            </p>
            <ImportBundle owner={me.address} author={me.keys} onImported={refresh} />
          </section>
        ) : null}
        {tab === "data" ? <DataPanel me={me} record={state.record} batches={batches} onErased={refresh} /> : null}
      </div>
    </>
  );
}

/** The patient page. */
export default function PatientPage() {
  const { identity } = useSession();
  return (
    <KeyGate title="My record" who="Patients: your keys open your record.">
      {identity === null ? null : <PatientRecord key={identity.address} me={identity} />}
    </KeyGate>
  );
}
