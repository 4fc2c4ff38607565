/**
 * Who is using the portal right now: the unlocked identity, held in memory
 * only (a reload locks it again). Every page that signs or decrypts asks for
 * it through {@link useIdentity}.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { RecordKeys } from "../../../src/kernel/accountKeys.ts";

/** An unlocked identity. */
export interface Identity {
  /** Name in the browser keystore, or "Browser wallet". */
  label: string;
  /** Lowercase address. */
  address: `0x${string}`;
  keys: RecordKeys;
  source: "keystore" | "wallet";
}

interface Session {
  identity: Identity | null;
  signIn: (identity: Identity) => void;
  lock: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [identity, setIdentity] = useState<Identity | null>(null);
  const signIn = useCallback((id: Identity) => setIdentity(id), []);
  const lock = useCallback(() => {
    setIdentity((old) => {
      old?.keys.encryptionPrivateKey.fill(0);
      return null;
    });
  }, []);
  const value = useMemo(() => ({ identity, signIn, lock }), [identity, signIn, lock]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error("useSession outside SessionProvider");
  return s;
}
