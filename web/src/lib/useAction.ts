/** Runs a user action with busy / error / done state (one at a time). */
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { errorMessage } from "./format.ts";

/** State and runner of an action. */
export interface Action<A extends unknown[]> {
  busy: boolean;
  error: string | null;
  run: (...args: A) => Promise<void>;
  clearError: () => void;
}

/** Wraps `fn` so the UI can show progress and a readable error. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await ref.current(...args);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
