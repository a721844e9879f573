import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { Equality } from '../../../db/entity-repository';
import { EnumFilter } from '../../../ui/EnumFilter';
import { OwnerFilter } from '../../contacts';
import { ExportButton, useListExportColumns } from '../../exports';
import { EntityList } from '../../records';

const company = getEntity('company');
const COLUMNS = ['name', 'type', 'industry', 'status', 'city', 'country', 'employeeCount', 'ownerId'];
/** The columns beside an open record, where the list has half the width. */
const COMPACT = ['name', 'type', 'status'];
/**
 * The file's columns: the name column's name and domain as fields of their own, then the wide
 * list's columns, beside an open company too (the list then shows three).
 */
const EXPORT_COLUMNS = ['name', 'domain', ...COLUMNS.slice(1)];
/** The first column shows the name and the web domain. */
const NAME_COLUMN = {
  width: '1.8fr',
  render: (row: Record<string, unknown>) => (
    <span className="name-cell">
      <strong>{String(row.name)}</strong>
      {typeof row.domain === 'string' && <span className="muted"> {row.domain}</span>}
    </span>
  ),
};
type Filter = 'status' | 'type' | 'ownerId';
const ENUM_FILTERS = [
  ['type', 'All types'],
  ['status', 'All statuses'],
] as const;

/**
 * Every company, newest first, filtered by status, owner (both served by the companies' declared
 * indexes) and type (matched within that index's range: companies declare no type index).
 */
export function CompanyList(props: { selectedId?: string; onOpen: (id: string) => void; compact?: boolean }) {
  const [filters, setFilters] = useState<Partial<Record<Filter, string>>>({});
  const where = useMemo(() => {
    const w: Record<string, Equality> = {};
    for (const [k, v] of Object.entries(filters)) if (v) w[k] = v;
    return w;
  }, [filters]);
  // Every other status (and all of them), the other filters as chosen: read while idle. Not the
  // type: no index serves it, so its first page may walk a long range.
  const readAhead = useMemo(
    () =>
      ['', ...(company.fields.status.values ?? [])]
        .filter((status) => status !== (filters.status ?? ''))
        .map((status) => {
          const { status: _status, ...rest } = where;
          return status ? { ...rest, status } : rest;
        }),
    [where, filters.status],
  );
  const exportColumns = useListExportColumns(company, EXPORT_COLUMNS);
  const set = (key: Filter) => (value: string) => setFilters((f) => ({ ...f, [key]: value || undefined }));
  return (
    <EntityList
      entity="company"
      {...props}
      columns={COLUMNS}
      compactColumns={COMPACT}
      nameColumn={NAME_COLUMN}
      where={where}
      readAhead={readAhead}
      exportable={false}
      toolbar={<ExportButton entity="company" title={company.plural} columns={exportColumns} where={where} />}
      onClearFilters={Object.values(filters).some(Boolean) ? () => setFilters({}) : undefined}
      filterControls={
        <>
          {ENUM_FILTERS.map(([field, anyLabel]) => (
            <EnumFilter
              key={field}
              entity={company}
              field={field}
              anyLabel={anyLabel}
              value={filters[field] ?? ''}
              onChange={set(field)}
            />
          ))}
          <OwnerFilter value={filters.ownerId ?? ''} onChange={set('ownerId')} />
        </>
      }
      emptyText="No companies match these filters."
    />
  );
}
