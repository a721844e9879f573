import { type ReactNode, useState } from 'react';
import { type DocumentEntityName, getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { displayName } from '../../../../src-shared/schema/display-name';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useRepos } from '../../../app/crm-context';
import type { EntityRepository } from '../../../db/entity-repository';
import { Dialog } from '../../../ui/Dialog';
import { editDraftPlace } from '../../../ui/form-drafts.store';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { RecordAuditTrail } from '../../audit';
import { FieldCell, useRecord } from '../../records';

export type Row = Record<string, unknown> & { id: string };
type Values = Record<string, unknown>;

interface SettingsDetailProps {
  entity: DocumentEntityName;
  id: string;
  onClose: () => void;
  /** Fields shown, in order. */
  fields: readonly string[];
  /** The edit form: its fields, the values it starts from and the write (a settings service). */
  edit?: {
    fields: readonly string[];
    initial?: (record: Row) => Values;
    save: (id: string, values: Values) => Promise<unknown>;
    /** Whether this record may be edited at all (e.g. not a built-in role); default yes. */
    allowed?: (record: Row) => boolean;
  };
  /** The record as shown (e.g. with secrets masked). */
  shown?: (record: Row) => Row;
  badges?: (record: Row) => ReactNode;
  actions?: (record: Row) => ReactNode;
  children?: (record: Row) => ReactNode;
}

/** One settings record: its fields, Edit for those allowed, area-specific actions and sections, its history. */
export function SettingsDetail({
  entity: name,
  id,
  onClose,
  fields,
  edit,
  shown = (r) => r,
  badges,
  actions,
  children,
}: SettingsDetailProps) {
  const entity = getEntity(name);
  const repo = useRepos()[name] as unknown as EntityRepository<EntityDef>;
  const record = useRecord(repo, id) as Row | null | undefined;
  const canUpdate = useCan(name, 'update');
  const [editing, setEditing] = useState(false);
  if (record === undefined) return <p className="muted pad">Loading…</p>;
  if (record === null) return <p className="empty pad">This {entity.label.toLowerCase()} is not on this device.</p>;
  const view = shown(record);
  return (
    <article className="record-detail" aria-label={`${entity.label} ${displayName(entity, record)}`}>
      <header className="detail-head">
        <div>
          <p className="eyebrow">{entity.label}</p>
          <h2>{displayName(entity, record)}</h2>
          <div className="settings-badges">
            {record.isDeleted === true && <span className="badge badge-lost">Deleted</span>}
            {badges?.(record)}
          </div>
        </div>
        <div className="detail-actions">
          {actions?.(record)}
          {edit && canUpdate && !record.isDeleted && (edit.allowed?.(record) ?? true) && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
      </header>
      <dl className="field-list">
        {fields.map((field) => {
          const spec = entity.allFields[field] as FieldSpec;
          const value = view[field];
          if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
          const wide = spec.type === 'text' || spec.type === 'json';
          return (
            <div key={field} className={wide ? 'wide' : undefined}>
              <dt>{spec.label ?? field}</dt>
              <dd>
                {spec.type === 'json' ? (
                  <pre className="settings-json">{JSON.stringify(value, null, 2)}</pre>
                ) : (
                  <FieldCell field={spec} value={value} record={view} />
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {children?.(record)}
      <RecordAuditTrail entity={name} recordId={id} />
      {edit && (
        <Dialog title={`Edit ${entity.label.toLowerCase()}`} open={editing} onClose={() => setEditing(false)}>
          <RecordForm
            entity={entity}
            fields={edit.fields}
            initial={edit.initial ? edit.initial(record) : record}
            submitLabel="Save"
            draftPlace={editDraftPlace(entity.name, id)}
            onCancel={() => setEditing(false)}
            onSubmit={async (values) => {
              await edit.save(id, values);
              setEditing(false);
              toast({ tone: 'success', message: `${entity.label} saved.` });
            }}
          />
        </Dialog>
      )}
    </article>
  );
}
