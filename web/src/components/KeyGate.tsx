/**
 * Create, unlock or connect the keys a page needs. Keys are made and kept in
 * this browser (sealed under the passphrase in IndexedDB) or stay in an
 * injected wallet; only the public encryption key is published on chain
 * (gasless: signed here, relayed by the node).
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { publishEncryptionKey } from "../../../src/accounts/sdk/publishEncryptionKey.ts";
import { toHex } from "../../../src/kernel/crypto/bytes.ts";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";
import { node } from "../lib/node.ts";
import { createIdentity, listIdentities, unlockIdentity, type StoredIdentity } from "../lib/keystore.ts";
import { connectWallet, hasInjectedWallet } from "../lib/wallet.ts";
import { useSession, type Identity } from "../lib/session.tsx";
import { useAction } from "../lib/useAction.ts";
import { Busy, ErrorText } from "./Alert.tsx";

/** Publishes the encryption key unless the chain already has this one. */
async function ensurePublished(keys: RecordKeys): Promise<void> {
  const info = await node.account(keys.account.address);
  if (info.encryptionKey?.toLowerCase() === toHex(keys.encryptionPublicKey).toLowerCase()) return;
  await publishEncryptionKey(node, keys);
}

function identityOf(label: string, keys: RecordKeys, source: Identity["source"]): Identity {
  return { label, address: keys.account.address.toLowerCase() as `0x${string}`, keys, source };
}

type Mode = "unlock" | "create" | "wallet";

/** Renders `children` once an identity is unlocked; otherwise the create/unlock forms. */
export function KeyGate({ children, who, title }: { children: ReactNode; who: string; title: string }) {
  const { identity } = useSession();
  if (identity !== null) return <>{children}</>;
  return (
    <>
      <h1>{title}</h1>
      <KeyForms who={who} />
    </>
  );
}

function KeyForms({ who }: { who: string }) {
  const { signIn } = useSession();
  const [stored, setStored] = useState<StoredIdentity[] | null>(null);
  const [mode, setMode] = useState<Mode>("create");
  const [name, setName] = useState("");
  const [pass, setPass] = useState("");
  const [pass2, setPass2] = useState("");
  const [step, setStep] = useState("");
  const ids = { name: useId(), pass: useId(), pass2: useId(), pick: useId() };

  useEffect(() => {
    void listIdentities().then((list) => {
      setStored(list);
      if (list.length > 0) {
        setMode("unlock");
        setName(list[0]?.name ?? "");
      }
    });
  }, []);

  const action = useAction(async (m: Mode) => {
    let keys: RecordKeys;
    let label = name.trim();
    if (m === "create") {
      if (pass !== pass2) throw new Error("the two passphrases differ");
      setStep("Creating your keys (the passphrase is stretched, this takes a moment)…");
      keys = await createIdentity(label, pass);
    } else if (m === "unlock") {
      setStep("Unlocking…");
      keys = await unlockIdentity(label, pass);
    } else {
      setStep("Waiting for your wallet…");
      keys = await connectWallet();
      label = "Browser wallet";
    }
    setStep("Publishing your public encryption key (no fee)…");
    await ensurePublished(keys);
    setPass("");
    setPass2("");
    signIn(identityOf(label, keys, m === "wallet" ? "wallet" : "keystore"));
  });

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void action.run(mode);
  };
  if (stored === null) return <p role="status">Loading your keys…</p>;
  const tabs: Array<[Mode, string]> = [
    ...(stored.length > 0 ? [["unlock", "Unlock my keys"] as [Mode, string]] : []),
    ["create", "Create new keys"],
    ...(hasInjectedWallet() ? [["wallet", "Use a browser wallet"] as [Mode, string]] : []),
  ];
  return (
    <section className="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">Your keys</h2>
      <p className="muted">
        {who} Your keys are created and kept in this browser, sealed with your passphrase; they never leave it, and the
        node never sees your records in the clear.
      </p>
      <div className="tabs" role="tablist" aria-label="How to get your keys">
        {tabs.map(([m, label]) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            onClick={() => {
              setMode(m);
              action.clearError();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {mode === "wallet" ? (
        <form onSubmit={submit}>
          <p>
            Your wallet signs every request; it is asked once to sign a statement from which your record encryption key
            is derived.
          </p>
          <button className="button" type="submit" disabled={action.busy}>
            Connect wallet
          </button>
        </form>
      ) : (
        <form onSubmit={submit} noValidate>
          {mode === "unlock" ? (
            <div className="field">
              <label htmlFor={ids.pick}>Identity</label>
              <select id={ids.pick} value={name} onChange={(e) => setName(e.target.value)}>
                {stored.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name} ({s.address.slice(0, 8)}…)
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div className="field">
              <label htmlFor={ids.name}>
                Name for these keys{" "}
                <span className="hint">Only stored in this browser, e.g. "Alice" or "Dr Smith".</span>
              </label>
              <input
                id={ids.name}
                type="text"
                autoComplete="username"
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.pass}>
              Passphrase{" "}
              {mode === "create" ? (
                <span className="hint">
                  At least 8 characters. It cannot be recovered: without it the keys stay locked.
                </span>
              ) : null}
            </label>
            <input
              id={ids.pass}
              type="password"
              autoComplete={mode === "create" ? "new-password" : "current-password"}
              value={pass}
              onChange={(e) => setPass(e.target.value)}
              required
              minLength={8}
            />
          </div>
          {mode === "create" ? (
            <div className="field">
              <label htmlFor={ids.pass2}>Passphrase again</label>
              <input
                id={ids.pass2}
                type="password"
                autoComplete="new-password"
                value={pass2}
                onChange={(e) => setPass2(e.target.value)}
                required
                minLength={8}
              />
            </div>
          ) : null}
          <button className="button" type="submit" disabled={action.busy}>
            {mode === "create" ? "Create keys" : "Unlock"}
          </button>
        </form>
      )}
      <Busy busy={action.busy}>{step}</Busy>
      <ErrorText error={action.error} />
    </section>
  );
}
