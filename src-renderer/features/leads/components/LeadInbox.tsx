import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useCrm } from '../../../app/crm-context';
import { listCountText } from '../../../ui/count-text';
import { Dialog } from '../../../ui/Dialog';
import { newDraftPlace } from '../../../ui/form-drafts.store';
import { formatValue } from '../../../ui/format';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { type Column, VirtualTable } from '../../../ui/VirtualTable';
import { ExportButton } from '../../exports';
import { LeadScoringStatus } from '../../insights';
import { useLeadInbox } from '../hooks/useLeadInbox';
import { useLeadLists } from '../hooks/useLeadLists';
import { useUsers } from '../hooks/useUsers';
import { LEAD_EXPORT_COLUMNS, leadExport } from '../lead-export';
import type { Lead } from '../lead-inbox.queries';
import { useLeadFilters } from '../leads.store';
import { LeadFilters } from './LeadFilters';
import { LeadListsDialog } from './LeadListsDialog';
import { ScoreBadge, TopReasons } from './LeadScore';

const lead = getEntity('lead');
const statusField = lead.fields.status as FieldSpec;
const sourceField = lead.fields.source as FieldSpec;
const words = (field: FieldSpec, value: string) => formatValue(field, value, {});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
function ago(iso: string | undefined): string {
  if (!iso) return '—';
  const days = Math.round((Date.parse(iso) - Date.now()) / 86_400_000);
  if (Math.abs(days) < 1) return 'today';
  if (Math.abs(days) < 45) return relative.format(days, 'day');
  return relative.format(Math.round(days / 30), 'month');
}

function columns(compact: boolean, nameOf: (id: string) => string): Column<Lead>[] {
  const all: (Column<Lead> & { wide?: boolean })[] = [
    { key: 'score', header: 'Score', width: '56px', render: (l) => <ScoreBadge score={l.score} /> },
    {
      key: 'name',
      header: 'Lead',
      width: '1.5fr',
      render: (l) => (
        <span className="lead-name">
          <strong>{[l.firstName, l.lastName].filter(Boolean).join(' ')}</strong>
          <span className="muted">{[l.jobTitle, l.companyName].filter(Boolean).join(' · ') || l.email || ''}</span>
        </span>
      ),
    },
    {
      key: 'why',
      header: 'Why',
      width: compact ? '1fr' : '1.5fr',
      render: (l) => <TopReasons factors={l.scoreFactors} stacked={compact} />,
    },
    {
      key: 'status',
      header: 'Status',
      width: '0.8fr',
      render: (l) => <span className={`badge badge-${l.status}`}>{words(statusField, l.status)}</span>,
    },
    { key: 'source', header: 'Source', width: '0.8fr', wide: true, render: (l) => words(sourceField, l.source) },
    {
      key: 'owner',
      header: 'Owner',
      width: '1fr',
      wide: true,
      render: (l) => nameOf(l.ownerId),
    },
    { key: 'last', header: 'Last activity', width: '0.8fr', wide: true, render: (l) => ago(l.lastActivityAt) },
  ];
  return all.filter((c) => !(compact && c.wide));
}

interface LeadInboxProps {
  selectedId?: string;
  onOpen: (id: string) => void;
}

/** The leads, hottest first, with the reasons for each score and filters by status, source, owner and list. */
export function LeadInbox({ selectedId, onOpen }: LeadInboxProps) {
  const { db, repos } = useCrm();
  const canCreate = useCan('lead', 'create');
  const { filter, setFilter, clear } = useLeadFilters();
  const { users, nameOf } = useUsers();
  const lists = useLeadLists();
  const [creating, setCreating] = useState(false);
  const [listsOpen, setListsOpen] = useState(false);
  const key = JSON.stringify(filter);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filter's content.
  const stable = useMemo(() => filter, [key]);
  const { rows, total, totalCapped, loadMore, busy, listLeads } = useLeadInbox(db, repos, stable, selectedId);
  const cols = useMemo(() => columns(selectedId !== undefined, nameOf), [selectedId, nameOf]);
  const list = lists?.find((l) => l.id === filter.listId);
  // A list's export is all its leads under the filters, not the page on screen.
  const exported = useMemo(() => leadExport(stable, list, listLeads), [stable, list, listLeads]);
  const filtered = filter.status !== 'open' || filter.source !== '' || filter.ownerId !== '';

  return (
    <section className="entity-list lead-inbox" aria-label="Leads" aria-busy={busy}>
      <div className="toolbar">
        <h2>{list ? list.name : 'Leads'}</h2>
        <span className="muted count" aria-live="polite">
          {listCountText(total, totalCapped, 'lead', 'leads')}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setListsOpen(true)}>
          Lead lists
        </button>
        {exported && (
          <ExportButton
            entity="lead"
            title={exported.title}
            columns={LEAD_EXPORT_COLUMNS}
            where={exported.where}
            order="score"
            {...(exported.ids ? { ids: exported.ids } : {})}
            {...(exported.extraFilters ? { extraFilters: exported.extraFilters } : {})}
          />
        )}
        {canCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New lead
          </button>
        )}
      </div>
      <LeadFilters users={users} lists={lists} />
      <LeadScoringStatus />
      <VirtualTable
        label="Leads"
        rows={rows}
        columns={cols}
        rowHeight={54}
        onOpen={(row) => onOpen(row.id)}
        onEndReached={loadMore}
        selectedId={selectedId}
        busy={busy}
        empty={
          filtered ? (
            <p>
              No leads match these filters.{' '}
              <button type="button" className="link-button" onClick={clear}>
                Clear filters
              </button>
            </p>
          ) : list ? (
            <p>No open leads on “{list.name}” yet. Add leads to it from a lead’s Lists section.</p>
          ) : (
            <p>No open leads. New leads from forms, imports and your team land here, hottest first.</p>
          )
        }
      />
      <LeadListsDialog
        open={listsOpen}
        onClose={() => setListsOpen(false)}
        currentId={filter.listId}
        onPick={(picked) => {
          setFilter({ listId: picked?.id ?? '' });
          setListsOpen(false);
        }}
      />
      <Dialog title="New lead" open={creating} onClose={() => setCreating(false)}>
        <RecordForm
          entity={lead}
          fields={[
            'firstName',
            'lastName',
            'email',
            'phone',
            'jobTitle',
            'companyName',
            'companyDomain',
            'source',
            'status',
            'estimatedValue',
            'currency',
            'description',
          ]}
          initial={{ source: 'other', status: 'new' }}
          submitLabel="Create lead"
          draftPlace={newDraftPlace('lead', 'inbox')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const record = await repos.lead.create(values as never);
            setCreating(false);
            toast({ tone: 'success', message: 'Lead created.' });
            onOpen(record.id);
          }}
        />
      </Dialog>
    </section>
  );
}
