import { type ReactNode, useState } from 'react';
import { type DocumentEntityName, getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { displayName } from '../../../src-shared/schema/display-name';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { useCan, useRepos } from '../../app/crm-context';
import type { EntityRepository } from '../../db/entity-repository';
import { Dialog } from '../../ui/Dialog';
import { editDraftPlace } from '../../ui/form-drafts.store';
import { formatValue } from '../../ui/format';
import { MoreActions } from '../../ui/MoreActions';
import { customFieldSpec, editableFields, RecordForm, useCustomFields } from '../../ui/RecordForm';
import { toast } from '../../ui/toasts';
import { RecordAuditTrail } from '../audit';
import { CloseButton, DeleteRestoreClose } from './DeleteRestoreClose';
import { FieldCell } from './record-columns';
import { useRecord } from './useRecord';

interface RecordDetailProps {
  entity: DocumentEntityName;
  id: string;
  onClose?: () => void;
  /** Fields shown and edited; default every editable field. */
  fields?: readonly string[];
  /** Fields of the Edit form when they differ from those shown (e.g. a deal's stage moves by its own action); default `fields`. */
  editFields?: readonly string[];
  /** Buttons beside Edit/Delete (e.g. Convert). */
  actions?: ReactNode;
  /** Actions rarely needed (e.g. the data bundle), behind "More" beside them. */
  moreActions?: ReactNode;
  /** Sections below the fields (timeline, related records). */
  children?: ReactNode;
  /** Content between the header and the fields (e.g. a lead's score and its reasons). */
  summary?: ReactNode;
  /** The heading; default the registry's display name (e.g. a communication's subject instead of "call Pricing"). */
  title?: string;
}

type Row = Record<string, unknown> & { id: string };

/** One record: its fields and custom fields, Edit (registry form), Delete with Undo, Restore. */
export function RecordDetail({
  entity: name,
  id,
  onClose,
  fields,
  editFields,
  actions,
  moreActions,
  children,
  summary,
  title,
}: RecordDetailProps) {
  const entity = getEntity(name);
  const repo = useRepos()[name] as unknown as EntityRepository<EntityDef>;
  const record = useRecord(repo, id) as Row | null | undefined;
  const canUpdate = useCan(name, 'update');
  const canDelete = useCan(name, 'delete');
  const customDefs = useCustomFields(entity);
  const [editing, setEditing] = useState(false);
  const shown = fields ?? editableFields(entity);

  if (record === undefined) return <p className="muted pad">Loading…</p>;
  if (record === null)
    return (
      <div className="empty pad">
        <p>This {entity.label.toLowerCase()} is not on this device (deleted, or outside your access).</p>
      </div>
    );
  const custom = (record.customFields ?? {}) as Record<string, unknown>;
  return (
    <article className="record-detail" aria-label={`${entity.label} ${displayName(entity, record)}`}>
      <header className="detail-head">
        <div>
          <p className="eyebrow">{entity.label}</p>
          <h2>{title ?? displayName(entity, record)}</h2>
          {record.isDeleted === true && <p className="badge badge-lost">Deleted</p>}
        </div>
        <div className="detail-actions">
          {actions}
          {moreActions && <MoreActions>{moreActions}</MoreActions>}
          {canUpdate && !record.isDeleted && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <DeleteRestoreClose
            repo={repo}
            id={id}
            isDeleted={record.isDeleted === true}
            canUpdate={canUpdate}
            canDelete={canDelete}
          />
        </div>
        {/* Apart from the actions, so it stays top right however they wrap. */}
        {onClose && <CloseButton onClose={onClose} />}
      </header>
      {summary}
      <dl className="field-list">
        {[...shown, 'ownerId', 'updatedAt'].map((field) => {
          const spec = entity.allFields[field] as FieldSpec;
          const value = record[field];
          if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
          return (
            <div key={field} className={spec.type === 'text' ? 'wide' : undefined}>
              <dt>{field === 'ownerId' ? 'Owner' : (spec.label ?? field)}</dt>
              <dd>
                <FieldCell field={spec} value={value} record={record} />
              </dd>
            </div>
          );
        })}
        {customDefs.map((def) =>
          custom[def.key] === undefined ? null : (
            <div key={def.key}>
              <dt>{def.label}</dt>
              <dd>{formatValue(customFieldSpec(def), custom[def.key], record)}</dd>
            </div>
          ),
        )}
      </dl>
      {children}
      <RecordAuditTrail entity={name} recordId={id} />
      <Dialog title={`Edit ${entity.label.toLowerCase()}`} open={editing} onClose={() => setEditing(false)}>
        <RecordForm
          entity={entity}
          fields={editFields ?? fields}
          initial={record}
          submitLabel="Save"
          draftPlace={editDraftPlace(name, id)}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await repo.update(id, values as never);
            setEditing(false);
            toast({ tone: 'success', message: `${entity.label} saved.` });
          }}
        />
      </Dialog>
    </article>
  );
}
