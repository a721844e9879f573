import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * "More ▾": actions a record offers but rarely needs (a GDPR data bundle), out of its header's first
 * row. A disclosure, not a menu: what it holds are ordinary buttons that may show their own
 * progress, so they stay mounted while it is closed. Escape or a click elsewhere closes it; Escape
 * gives the focus back to the button.
 */
export function MoreActions({ children, label = 'More' }: { children: ReactNode; label?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useId();
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere inside the disclosure closes it; the controls inside are real buttons.
    <div
      className="more-actions"
      ref={root}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        // The record pane closes on Escape too; this one closes only the disclosure.
        event.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panel}
        onClick={() => setOpen((was) => !was)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div id={panel} className="more-actions-panel" hidden={!open}>
        {children}
      </div>
    </div>
  );
}
