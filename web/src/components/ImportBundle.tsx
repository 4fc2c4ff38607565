/**
 * Adds a FHIR R4 Bundle (Synthea, a transaction or collection bundle) to a
 * patient's record. The file is read, validated and encrypted here, one key
 * per resource; only ciphertext and commitments leave the browser.
 */
import { useId, useState, type FormEvent } from "react";
import { importBundle, type ImportBundleResult } from "../../../src/records/sdk/importBundle.ts";
import { parseBundleJson, validateBundle } from "../../../src/records/sdk/fhirBundle.ts";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";
import { node } from "../lib/node.ts";
import { useAction } from "../lib/useAction.ts";
import { Alert, Busy, ErrorText } from "./Alert.tsx";

const PHASES = {
  encrypt: "Encrypting in your browser",
  upload: "Uploading ciphertext",
  register: "Registering on the ledger",
} as const;

/** The import form. */
export function ImportBundle({
  owner,
  author,
  onImported,
}: {
  owner: `0x${string}`;
  author: RecordKeys;
  onImported?: (r: ImportBundleResult) => void;
}) {
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState("");
  const [done, setDone] = useState<ImportBundleResult | null>(null);
  const action = useAction(async () => {
    if (file === null) throw new Error("choose a FHIR Bundle file first");
    setDone(null);
    setStep("Checking the bundle…");
    const bundle = parseBundleJson(await file.text());
    validateBundle(bundle);
    const r = await importBundle({
      node,
      bundle,
      owner,
      author,
      onProgress: (p) => setStep(`${PHASES[p.phase]}: ${p.done} of ${p.total}`),
    });
    setDone(r);
    onImported?.(r);
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void action.run();
  };
  return (
    <form onSubmit={submit}>
      <div className="field">
        <label htmlFor={fileId}>
          FHIR Bundle (JSON){" "}
          <span className="hint">
            For example a Synthea export or a hospital's transaction bundle. It is encrypted before it leaves this
            browser.
          </span>
        </label>
        <input
          id={fileId}
          type="file"
          accept=".json,application/json,application/fhir+json"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setDone(null);
            action.clearError();
          }}
        />
      </div>
      <button type="submit" className="button" disabled={action.busy || file === null}>
        Encrypt and add to the record
      </button>
      <Busy busy={action.busy}>{step}</Busy>
      <ErrorText error={action.error} />
      {done === null ? null : (
        <Alert kind="ok">
          <p>
            {done.status === "exists" ? "This bundle was already in the record" : "Added"}: {done.resources} resources
            (batch <span className="mono">{done.batchId.slice(0, 10)}…</span>).
          </p>
        </Alert>
      )}
    </form>
  );
}
