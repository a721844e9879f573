import type { FieldChanges } from '../../../../src-shared/audit/audit-changes';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { useNavigation } from '../../../app/navigation';
import { formatValue } from '../../../ui/format';
import { RecordName } from '../../../ui/useRecordName';
import { changeRows, recordChangesOf } from '../audit.queries';
import { recordRoute } from '../audit-links';
import { type AuditOrigin, originText } from '../merge-audit';
import { ActorName } from './ActorName';
import { ChangeTable, type CustomLabels, fieldLabel } from './ChangeTable';

type Entry = Record<string, unknown> & { id: string };

const ACTION_TEXT: Record<string, string> = {
  insert: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  restore: 'Restored',
  purge: 'Removed',
  batch: 'Bulk write',
  conflict: 'Conflict',
  merge: 'Merged',
};

const ACTION_BADGE: Record<string, string> = {
  insert: 'badge-new',
  update: 'badge-proposal',
  delete: 'badge-lost',
  purge: 'badge-lost',
  restore: 'badge-active',
  merge: 'badge-qualified',
  conflict: 'badge-hot',
};

export const actionText = (action: string) => ACTION_TEXT[action] ?? action;

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function kindLabel(kind: string): string {
  return isEntityName(kind) ? getEntity(kind).label : kind;
}

/** The changed fields in a few words: "Label", "Job title, Phone and 2 more". */
function changedSummary(kind: string, changes: FieldChanges | undefined, custom: CustomLabels): string {
  const heads = [
    ...new Set(
      changeRows(changes).map((r) =>
        r.field.startsWith('customFields.') ? r.field : (r.field.split('.')[0] ?? r.field),
      ),
    ),
  ];
  const labels = heads.map((f) => fieldLabel(kind, f, custom));
  if (labels.length === 0) return '';
  if (labels.length <= 3) return labels.join(', ');
  return `${labels.slice(0, 2).join(', ')} and ${labels.length - 2} more`;
}

/**
 * One audit entry: a summary line (action, record, who, when) that opens to the field-level
 * before → after diff. A native <details>, so Enter/Space on the summary opens it.
 */
export function AuditEntry({
  entry,
  custom,
  showRecord,
  origin,
}: {
  entry: Entry;
  custom: CustomLabels;
  showRecord: boolean;
  /** Where the entry comes from; unsaid when the list has a single source. */
  origin?: AuditOrigin;
}) {
  const action = String(entry.action);
  const kind = String(entry.entityKind);
  const records = recordChangesOf(entry);
  const first = records[0];
  const count = Number(entry.recordCount ?? records.length);
  const go = useNavigation((s) => s.go);
  // A bulk write narrowed to one record (its trail) reads as that record's change.
  const fieldsSummary = (what: string) =>
    what === 'batch' ? '' : what === 'insert' ? 'new record' : changedSummary(kind, first?.changes, custom);
  const route = showRecord ? recordRoute(kind, String(entry.entityId)) : undefined;
  return (
    <details className="audit-entry">
      <summary>
        <span className={`badge ${ACTION_BADGE[action] ?? ''}`}>{actionText(action)}</span>
        {showRecord && (
          <span className="audit-record">
            <span className="muted">{kindLabel(kind)}</span>{' '}
            {action === 'batch' ? (
              `${count.toLocaleString()} ${count === 1 ? 'record' : 'records'}`
            ) : (
              <RecordNameOrId kind={kind} id={String(entry.entityId)} />
            )}
          </span>
        )}
        <span className="audit-summary-fields muted">
          {fieldsSummary(action === 'batch' && records.length === 1 ? String(first?.action) : action)}
        </span>
        <span className="spacer" />
        {origin && (
          <span className={`audit-origin audit-origin-${origin}`} title={originText(origin, entry).title}>
            {originText(origin, entry).label}
          </span>
        )}
        <span className="audit-who">
          <ActorName id={String(entry.actorId)} />
        </span>
        <time className="muted" dateTime={String(entry.at)}>
          {when.format(new Date(String(entry.at)))}
        </time>
      </summary>
      <div className="audit-body">
        <div className="audit-meta-row">
          <p className="muted audit-meta">
            {`Source ${formatValue({ type: 'enum' }, entry.source, {})} · device ${String(entry.deviceId)} · record ${String(entry.entityId)}`}
            {typeof entry.reason === 'string' && entry.reason !== '' ? ` · ${entry.reason}` : ''}
          </p>
          {route && action !== 'batch' && action !== 'purge' && (
            <button type="button" className="link-button" onClick={() => go(route)}>
              Open record
            </button>
          )}
        </div>
        {action === 'batch' ? (
          <ul className="audit-batch">
            {records.slice(0, 50).map((change) => (
              <li key={change.id} className="audit-batch-item">
                <span className="badge">{actionText(change.action)}</span> {kindLabel(change.kind)}{' '}
                <RecordNameOrId kind={change.kind} id={change.id} />
                {Object.keys(change.changes ?? {}).length > 0 && (
                  <ChangeTable kind={change.kind} changes={change.changes} custom={custom} />
                )}
              </li>
            ))}
            {records.length > 50 && <li className="muted">…and {(records.length - 50).toLocaleString()} more</li>}
          </ul>
        ) : (
          <ChangeTable
            kind={kind}
            changes={first?.changes}
            custom={custom}
            emptyText={
              action === 'insert' ? 'Created with the values it still shows (not copied into the log).' : undefined
            }
          />
        )}
      </div>
    </details>
  );
}

function RecordNameOrId({ kind, id }: { kind: string; id: string }) {
  return (
    <strong>
      <RecordName entity={kind} id={id} />
    </strong>
  );
}
