import type { ReactNode } from 'react';

export interface ListToolbarProps {
  /** The list's heading, e.g. "Contacts". */
  title: string;
  /** The count line (listCountText): announced politely as it changes; empty while counting. */
  count: string;
  /** The filters, placed after the count. */
  filters?: ReactNode;
  /** Actions at the far end before New (view switches, Export…). */
  actions?: ReactNode;
  /** The New button's text, e.g. "New contact"; no button without it (no create permission). */
  newLabel?: string;
  onNew?: () => void;
}

/** The bar above a list: heading, count, filters, then (pushed right) actions and New. */
export function ListToolbar({ title, count, filters, actions, newLabel, onNew }: ListToolbarProps) {
  return (
    <div className="toolbar">
      <h2>{title}</h2>
      <span className="muted count" aria-live="polite">
        {count}
      </span>
      {filters}
      <span className="spacer" />
      {/* One group, so that a wrapped toolbar keeps Export… and New together on the right. */}
      <span className="toolbar-actions">
        {actions}
        {newLabel && onNew && (
          <button type="button" className="primary" onClick={onNew}>
            {newLabel}
          </button>
        )}
      </span>
    </div>
  );
}
