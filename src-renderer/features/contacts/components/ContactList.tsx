import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { useCan, useRepos } from '../../../app/crm-context';
import type { EntityRepository } from '../../../db/entity-repository';
import { CreateRecordDialog } from '../../../ui/CreateRecordDialog';
import { listCountText } from '../../../ui/count-text';
import { EnumFilter } from '../../../ui/EnumFilter';
import { useCustomFields } from '../../../ui/RecordForm';
import { usePagedList } from '../../../ui/usePagedList';
import { VirtualTable } from '../../../ui/VirtualTable';
import { ExportButton } from '../../exports';
import { columnsFor } from '../../records';
import { type ContactFilters, contactListWheres } from '../contacts.queries';
import { OwnerFilter } from './OwnerFilter';

const contact = getEntity('contact');
const COLUMNS = ['firstName', 'companyId', 'jobTitle', 'lifecycleStage', 'status', 'ownerId', 'lastContactedAt'];
/** The columns beside an open record, where the list has half the width. */
const COMPACT = ['firstName', 'companyId', 'lifecycleStage'];
type Row = Record<string, unknown> & { id: string };

/**
 * Every contact, newest first, filtered by status and owner. Both filters are answered by the
 * contacts' declared indexes, so the first page comes at once with 100k contacts on the device.
 */
export function ContactList({
  selectedId,
  onOpen,
  compact = false,
}: {
  selectedId?: string;
  onOpen: (id: string) => void;
  compact?: boolean;
}) {
  const repo = useRepos().contact;
  const canCreate = useCan('contact', 'create');
  const customDefs = useCustomFields(contact);
  const [filters, setFilters] = useState<ContactFilters>({});
  const [creating, setCreating] = useState(false);
  const wheres = useMemo(() => contactListWheres(filters), [filters]);
  const { rows, total, totalCapped, loadMore, busy } = usePagedList(repo, { where: wheres });
  const columns = useMemo(() => {
    const cols = columnsFor(
      contact,
      compact ? COMPACT : COLUMNS,
      compact ? [] : customDefs.filter((d) => d.fieldType !== 'text'),
    );
    const name = cols[0];
    if (name) {
      cols[0] = {
        ...name,
        header: 'Name',
        width: '1.6fr',
        render: (row) => (
          <span className="name-cell">
            <strong>{[row.firstName, row.lastName].filter(Boolean).join(' ')}</strong>
            {typeof row.email === 'string' && <span className="muted"> {row.email}</span>}
          </span>
        ),
      };
    }
    return cols;
  }, [customDefs, compact]);

  return (
    <section className="entity-list" aria-label="Contacts" aria-busy={busy}>
      <div className="toolbar">
        <h2>Contacts</h2>
        <span className="muted count" aria-live="polite">
          {listCountText(total, totalCapped, 'contact', 'contacts')}
        </span>
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
        <span className="spacer" />
        <ExportButton entity="contact" title="Contacts" columns={columns.map((c) => c.key)} where={wheres} />
        {canCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New contact
          </button>
        )}
      </div>
      <VirtualTable
        label="Contacts"
        rows={rows as Row[] | undefined}
        columns={columns}
        onEndReached={loadMore}
        onOpen={(row) => onOpen(row.id)}
        selectedId={selectedId}
        empty={<p>No contacts match these filters.</p>}
      />
      <CreateRecordDialog
        entity={contact}
        repo={repo as unknown as EntityRepository<EntityDef>}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={onOpen}
      />
    </section>
  );
}
