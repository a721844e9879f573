import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { useCan, useRepos } from '../../../app/crm-context';
import type { EntityRepository, Equality } from '../../../db/entity-repository';
import { CreateRecordDialog } from '../../../ui/CreateRecordDialog';
import { listCountText } from '../../../ui/count-text';
import { EnumFilter } from '../../../ui/EnumFilter';
import { useCustomFields } from '../../../ui/RecordForm';
import { usePagedList } from '../../../ui/usePagedList';
import { VirtualTable } from '../../../ui/VirtualTable';
import { OwnerFilter } from '../../contacts';
import { ExportButton } from '../../exports';
import { columnsFor } from '../../records';

const company = getEntity('company');
const COLUMNS = ['name', 'type', 'industry', 'status', 'city', 'country', 'employeeCount', 'ownerId'];
/** The columns beside an open record, where the list has half the width. */
const COMPACT = ['name', 'type', 'status'];
type Row = Record<string, unknown> & { id: string };

/**
 * Every company, newest first, filtered by status, owner (both served by the companies' declared
 * indexes) and type (matched within that index's range: companies declare no type index).
 */
export function CompanyList({
  selectedId,
  onOpen,
  compact = false,
}: {
  selectedId?: string;
  onOpen: (id: string) => void;
  compact?: boolean;
}) {
  const repo = useRepos().company;
  const canCreate = useCan('company', 'create');
  const customDefs = useCustomFields(company);
  const [filters, setFilters] = useState<{ status?: string; type?: string; ownerId?: string }>({});
  const [creating, setCreating] = useState(false);
  const where = useMemo(() => {
    const w: Record<string, Equality> = {};
    for (const [k, v] of Object.entries(filters)) if (v) w[k] = v;
    return w;
  }, [filters]);
  const { rows, total, totalCapped, loadMore } = usePagedList(repo, { where });
  const columns = useMemo(() => {
    const cols = columnsFor(
      company,
      compact ? COMPACT : COLUMNS,
      compact ? [] : customDefs.filter((d) => d.fieldType !== 'text'),
    );
    const name = cols[0];
    if (name) {
      cols[0] = {
        ...name,
        width: '1.8fr',
        render: (row) => (
          <span className="name-cell">
            <strong>{String(row.name)}</strong>
            {typeof row.domain === 'string' && <span className="muted"> {row.domain}</span>}
          </span>
        ),
      };
    }
    return cols;
  }, [customDefs, compact]);
  const set = (key: 'status' | 'type' | 'ownerId') => (value: string) =>
    setFilters((f) => ({ ...f, [key]: value || undefined }));

  return (
    <section className="entity-list" aria-label="Companies">
      <div className="toolbar">
        <h2>Companies</h2>
        <span className="muted count" aria-live="polite">
          {listCountText(total, totalCapped, 'company', 'companies')}
        </span>
        <EnumFilter
          entity={company}
          field="type"
          anyLabel="All types"
          value={filters.type ?? ''}
          onChange={set('type')}
        />
        <EnumFilter
          entity={company}
          field="status"
          anyLabel="All statuses"
          value={filters.status ?? ''}
          onChange={set('status')}
        />
        <OwnerFilter value={filters.ownerId ?? ''} onChange={set('ownerId')} />
        <span className="spacer" />
        <ExportButton entity="company" title="Companies" columns={columns.map((c) => c.key)} where={where} />
        {canCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New company
          </button>
        )}
      </div>
      <VirtualTable
        label="Companies"
        rows={rows as Row[] | undefined}
        columns={columns}
        onEndReached={loadMore}
        onOpen={(row) => onOpen(row.id)}
        selectedId={selectedId}
        empty={<p>No companies match these filters.</p>}
      />
      <CreateRecordDialog
        entity={company}
        repo={repo as unknown as EntityRepository<EntityDef>}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={onOpen}
      />
    </section>
  );
}
