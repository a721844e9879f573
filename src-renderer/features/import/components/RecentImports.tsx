import { useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { useRepos } from '../../../app/crm-context';
import { toast } from '../../../ui/toasts';
import type { ImportJournal, JournalStore } from '../import-journal';
import { undoImport } from '../run-import';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** This device's last imports, each with Undo (records it created deleted, records it updated restored). */
export function RecentImports({ journal, version }: { journal: JournalStore; version: number }) {
  const repos = useRepos();
  const [busy, setBusy] = useState<string>();
  const [, setTick] = useState(0);
  const list = journal.list();
  void version;
  if (list.length === 0) return null;
  const undo = async (entry: ImportJournal) => {
    setBusy(entry.batchId);
    try {
      const { deleted, restored } = await undoImport(repos, entry, journal);
      toast({ tone: 'success', message: `Import undone: ${deleted} deleted, ${restored} restored` });
    } catch (e) {
      toast({ tone: 'error', message: `Undo failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(undefined);
      setTick((t) => t + 1);
    }
  };
  return (
    <section className="section import-history" aria-labelledby="import-history-title">
      <h3 id="import-history-title">Recent imports on this device</h3>
      <ul>
        {list.map((entry) => (
          <li key={entry.batchId}>
            <span>
              <strong>{entry.fileName}</strong> · {getEntity(entry.entity).plural} · {entry.created} created,{' '}
              {entry.updates.length} updated · <span className="muted">{when.format(new Date(entry.at))}</span>
            </span>
            {entry.undoneAt ? (
              <span className="badge badge-inactive">Undone</span>
            ) : (
              <button type="button" disabled={busy !== undefined} onClick={() => void undo(entry)}>
                {busy === entry.batchId ? 'Undoing…' : 'Undo import'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
