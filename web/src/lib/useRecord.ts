/**
 * Decrypts a patient's record in the browser (the SDK's exportRecord: blobs
 * checked against their CIDs, manifests against the chain, resources against
 * their commitments) and builds the timeline. Marks `medchain:record-start`
 * and `medchain:record-decrypted` for the benchmark.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import {
  exportRecord,
  type ExportRecordParameters,
  type ExportRecordResult,
} from "../../../src/records/sdk/exportRecord.ts";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";
import { buildTimeline, type Timeline } from "../fhir/timeline.ts";
import { node } from "./node.ts";

/** A loaded record. */
export interface LoadedRecord {
  result: ExportRecordResult;
  timeline: Timeline;
}

/** State of a record load. */
export interface RecordState {
  /** The last record read (kept while a new read runs; null after a failed read). */
  record: LoadedRecord | null;
  loading: boolean;
  error: unknown;
  progress: { done: number; total: number } | null;
  reload: () => void;
}

interface Outcome {
  key: string;
  record: LoadedRecord | null;
  error: unknown;
}

/** Loads `owner`'s record as `reader` (with `access` through a grant) whenever `enabled`; `reload` reads again. */
export function useRecord(
  owner: `0x${string}` | null,
  reader: RecordKeys | null,
  access?: ExportRecordParameters["access"],
  enabled = true,
): RecordState {
  const [nonce, setNonce] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [progress, setProgress] = useState<{ key: string; done: number; total: number } | null>(null);
  const accessRef = useRef(access);
  useLayoutEffect(() => {
    accessRef.current = access;
  });
  const accessKey = access === undefined ? "" : `${access.grantId}:${access.purpose}:${access.categories}`;
  const key =
    owner === null || reader === null || !enabled ? null : `${owner}|${reader.account.address}|${accessKey}|${nonce}`;
  useEffect(() => {
    if (key === null || owner === null || reader === null) return undefined;
    let cancelled = false;
    performance.mark("medchain:record-start");
    const a = accessRef.current;
    exportRecord({
      node,
      reader,
      owner,
      ...(a === undefined ? {} : { access: a }),
      onProgress: (p) => {
        if (!cancelled) setProgress({ key, ...p });
      },
    }).then(
      (result) => {
        if (cancelled) return;
        performance.mark("medchain:record-decrypted");
        setOutcome({ key, record: { result, timeline: buildTimeline(result.bundle) }, error: null });
      },
      (err: unknown) => {
        if (!cancelled) setOutcome({ key, record: null, error: err });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, owner, reader]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = outcome !== null && outcome.key === key;
  return {
    record: outcome?.record ?? null,
    loading: key !== null && !current,
    error: current ? outcome.error : null,
    progress: progress !== null && progress.key === key ? { done: progress.done, total: progress.total } : null,
    reload,
  };
}
