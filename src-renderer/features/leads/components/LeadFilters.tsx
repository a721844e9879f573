import { LEAD_SOURCES } from '../../../../src-shared/entities/enums';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCrm } from '../../../app/crm-context';
import { formatValue } from '../../../ui/format';
import type { LeadList } from '../hooks/useLeadLists';
import type { UserChoice } from '../hooks/useUsers';
import { type Lead, OPEN_STATUSES } from '../lead-inbox.queries';
import { useLeadFilters } from '../leads.store';

const lead = getEntity('lead');
const statusField = lead.fields.status as FieldSpec;
const sourceField = lead.fields.source as FieldSpec;
const words = (field: FieldSpec, value: string) => formatValue(field, value, {});

/** The inbox's filters: status (open by default), source, owner ("My leads" first) and list. */
export function LeadFilters({
  users,
  lists,
}: {
  users: readonly UserChoice[] | undefined;
  lists: readonly LeadList[] | undefined;
}) {
  const { filter, setFilter, clear } = useLeadFilters();
  const me = useCrm().user.id;
  const filtered = filter.status !== 'open' || filter.source !== '' || filter.ownerId !== '';
  return (
    <div className="toolbar lead-filters">
      <select
        aria-label="Filter by status"
        value={filter.status}
        onChange={(e) => setFilter({ status: e.target.value as typeof filter.status })}
      >
        <option value="open">Open leads</option>
        <option value="">All statuses</option>
        {(statusField.values ?? []).map((v) => (
          <option key={v} value={v}>
            {words(statusField, v)}
            {OPEN_STATUSES.includes(v as Lead['status']) ? '' : ' (closed)'}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by source"
        value={filter.source}
        onChange={(e) => setFilter({ source: e.target.value })}
      >
        <option value="">All sources</option>
        {LEAD_SOURCES.map((v) => (
          <option key={v} value={v}>
            {words(sourceField, v)}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by owner"
        value={filter.ownerId}
        onChange={(e) => setFilter({ ownerId: e.target.value })}
      >
        <option value="">All owners</option>
        {users?.some((u) => u.id === me) && <option value={me}>My leads</option>}
        {(users ?? []).map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
            {u.active ? '' : ' (inactive)'}
          </option>
        ))}
      </select>
      <select aria-label="Filter by list" value={filter.listId} onChange={(e) => setFilter({ listId: e.target.value })}>
        <option value="">All lists</option>
        {(lists ?? []).map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      {filtered && (
        <button type="button" className="link-button" onClick={clear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
