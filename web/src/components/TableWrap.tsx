/** A table that scrolls sideways on narrow screens; keyboard users can focus it to scroll (WCAG 2.1.1). */
import type { ReactNode } from "react";

/** Wraps a wide table. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
