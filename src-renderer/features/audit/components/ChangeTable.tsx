import type { ReactNode } from 'react';
import type { FieldChanges } from '../../../../src-shared/audit/audit-changes';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { formatValue } from '../../../ui/format';
import { RecordName } from '../../../ui/useRecordName';
import { type ChangeRow, changeRows } from '../audit.queries';
import { ActorName } from './ActorName';

/** Custom field labels by `kind.key`, so a custom field's change reads as its label. */
export type CustomLabels = ReadonlyMap<string, string>;

const INSERT_NOISE = new Set(['id', 'isDeleted', 'createdAt']);

const BASE_LABELS: Record<string, string> = {
  id: 'Id',
  ownerId: 'Owner',
  createdAt: 'Created',
  isDeleted: 'Deleted',
  deletedAt: 'Deleted at',
};

function specOf(kind: string, field: string): FieldSpec | undefined {
  if (!isEntityName(kind)) return undefined;
  return getEntity(kind).allFields[field] as FieldSpec | undefined;
}

export function fieldLabel(kind: string, field: string, custom: CustomLabels): string {
  if (field.startsWith('customFields.')) {
    const key = field.slice('customFields.'.length);
    return custom.get(`${kind}.${key}`) ?? key;
  }
  const [head = field, ...rest] = field.split('.');
  const label = specOf(kind, head)?.label ?? BASE_LABELS[head] ?? head;
  // Inside an object (a role's permissions) entity names read as their plural: "Permissions › Contacts › delete".
  return [label, ...rest.map((part) => (isEntityName(part) ? getEntity(part).plural : part))].join(' › ');
}

function shown(kind: string, field: string, value: unknown, context: Record<string, unknown>): ReactNode {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  const spec = field.includes('.') ? undefined : specOf(kind, field);
  if (spec?.type === 'ref' && spec.ref === 'user' && typeof value === 'string') return <ActorName id={value} />;
  if (spec?.type === 'ref' && typeof value === 'string' && spec.ref !== '*') {
    return <RecordName entity={spec.ref} id={value} />;
  }
  if (spec && spec.type !== 'json') return formatValue(spec, value, context);
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return <code title={text}>{text.length > 160 ? `${text.slice(0, 160)}…` : text}</code>;
  }
  return String(value);
}

/** The field-level before → after of one record change. */
export function ChangeTable({
  kind,
  changes,
  custom,
  emptyText = 'No field values recorded.',
}: {
  kind: string;
  changes: FieldChanges | undefined;
  custom: CustomLabels;
  emptyText?: string;
}) {
  const all: ChangeRow[] = changeRows(changes);
  // A new record: its first values, without the before column (nothing was there) or the ids and stamps.
  const created = all.length > 0 && all.every((r) => r.before === null);
  const rows = created ? all.filter((r) => !INSERT_NOISE.has(r.field)) : all;
  if (rows.length === 0) return <p className="muted audit-none">{emptyText}</p>;
  // Money is shown in the currency the record had on each side.
  const before = Object.fromEntries(rows.map((r) => [r.field, r.before]));
  const after = Object.fromEntries(rows.map((r) => [r.field, r.after]));
  if (created) {
    return (
      <table className="audit-diff audit-created">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field}>
              <th scope="row">{fieldLabel(kind, row.field, custom)}</th>
              <td className="audit-after">{shown(kind, row.field, row.after, after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <table className="audit-diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <td className="audit-arrow" />
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field}>
            <th scope="row">{fieldLabel(kind, row.field, custom)}</th>
            <td className="audit-before">{shown(kind, row.field, row.before, before)}</td>
            <td className="audit-arrow" aria-hidden="true">
              →
            </td>
            <td className="audit-after">{shown(kind, row.field, row.after, after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
