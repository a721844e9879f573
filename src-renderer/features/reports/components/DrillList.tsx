import { useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { displayName } from '../../../../src-shared/schema/display-name';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { formatValue } from '../../../ui/format';
import { repoOf } from '../../../ui/useRecordName';
import { SCREEN_OF } from '../format-report';

export interface Drill {
  readonly title: string;
  readonly entity: string;
  readonly ids: readonly string[];
}

const SHOWN = 200;
const DETAIL_FIELDS: Record<string, readonly string[]> = {
  deal: ['stage', 'amount', 'expectedCloseDate', 'closedAt'],
  lead: ['status', 'source', 'companyName', 'createdAt'],
  communication: ['type', 'subject', 'occurredAt'],
  task: ['status', 'dueAt', 'completedAt'],
  content: ['type', 'status', 'publishedAt'],
};

/** The records behind a number; each opens on its own screen. */
export function DrillList({ drill, onClose }: { drill: Drill; onClose: () => void }) {
  const repos = useRepos();
  const open = useNavigation((s) => s.open);
  const [records, setRecords] = useState<Record<string, unknown>[] | undefined>(undefined);
  useEffect(() => {
    setRecords(undefined);
    const repo = repoOf(repos, drill.entity);
    if (!repo) return setRecords([]);
    let live = true;
    void repo.getMany(drill.ids.slice(0, SHOWN)).then((found) => live && setRecords(found as never));
    return () => {
      live = false;
    };
  }, [repos, drill]);
  const def: EntityDef | undefined = isEntityName(drill.entity) ? getEntity(drill.entity) : undefined;
  const specs = (def?.fields ?? {}) as Readonly<Record<string, FieldSpec>>;
  const screen = SCREEN_OF[drill.entity];
  const fields = (DETAIL_FIELDS[drill.entity] ?? []).filter((f) => specs[f]);
  return (
    <section className="drill section" aria-label={`Records behind ${drill.title}`}>
      <header className="drill-head">
        <div>
          <div className="eyebrow">Records behind the number</div>
          <h3>{drill.title}</h3>
        </div>
        <span className="muted">
          {drill.ids.length > SHOWN
            ? `first ${SHOWN} of ${drill.ids.length.toLocaleString()}`
            : `${drill.ids.length} records`}
        </span>
        <button type="button" onClick={onClose} aria-label="Close the records">
          ✕
        </button>
      </header>
      {records === undefined ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="empty">No records behind this number.</p>
      ) : (
        <ul className="drill-list">
          {records.map((r) => (
            <li key={r.id as string}>
              <button type="button" disabled={!screen} onClick={() => screen && open(screen, r.id as string)}>
                <span className="drill-name">{def ? displayName(def, r) : String(r.id)}</span>
                {fields.map((f) => {
                  const spec = specs[f];
                  const value = spec && r[f] !== undefined ? formatValue(spec, r[f], r) : '';
                  return f === 'stage' || f === 'status' ? (
                    <span key={f} className={`badge badge-${String(r[f])}`}>
                      {value}
                    </span>
                  ) : (
                    <span key={f} className="muted">
                      {value}
                    </span>
                  );
                })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
