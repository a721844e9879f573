import { useState } from 'react';
import { toast } from '../../../ui/toasts';
import { useReportsUi } from '../reports.store';

/** Saved report definitions (name, report, filters), kept on this device. */
export function SavedReports({ reportId, onOpen }: { reportId: string; onOpen: (reportId: string) => void }) {
  const saved = useReportsUi((s) => s.saved);
  const save = useReportsUi((s) => s.save);
  const remove = useReportsUi((s) => s.remove);
  const setFilters = useReportsUi((s) => s.setFilters);
  const [name, setName] = useState('');
  return (
    <div className="report-group saved-reports">
      <div className="eyebrow">Saved reports</div>
      {saved.length === 0 && <p className="muted small">Save the report and filters on screen to come back to them.</p>}
      <ul>
        {saved.map((s) => (
          <li key={s.id} className="saved-item">
            <button
              type="button"
              onClick={() => {
                setFilters(s.filters);
                onOpen(s.reportId);
              }}
            >
              ★ {s.name}
            </button>
            <button
              type="button"
              className="icon"
              aria-label={`Delete saved report ${s.name}`}
              onClick={() => remove(s.id)}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <form
        className="save-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) {
            toast({ tone: 'error', message: 'Name: give the saved report a name' });
            return;
          }
          const entry = save(name, reportId);
          setName('');
          toast({ tone: 'success', message: `Saved “${entry.name}”` });
        }}
      >
        <input
          aria-label="Saved report name"
          placeholder="Name this view…"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">Save</button>
      </form>
    </div>
  );
}
