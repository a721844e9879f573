import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { EnumFilter } from '../../../ui/EnumFilter';
import { ExportButton, useListExportColumns } from '../../exports';
import { EntityList } from '../../records';
import { CONTACT_STATUSES, type ContactFilters, contactListWheres } from '../contacts.queries';
import { OwnerFilter } from './OwnerFilter';

const contact = getEntity('contact');
const COLUMNS = ['firstName', 'companyId', 'jobTitle', 'lifecycleStage', 'status', 'ownerId', 'lastContactedAt'];
/** The columns beside an open record, where the list has half the width. */
const COMPACT = ['firstName', 'companyId', 'lifecycleStage'];
/**
 * The file's columns: the name column's first name, last name and email as fields of their own
 * (the list's own columns would export the first name alone), then the wide list's columns, beside
 * an open contact too.
 */
const EXPORT_COLUMNS = ['firstName', 'lastName', 'email', ...COLUMNS.slice(1)];
/** The first column shows the whole name and the email. */
const NAME_COLUMN = {
  header: 'Name',
  width: '1.6fr',
  render: (row: Record<string, unknown>) => (
    <span className="name-cell">
      <strong>{[row.firstName, row.lastName].filter(Boolean).join(' ')}</strong>
      {typeof row.email === 'string' && <span className="muted"> {row.email}</span>}
    </span>
  ),
};

/**
 * Every contact, newest first, filtered by status and owner. Both filters are answered by the
 * contacts' declared indexes, so the first page comes at once with 100k contacts on the device.
 */
export function ContactList(props: { selectedId?: string; onOpen: (id: string) => void; compact?: boolean }) {
  const [filters, setFilters] = useState<ContactFilters>({});
  const wheres = useMemo(() => contactListWheres(filters), [filters]);
  const exportColumns = useListExportColumns(contact, EXPORT_COLUMNS);
  // Every other status (and all of them), the owner as chosen: their first pages are read while idle.
  const readAhead = useMemo(
    () =>
      [undefined, ...CONTACT_STATUSES]
        .filter((status) => status !== filters.status)
        .map((status) => contactListWheres({ ...filters, status })),
    [filters],
  );
  return (
    <EntityList
      entity="contact"
      {...props}
      columns={COLUMNS}
      compactColumns={COMPACT}
      nameColumn={NAME_COLUMN}
      where={wheres}
      readAhead={readAhead}
      exportable={false}
      toolbar={<ExportButton entity="contact" title={contact.plural} columns={exportColumns} where={wheres} />}
      onClearFilters={Object.values(filters).some(Boolean) ? () => setFilters({}) : undefined}
      filterControls={
        <>
          <EnumFilter
            entity={contact}
            field="status"
            anyLabel="All statuses"
            value={filters.status ?? ''}
            onChange={(status) => setFilters((f) => ({ ...f, status: status || undefined }))}
          />
          <OwnerFilter
            value={filters.ownerId ?? ''}
            onChange={(ownerId) => setFilters((f) => ({ ...f, ownerId: ownerId || undefined }))}
          />
        </>
      }
      emptyText="No contacts match these filters."
    />
  );
}
