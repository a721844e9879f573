import { type ReactNode, useMemo, useState } from 'react';
import { type DocumentEntityName, getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { useCan, useRepos } from '../../app/crm-context';
import type { EntityRepository, Equality } from '../../db/entity-repository';
import { listCountText } from '../../ui/count-text';
import { Dialog } from '../../ui/Dialog';
import { formatValue } from '../../ui/format';
import { RecordForm, useCustomFields } from '../../ui/RecordForm';
import { toast } from '../../ui/toasts';
import { usePagedList } from '../../ui/usePagedList';
import { VirtualTable } from '../../ui/VirtualTable';
import { ExportButton } from '../exports';
import { columnsFor, defaultColumnFields } from './record-columns';

interface EntityListProps {
  entity: DocumentEntityName;
  /** Columns (declared fields); default: display fields and a few short ones. */
  columns?: readonly string[];
  /** Enum fields offered as filters above the list. */
  filters?: readonly string[];
  /** Fixed filters (e.g. the records of one parent). */
  where?: Record<string, Equality>;
  /** Defaults of a record created from here (e.g. the parent's id). */
  defaults?: Record<string, unknown>;
  /** Fields of the create form; default: every editable field. */
  formFields?: readonly string[];
  /** Creates the record from the form's values and returns its id; default: the repository's create. */
  onCreate?: (values: Record<string, unknown>) => Promise<string>;
  onOpen?: (id: string) => void;
  selectedId?: string;
  /** Extra toolbar content (view switches, actions). */
  toolbar?: ReactNode;
  /** Offers "Export…" with the columns and filters on screen (default: yes). */
  exportable?: boolean;
  title?: string;
}

/**
 * A live, virtualised, index-paged list of one entity with enum filters, a count, and a New button
 * that opens the registry form. The building block of every list screen.
 */
export function EntityList({
  entity: name,
  columns,
  filters = [],
  where = {},
  defaults,
  formFields,
  onCreate,
  onOpen,
  selectedId,
  toolbar,
  exportable = true,
  title,
}: EntityListProps) {
  const entity = getEntity(name);
  const repo = useRepos()[name] as unknown as EntityRepository<EntityDef>;
  const canCreate = useCan(name, 'create');
  const customDefs = useCustomFields(entity);
  const [filterValues, setFilterValues] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);
  const activeWhere = useMemo(() => {
    const w: Record<string, Equality> = { ...where };
    for (const [k, v] of Object.entries(filterValues)) if (v !== '') w[k] = v;
    return w;
  }, [where, filterValues]);
  const { rows, total, totalCapped, loadMore } = usePagedList(repo, { where: activeWhere });
  const tableColumns = useMemo(
    () =>
      columnsFor(
        entity,
        columns ?? defaultColumnFields(entity),
        customDefs.filter((d) => d.fieldType !== 'text'),
      ),
    [entity, columns, customDefs],
  );
  const heading = title ?? entity.plural;
  return (
    <section className="entity-list" aria-label={heading}>
      <div className="toolbar">
        <h2>{heading}</h2>
        <span className="muted count" aria-live="polite">
          {listCountText(total, totalCapped, entity.label.toLowerCase(), entity.plural.toLowerCase())}
        </span>
        {filters.map((field) => {
          const spec = entity.allFields[field] as FieldSpec;
          return (
            <label key={field} className="filter">
              <span className="sr-only">{spec.label ?? field}</span>
              <select
                value={filterValues[field] ?? ''}
                onChange={(e) => setFilterValues((s) => ({ ...s, [field]: e.target.value }))}
                aria-label={`Filter by ${spec.label ?? field}`}
              >
                <option value="">{`All ${(spec.label ?? field).toLowerCase()}`}</option>
                {(spec.values ?? []).map((v) => (
                  <option key={v} value={v}>
                    {formatValue(spec, v, {})}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
        <span className="spacer" />
        {toolbar}
        {exportable && (
          <ExportButton entity={name} title={heading} columns={tableColumns.map((c) => c.key)} where={activeWhere} />
        )}
        {canCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New {entity.label.toLowerCase()}
          </button>
        )}
      </div>
      <VirtualTable
        label={heading}
        rows={rows as (Record<string, unknown> & { id: string })[] | undefined}
        columns={tableColumns}
        onEndReached={loadMore}
        onOpen={onOpen ? (row) => onOpen(row.id) : undefined}
        selectedId={selectedId}
        empty={<p>No {entity.plural.toLowerCase()} match.</p>}
      />
      <Dialog title={`New ${entity.label.toLowerCase()}`} open={creating} onClose={() => setCreating(false)}>
        <RecordForm
          entity={entity}
          fields={formFields}
          initial={defaults}
          submitLabel={`Create ${entity.label.toLowerCase()}`}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const id = onCreate ? await onCreate(values) : String((await repo.create(values as never)).id);
            setCreating(false);
            toast({ tone: 'success', message: `${entity.label} created.` });
            onOpen?.(id);
          }}
        />
      </Dialog>
    </section>
  );
}
