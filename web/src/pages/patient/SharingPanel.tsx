/**
 * Who may see and who may add to the patient's record: grants (scope,
 * purpose, expiry; revoke), providers allowed to write, and her address as
 * a QR code for a clinician to scan. Every change is an EIP-712 signature
 * made here and relayed by the node (no fee).
 */
import { TableWrap } from "../../components/TableWrap.tsx";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { QRCodeSVG } from "qrcode.react";
import { isAddress } from "viem";
import { grantAccess, revokeGrant } from "../../../../src/consent/sdk/grants.ts";
import { authorizeWriter, revokeWriter } from "../../../../src/records/sdk/writers.ts";
import { CATEGORY, categoriesOfMask, type CategoryName } from "../../../../src/kernel/categories.ts";
import { PURPOSE_CODES, purposesOfMask, type PurposeCode } from "../../../../src/kernel/purposes.ts";
import type { GrantInfo } from "../../../../src/consent/sdk/schemas.ts";
import { node } from "../../lib/node.ts";
import { useAction } from "../../lib/useAction.ts";
import type { Identity } from "../../lib/session.tsx";
import { CATEGORY_LABELS, PURPOSE_LABELS } from "../../lib/labels.ts";
import { setContactName } from "../../lib/contacts.ts";
import { formatDate } from "../../lib/format.ts";
import { Alert, Busy, ErrorText } from "../../components/Alert.tsx";
import { Who } from "../../components/Who.tsx";

const DAY = 86_400_000;
const SHAREABLE: CategoryName[] = Object.keys(CATEGORY) as CategoryName[];
const GRANT_PURPOSES = PURPOSE_CODES.filter((p) => p !== "ETREAT");

/** The status of a grant, in words, with its badge colour. */
export function grantStatus(
  g: GrantInfo,
  now = Date.now() / 1000,
): { text: string; kind: "ok" | "bad" | "warn" | "plain" } {
  if (g.revoked) return { text: "Revoked", kind: "bad" };
  if (now >= g.expiresAt) return { text: "Expired", kind: "plain" };
  if (now < g.notBefore) return { text: "Not yet valid", kind: "warn" };
  return { text: g.breakGlass ? "Emergency access, active" : "Active", kind: g.breakGlass ? "warn" : "ok" };
}

function inDays(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

function GrantForm({ me, onDone }: { me: Identity; onDone: () => void }) {
  const ids = { who: useId(), name: useId(), purpose: useId(), until: useId() };
  const [grantee, setGrantee] = useState("");
  const [name, setName] = useState("");
  const [cats, setCats] = useState<ReadonlySet<CategoryName>>(
    new Set(["observations", "clinical", "medications", "allergies", "immunizations"]),
  );
  const [purpose, setPurpose] = useState<PurposeCode>("TREAT");
  const [until, setUntil] = useState(inDays(30));
  const [created, setCreated] = useState<string | null>(null);
  const action = useAction(async () => {
    setCreated(null);
    const to = grantee.trim().toLowerCase();
    if (!isAddress(to, { strict: false }))
      throw new Error("enter the address of the person or organization (0x followed by 40 hex digits)");
    if (to === me.address) throw new Error("you already see your whole record");
    if (cats.size === 0) throw new Error("choose at least one part of your record to share");
    const expiresAt = Math.floor(new Date(`${until}T23:59:59`).getTime() / 1000);
    if (!Number.isFinite(expiresAt) || expiresAt * 1000 <= Date.now())
      throw new Error("the end date must be in the future");
    const { grantId } = await grantAccess(node, me.keys.account, {
      patient: me.address,
      grantee: to as `0x${string}`,
      categories: [...cats],
      purposes: [purpose],
      expiresAt,
    });
    if (name.trim() !== "") setContactName(to, name);
    setCreated(grantId);
    setGrantee("");
    setName("");
    onDone();
  });
  const toggle = (c: CategoryName): void =>
    setCats((old) => {
      const next = new Set(old);
      if (next.has(c)) next.delete(c);
      else next.add(c);
      return next;
    });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void action.run();
      }}
    >
      <div className="field">
        <label htmlFor={ids.who}>
          Share with (address){" "}
          <span className="hint">The clinician or organization's medchain address; they can show it as a QR code.</span>
        </label>
        <input
          id={ids.who}
          type="text"
          className="mono"
          value={grantee}
          onChange={(e) => setGrantee(e.target.value)}
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.name}>
          Their name <span className="hint">Optional, only kept in this browser.</span>
        </label>
        <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset>
        <legend>What they may see</legend>
        <div className="checks">
          {SHAREABLE.map((c) => (
            <label key={c}>
              <input type="checkbox" checked={cats.has(c)} onChange={() => toggle(c)} /> {CATEGORY_LABELS[c]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="row" style={{ alignItems: "flex-start" }}>
        <div className="field" style={{ flex: "1 1 14rem" }}>
          <label htmlFor={ids.purpose}>For what purpose</label>
          <select id={ids.purpose} value={purpose} onChange={(e) => setPurpose(e.target.value as PurposeCode)}>
            {GRANT_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {PURPOSE_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: "1 1 14rem" }}>
          <label htmlFor={ids.until}>Until (included)</label>
          <input id={ids.until} type="date" value={until} min={inDays(0)} onChange={(e) => setUntil(e.target.value)} />
        </div>
      </div>
      <button type="submit" className="button" disabled={action.busy}>
        Share
      </button>
      <Busy busy={action.busy}>Signing and recording the grant on the ledger…</Busy>
      <ErrorText error={action.error} />
      {created === null ? null : (
        <Alert kind="ok">
          <p>Shared. Grant #{created} is active now.</p>
        </Alert>
      )}
    </form>
  );
}

function GrantsTable({ grants, me, onChange }: { grants: GrantInfo[]; me: Identity; onChange: () => void }) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const action = useAction(async (g: GrantInfo) => {
    setBusyId(g.grantId);
    try {
      await revokeGrant(node, me.keys.account, g.grantId);
      onChange();
    } finally {
      setBusyId(null);
    }
  });
  if (grants.length === 0) return <p>You have not shared your record with anyone.</p>;
  return (
    <>
      <TableWrap label="Your grants">
        <table>
          <caption className="visually-hidden">Your grants</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">With</th>
              <th scope="col">What</th>
              <th scope="col">Purpose</th>
              <th scope="col">Valid</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => {
              const st = grantStatus(g);
              return (
                <tr key={g.grantId} data-grant={g.grantId}>
                  <td>{g.grantId}</td>
                  <td>
                    <Who address={g.grantee} />
                  </td>
                  <td>
                    {categoriesOfMask(g.categories)
                      .map((c) => CATEGORY_LABELS[c])
                      .join(", ")}
                  </td>
                  <td>
                    {purposesOfMask(g.purposes)
                      .map((p) => PURPOSE_LABELS[p])
                      .join(", ")}
                  </td>
                  <td>
                    {formatDate(g.notBefore * 1000)} – {formatDate(g.expiresAt * 1000)}
                  </td>
                  <td>
                    <span className={`badge ${st.kind}`}>{st.text}</span>
                  </td>
                  <td>
                    {g.active && !g.revoked ? (
                      <button
                        type="button"
                        className="button danger small"
                        disabled={busyId !== null}
                        onClick={() => void action.run(g)}
                        aria-label={`Revoke grant ${g.grantId}`}
                      >
                        {busyId === g.grantId ? "Revoking…" : "Revoke"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <ErrorText error={action.error} />
    </>
  );
}

function WritersSection({ me }: { me: Identity }) {
  const id = useId();
  const [writers, setWriters] = useState<Array<{ writer: `0x${string}` }> | null>(null);
  const [addr, setAddr] = useState("");
  const load = useCallback(() => {
    void node.writers(me.address).then(setWriters, () => setWriters([]));
  }, [me.address]);
  useEffect(load, [load]);
  const add = useAction(async () => {
    const to = addr.trim().toLowerCase();
    if (!isAddress(to, { strict: false }))
      throw new Error("enter the provider's address (0x followed by 40 hex digits)");
    await authorizeWriter(node, me.keys, to as `0x${string}`);
    setAddr("");
    load();
  });
  const remove = useAction(async (w: `0x${string}`) => {
    await revokeWriter(node, me.keys, w);
    load();
  });
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Providers who may add records</h3>
      <p className="muted">
        A provider you allow here can add records to your timeline (encrypted to you). Adding does not let them read
        anything else.
      </p>
      {writers === null ? (
        <p role="status">Loading…</p>
      ) : writers.length === 0 ? (
        <p>No provider may add records yet.</p>
      ) : (
        <ul>
          {writers.map((w) => (
            <li key={w.writer} className="row">
              <Who address={w.writer} />
              <button
                type="button"
                className="button secondary small"
                disabled={remove.busy}
                onClick={() => void remove.run(w.writer)}
                aria-label={`Stop ${w.writer} adding records`}
              >
                Stop
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add.run();
        }}
        style={{ alignItems: "flex-end" }}
      >
        <div className="field" style={{ flex: "1 1 20rem", marginBottom: 0 }}>
          <label htmlFor={id}>Allow a provider (address)</label>
          <input
            id={id}
            type="text"
            className="mono"
            value={addr}
            onChange={(e) => setAddr(e.target.value)}
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button" disabled={add.busy}>
          Allow
        </button>
      </form>
      <Busy busy={add.busy || remove.busy}>Signing and recording on the ledger…</Busy>
      <ErrorText error={add.error ?? remove.error} />
    </section>
  );
}

/** The sharing tab. */
export default function SharingPanel({
  me,
  grants,
  reloadGrants,
}: {
  me: Identity;
  grants: GrantInfo[] | null;
  reloadGrants: () => void;
}) {
  return (
    <div>
      <section className="card" aria-labelledby="addr-h">
        <h3 id="addr-h">Your medchain address</h3>
        <div className="row" style={{ alignItems: "flex-start", gap: "1rem" }}>
          <div className="qr">
            <QRCodeSVG value={me.address} size={132} title="QR code of your address" />
          </div>
          <div>
            <p>Show this code to a clinician so they can open what you share with them.</p>
            <p className="mono" data-testid="my-address">
              {me.address}
            </p>
            <button
              type="button"
              className="button secondary small"
              onClick={() => void navigator.clipboard?.writeText(me.address)}
            >
              Copy address
            </button>
          </div>
        </div>
      </section>
      <section className="card" aria-labelledby="share-h">
        <h3 id="share-h">Share your record</h3>
        <GrantForm me={me} onDone={reloadGrants} />
      </section>
      <section className="card" aria-labelledby="grants-h">
        <h3 id="grants-h">Who can see your record</h3>
        {grants === null ? (
          <p role="status">Loading…</p>
        ) : (
          <GrantsTable grants={grants} me={me} onChange={reloadGrants} />
        )}
      </section>
      <WritersSection me={me} />
    </div>
  );
}
