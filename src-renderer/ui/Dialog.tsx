import { type ReactNode, useEffect, useRef } from 'react';

/** The control a dialog opens on, unless one is marked data-autofocus: its body's first enabled input, choice or text area. */
export const FIRST_FIELD =
  '.dialog-body :is(input:not([type="hidden"]), select, textarea):not(:disabled):not([readonly])';

interface DialogProps {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  /** Wider dialogs for diffs and multi-record forms. */
  wide?: boolean;
}

/** A modal on the native <dialog>: focus is trapped, Escape closes, the page behind is inert. */
export function Dialog({ title, open, onClose, children, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first focusable element, the × in the header: a new task's title
      // or a new deal's name needed a Tab first (React's autoFocus runs while the dialog is closed,
      // when nothing in it can take focus). A control marked data-autofocus is chosen over the first.
      (
        dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FIRST_FIELD)
      )?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? 'dialog wide' : 'dialog'} aria-label={title} onClose={onClose}>
      {open && (
        <>
          <header className="dialog-head">
            <h2>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}
