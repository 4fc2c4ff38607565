/** Status messages: errors are announced to screen readers (role=alert), progress politely (role=status). */
import type { ReactNode } from "react";

/** A coloured message box. */
export function Alert({
  kind,
  children,
  title,
}: {
  kind: "info" | "ok" | "bad" | "warn";
  children: ReactNode;
  title?: string;
}) {
  return (
    <div className={`alert ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {title === undefined ? null : (
        <p>
          <strong>{title}</strong>
        </p>
      )}
      {children}
    </div>
  );
}

/** An error line if there is one. */
export function ErrorText({ error }: { error: string | null }) {
  return error === null ? null : (
    <Alert kind="bad">
      <p>{error}</p>
    </Alert>
  );
}

/** A polite progress line while busy. */
export function Busy({ busy, children }: { busy: boolean; children: ReactNode }) {
  return busy ? (
    <p role="status" className="muted">
      {children}
    </p>
  ) : null;
}
