import { getEntity } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useNavigation } from '../../../app/navigation';

const SCREEN = { task: 'tasks', lead: 'leads' } as const;

/** The first few records of a key number; each opens on its screen. */
export function RecordList({
  title,
  entity,
  records,
  detail,
  empty,
}: {
  title: string;
  entity: 'task' | 'lead';
  records: readonly Record<string, unknown>[] | undefined;
  detail: (record: Record<string, unknown>) => string;
  empty: string;
}) {
  const open = useNavigation((s) => s.open);
  return (
    <section className="dash-card" aria-label={title}>
      <h3>
        {title} {records && <span className="muted">{records.length}</span>}
      </h3>
      {records === undefined ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ul className="dash-list">
          {records.slice(0, 6).map((r) => (
            <li key={String(r.id)}>
              <button type="button" onClick={() => open(SCREEN[entity], String(r.id))}>
                <span className="dash-name">{displayName(getEntity(entity), r)}</span>
                <span className="muted">{detail(r)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
