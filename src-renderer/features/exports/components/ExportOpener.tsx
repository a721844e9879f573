import { type ReactNode, useState } from 'react';
import { ExportOnDemand } from './ExportOnDemand';

export interface ExportOpenerProps {
  /** The button's tooltip: what is exported. */
  readonly title: string;
  /** Fetches the dialog's code when the pointer or focus reaches the button, so it opens at once. */
  readonly preload?: () => Promise<unknown>;
  /** The dialog, given how to close it. */
  readonly dialog: (close: () => void) => ReactNode;
}

/** The "Export…" button of a list, report or log, and its dialog while open. */
export function ExportOpener({ title, preload, dialog }: ExportOpenerProps) {
  const [open, setOpen] = useState(false);
  const warm = preload ? () => void preload().catch(() => {}) : undefined;
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        onPointerEnter={warm}
        onFocus={warm}
        aria-haspopup="dialog"
        title={title}
      >
        Export…
      </button>
      {open && <ExportOnDemand>{dialog(() => setOpen(false))}</ExportOnDemand>}
    </>
  );
}
