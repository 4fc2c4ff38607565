/**
 * The clinician's page: open a patient (address or QR), read exactly what her
 * grant covers (the keepers release keys per category at read time, so a
 * revoked grant stops the very next read), see what stays hidden and why,
 * add records when she allowed it, and open emergency access with a reason.
 */
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { isAddress } from "viem";
import { breakGlass } from "../../../../src/consent/sdk/grants.ts";
import { purposesOfMask, type PurposeCode } from "../../../../src/kernel/purposes.ts";
import { CATEGORY, categoriesOfMask, type CategoryName } from "../../../../src/kernel/categories.ts";
import type { GrantInfo } from "../../../../src/consent/sdk/schemas.ts";
import type { ExportRecordParameters } from "../../../../src/records/sdk/exportRecord.ts";
import { KeyGate } from "../../components/KeyGate.tsx";
import { TimelineView } from "../../components/TimelineView.tsx";
import { ImportBundle } from "../../components/ImportBundle.tsx";
import { CameraScanner } from "../../components/CameraScanner.tsx";
import { Alert, Busy, ErrorText } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";
import { grantStatus } from "../patient/SharingPanel.tsx";
import { patientLine } from "../../fhir/ResourceView.tsx";
import { useSession, type Identity } from "../../lib/session.tsx";
import { useRecord } from "../../lib/useRecord.ts";
import { useAction } from "../../lib/useAction.ts";
import { node } from "../../lib/node.ts";
import { errorCode, errorMessage, formatDateTime } from "../../lib/format.ts";
import { CATEGORY_LABELS, PURPOSE_LABELS } from "../../lib/labels.ts";

type Access = NonNullable<ExportRecordParameters["access"]>;

const REFUSALS: Record<string, string> = {
  GrantRevoked: "The patient has revoked your access. The keepers refused to release the keys.",
  GrantExpired: "Your access has expired. Ask the patient to share again.",
  AccessDenied: "You have no access to this patient's record.",
  NotGrantee: "This grant was given to someone else.",
  PurposeNotGranted: "The grant does not cover this purpose of use.",
};

function OpenPatient({ onOpen }: { onOpen: (address: string) => void }) {
  const id = useId();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const open = (raw: string): void => {
    const a = raw
      .trim()
      .replace(/^ethereum:/i, "")
      .toLowerCase();
    if (!isAddress(a, { strict: false })) {
      setError("That is not a medchain address (0x followed by 40 hex digits).");
      return;
    }
    setError(null);
    onOpen(a);
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Open a patient</h2>
      <form
        className="row"
        style={{ alignItems: "flex-end" }}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          open(value);
        }}
      >
        <div className="field" style={{ flex: "1 1 22rem", marginBottom: 0 }}>
          <label htmlFor={id}>
            Patient's address <span className="hint">Ask the patient to show her QR code (My record, Sharing).</span>
          </label>
          <input
            id={id}
            type="text"
            className="mono"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button">
          Open
        </button>
      </form>
      <div style={{ marginTop: "0.75rem" }}>
        <CameraScanner
          label="the patient's QR code"
          onResult={(t) => {
            setValue(t);
            open(t);
          }}
        />
      </div>
      {error === null ? null : (
        <Alert kind="bad">
          <p>{error}</p>
        </Alert>
      )}
    </section>
  );
}

function BreakGlassForm({
  me,
  patient,
  onOpened,
}: {
  me: Identity;
  patient: `0x${string}`;
  onOpened: (access: Access) => void;
}) {
  const ids = { reason: useId(), h: useId() };
  const [reason, setReason] = useState("");
  const [allowed, setAllowed] = useState<CategoryName[]>([]);
  const [cats, setCats] = useState<ReadonlySet<CategoryName>>(new Set(["clinical", "medications", "allergies"]));
  const [hours, setHours] = useState(4);
  useEffect(() => {
    void node.network().then((n) => {
      setAllowed(categoriesOfMask(n.breakGlass.maxCategories));
      setHours(n.breakGlass.durationSeconds / 3600);
    });
  }, []);
  const action = useAction(async () => {
    if (reason.trim().length < 5) throw new Error("state the emergency (at least 5 characters)");
    if (cats.size === 0) throw new Error("choose what you need to see");
    const r = await breakGlass(node, me.keys.account, patient, [...cats], reason);
    setReason("");
    onOpened({
      grantId: r.grantId,
      purpose: "ETREAT",
      categories: [...cats].reduce((m, c) => m | (1 << CATEGORY[c]), 0) >>> 0,
    });
  });
  const toggle = (c: CategoryName): void =>
    setCats((old) => {
      const next = new Set(old);
      if (next.has(c)) next.delete(c);
      else next.add(c);
      return next;
    });
  return (
    <section className="card" aria-labelledby={ids.h}>
      <h3 id={ids.h}>Emergency access (break-glass)</h3>
      <p>
        Only for an emergency in which the patient cannot consent. Access is limited to {hours} hours and to the parts
        below, it is logged as an emergency, and the patient sees it. Requires the clinician role.
      </p>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void action.run();
        }}
      >
        <div className="field">
          <label htmlFor={ids.reason}>
            Reason <span className="hint">Kept by you; only its fingerprint goes on the ledger.</span>
          </label>
          <textarea id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={5} />
        </div>
        <fieldset>
          <legend>What you need to see</legend>
          <div className="checks">
            {allowed.map((c) => (
              <label key={c}>
                <input type="checkbox" checked={cats.has(c)} onChange={() => toggle(c)} /> {CATEGORY_LABELS[c]}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="button danger" disabled={action.busy}>
          Open emergency access
        </button>
        <Busy busy={action.busy}>Signing and opening emergency access…</Busy>
        <ErrorText
          error={
            action.error === null
              ? null
              : action.error.includes("NotClinician")
                ? `${action.error}: present a clinician licence from an ` +
                  `accredited issuer first (medchain credential present).`
                : action.error
          }
        />
      </form>
    </section>
  );
}

function Hidden({
  hidden,
  skipped,
  access,
}: {
  hidden: Array<{ category: CategoryName }>;
  skipped: number;
  access: Access | undefined;
}) {
  const cats = [...new Set(hidden.map((h) => h.category))];
  if (cats.length === 0 && skipped === 0) return null;
  const covered = access === undefined ? [] : categoriesOfMask(access.categories);
  return (
    <section className="card" aria-labelledby="hidden-h" data-testid="hidden-sections">
      <h3 id="hidden-h">What you cannot see, and why</h3>
      <ul>
        {cats.map((c) => (
          <li key={c} data-hidden-category={c}>
            <strong>{CATEGORY_LABELS[c]}</strong>:{" "}
            {access === undefined
              ? "you have no grant from this patient."
              : `not covered by grant #${access.grantId} (it covers ` +
                `${covered.map((x) => CATEGORY_LABELS[x]).join(", ")}).`}
          </li>
        ))}
        {skipped > 0 ? (
          <li>
            {skipped} batch{skipped === 1 ? "" : "es"} of records: no key for you (no grant covers them, or erased by
            the patient).
          </li>
        ) : null}
      </ul>
    </section>
  );
}

function PatientView({ me, patient }: { me: Identity; patient: `0x${string}` }) {
  const [grants, setGrants] = useState<GrantInfo[] | null>(null);
  const [writer, setWriter] = useState<boolean | null>(null);
  const [access, setAccess] = useState<Access | undefined>(undefined);
  const [opened, setOpened] = useState(false);
  const [pick, setPick] = useState<string>("");
  const loadGrants = useCallback(() => {
    void node.grants({ patient, grantee: me.address }).then(
      (g) => {
        const sorted = g.sort((a, b) => Number(b.grantId) - Number(a.grantId));
        setGrants(sorted);
        setPick((p) => (p !== "" ? p : (sorted.find((x) => x.active)?.grantId ?? "")));
      },
      () => setGrants([]),
    );
  }, [patient, me.address]);
  useEffect(loadGrants, [loadGrants]);
  useEffect(() => {
    void node.writers(patient).then(
      (w) => setWriter(w.some((x) => x.writer === me.address)),
      () => setWriter(false),
    );
  }, [patient, me.address]);
  const state = useRecord(patient, me.keys, access, opened);
  const openWith = (g: GrantInfo | undefined): void => {
    if (g === undefined) setAccess(undefined);
    else
      setAccess({
        grantId: g.grantId,
        purpose: (purposesOfMask(g.purposes)[0] ?? "TREAT") as PurposeCode,
        categories: g.categories,
      });
    if (opened) state.reload();
    setOpened(true);
  };
  const refusal = errorCode(state.error);
  const who = patientLine(state.record?.timeline.patient);
  const active = (grants ?? []).filter((g) => g.active);
  const skipped = state.record?.result.skipped.filter((s) => s.reason === "no-key").length ?? 0;
  const picked = useMemo(() => grants?.find((g) => g.grantId === pick), [grants, pick]);
  return (
    <>
      <h2>
        Patient{" "}
        {who.name === "" ? (
          <Who address={patient} />
        ) : (
          <>
            {who.name} <Who address={patient} />
          </>
        )}
      </h2>
      <section className="card" aria-labelledby="access-h">
        <h3 id="access-h">Your access</h3>
        {grants === null ? (
          <p role="status">Loading…</p>
        ) : grants.length === 0 ? (
          <p>This patient has not shared anything with you.</p>
        ) : (
          <fieldset>
            <legend>Grants from this patient to you</legend>
            {grants.map((g) => {
              const st = grantStatus(g);
              return (
                <div key={g.grantId} className="checks" style={{ marginBottom: "0.35rem" }}>
                  <label>
                    <input
                      type="radio"
                      name="grant"
                      value={g.grantId}
                      checked={pick === g.grantId}
                      onChange={() => setPick(g.grantId)}
                    />
                    Grant #{g.grantId}:{" "}
                    {categoriesOfMask(g.categories)
                      .map((c) => CATEGORY_LABELS[c])
                      .join(", ")}
                    ;{" "}
                    {purposesOfMask(g.purposes)
                      .map((p) => PURPOSE_LABELS[p])
                      .join(", ")}
                    ; until {formatDateTime(g.expiresAt * 1000)} <span className={`badge ${st.kind}`}>{st.text}</span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        )}
        <div className="row">
          <button type="button" className="button" onClick={() => openWith(picked)} disabled={state.loading}>
            {opened
              ? "Read the record again"
              : picked === undefined
                ? "Open records you added"
                : `Open the record with grant #${picked.grantId}`}
          </button>
          <button type="button" className="button secondary" onClick={loadGrants}>
            Refresh grants
          </button>
        </div>
        {active.length === 0 && grants !== null ? (
          <p className="muted" style={{ marginTop: "0.75rem" }}>
            No active grant: you can only see records you added yourself, or open emergency access below.
          </p>
        ) : null}
      </section>
      {state.loading ? <p role="status">Requesting keys from the keepers and decrypting in this browser…</p> : null}
      {state.error === null ? null : (
        <Alert kind="bad" title="No access">
          <p data-refusal={refusal}>
            {(refusal !== undefined ? REFUSALS[refusal] : undefined) ?? errorMessage(state.error)}{" "}
            <span className="muted">({refusal ?? "error"})</span>
          </p>
        </Alert>
      )}
      {state.record === null || state.error !== null ? null : (
        <>
          <Hidden hidden={state.record.result.hidden} skipped={skipped} access={access} />
          <section className="card" aria-labelledby="shared-h">
            <h3 id="shared-h">Record you can read ({state.record.timeline.total} resources)</h3>
            {state.record.timeline.total === 0 ? (
              <p>Nothing to show.</p>
            ) : (
              <TimelineView timeline={state.record.timeline} />
            )}
          </section>
        </>
      )}
      <section className="card" aria-labelledby="add-h">
        <h3 id="add-h">Add records</h3>
        {writer === null ? (
          <p role="status">Checking…</p>
        ) : writer ? (
          <ImportBundle
            owner={patient}
            author={me.keys}
            onImported={() => {
              if (opened) state.reload();
            }}
          />
        ) : (
          <p>
            This patient has not allowed you to add records. She can allow you under My record, Sharing, "Providers who
            may add records".
          </p>
        )}
      </section>
      <BreakGlassForm
        me={me}
        patient={patient}
        onOpened={(a) => {
          setAccess(a);
          loadGrants();
          setPick(a.grantId);
          if (opened) state.reload();
          setOpened(true);
        }}
      />
    </>
  );
}

function Clinician({ me }: { me: Identity }) {
  const [params, setParams] = useSearchParams();
  const patient = params.get("patient");
  const valid =
    patient !== null && isAddress(patient, { strict: false }) ? (patient.toLowerCase() as `0x${string}`) : null;
  return (
    <>
      <h1>Clinician</h1>
      <OpenPatient onOpen={(a) => setParams({ patient: a })} />
      {valid === null ? null : <PatientView key={valid} me={me} patient={valid} />}
    </>
  );
}

/** The clinician page. */
export default function ClinicianPage() {
  const { identity } = useSession();
  return (
    <KeyGate title="Clinician" who="Clinicians: your keys identify you to patients and to the key keepers.">
      {identity === null ? null : <Clinician me={identity} />}
    </KeyGate>
  );
}
