import { useMemo } from 'react';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useRepos } from '../../../app/crm-context';
import type { Repositories } from '../../../db/repositories';
import { listCountText } from '../../../ui/count-text';
import { formatFullDateTime, formatListDateTime } from '../../../ui/format';
import { otherChoices } from '../../../ui/prefetch-pages';
import { servedByIndex, usePagedList, usePrefetchedPages } from '../../../ui/usePagedList';
import { type Column, VirtualTable } from '../../../ui/VirtualTable';
import { ExportButton } from '../../exports';
import {
  directionField,
  minutes,
  statusField,
  subjectTypeField,
  TYPE_ICON,
  typeField,
  words,
} from '../communication-labels';
import { type CommunicationFilters, useCommunicationFilters, whereOf } from '../communications.store';
import type { CommunicationRecord } from '../log-communication';
import { SendEmailButton } from './SendEmailButton';
import { SubjectName } from './SubjectName';

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** The values each filter select offers, as it draws them: '' (all) first. */
const choicesOf = (field: FieldSpec) => ['', ...(field.values ?? [])];
const COMMUNICATION_SELECTS = {
  type: choicesOf(typeField),
  direction: choicesOf(directionField),
  status: choicesOf(statusField),
};

/** What the communications list shows under its filters. */
export const communicationListOptions = (filters: CommunicationFilters) => ({ where: whereOf(filters) });

/**
 * The list under each other value of each select, the others as chosen, that an index serves:
 * their first pages are read while idle. Each select has an index (content.entity.ts), so every
 * value of a select chosen alone is; two selects together walk the first one's index, and are
 * left out (servedByIndex).
 */
export const communicationReadAhead = (repo: Repositories['communication'], chosen: CommunicationFilters) =>
  servedByIndex(repo, otherChoices(chosen, COMMUNICATION_SELECTS, communicationListOptions));

function columns(compact: boolean): Column<CommunicationRecord>[] {
  const all: (Column<CommunicationRecord> & { wide?: boolean })[] = [
    {
      key: 'type',
      header: compact ? '' : 'Type',
      width: compact ? '44px' : '110px',
      render: (c) => (
        <span className={`comm-type comm-type-${c.type}`} title={words(typeField, c.type)}>
          <span aria-hidden="true">{TYPE_ICON[c.type] ?? '•'}</span>
          {compact ? <span className="sr-only">{words(typeField, c.type)}</span> : ` ${words(typeField, c.type)}`}
        </span>
      ),
    },
    {
      key: 'subject',
      header: 'Subject',
      width: '2fr',
      render: (c) => (
        <span className="comm-title">
          <strong>{c.subject || <span className="muted">(no subject)</span>}</strong>
          {c.body && <span className="muted">{c.body.slice(0, 140)}</span>}
        </span>
      ),
    },
    {
      key: 'about',
      header: 'About',
      width: '1.3fr',
      render: (c) => (
        <span className="comm-about-cell">
          <span className="muted">{words(subjectTypeField, c.subjectType)}</span>{' '}
          <SubjectName entity={c.subjectType} id={c.subjectId} />
        </span>
      ),
    },
    {
      key: 'when',
      header: 'When',
      width: compact ? '0.7fr' : '1fr',
      render: (c) =>
        compact ? (
          shortDate.format(new Date(c.occurredAt))
        ) : (
          <span title={formatFullDateTime(c.occurredAt)}>{formatListDateTime(c.occurredAt)}</span>
        ),
    },
    {
      key: 'direction',
      header: 'Direction',
      width: '0.7fr',
      wide: true,
      render: (c) => (c.direction === 'inbound' ? '↙ Inbound' : '↗ Outbound'),
    },
    {
      key: 'duration',
      header: 'Duration',
      width: '0.6fr',
      wide: true,
      render: (c) => minutes(c.durationMinutes),
    },
    {
      key: 'status',
      header: 'Status',
      width: '0.8fr',
      render: (c) => <span className={`badge badge-${c.status}`}>{words(statusField, c.status)}</span>,
    },
  ];
  return all.filter((c) => !(compact && c.wide));
}

interface CommunicationListProps {
  selectedId?: string;
  onOpen: (id: string) => void;
  onLog: () => void;
}

/** Every communication on the device, newest first, filtered by type, direction and status. */
export function CommunicationList({ selectedId, onOpen, onLog }: CommunicationListProps) {
  const repos = useRepos();
  const canCreate = useCan('communication', 'create');
  const { filters, setFilter, clear } = useCommunicationFilters();
  const options = useMemo(() => communicationListOptions(filters), [filters]);
  const { where } = options;
  const { rows, total, totalCapped, loadMore, busy } = usePagedList(repos.communication, options);
  const readAhead = useMemo(() => communicationReadAhead(repos.communication, filters), [repos.communication, filters]);
  usePrefetchedPages(repos.communication, readAhead, !busy && rows !== undefined);
  const cols = useMemo(() => columns(selectedId !== undefined), [selectedId]);
  const filtered = Object.keys(where).length > 0;
  const select = (field: FieldSpec, key: keyof typeof filters, all: string) => (
    <select
      aria-label={`Filter by ${field.label?.toLowerCase()}`}
      value={filters[key]}
      onChange={(e) => setFilter({ [key]: e.target.value })}
    >
      <option value="">{all}</option>
      {(field.values ?? []).map((v) => (
        <option key={v} value={v}>
          {words(field, v)}
        </option>
      ))}
    </select>
  );
  return (
    <section className="entity-list comm-list" aria-label="Communications">
      <div className="toolbar">
        <h2>Communications</h2>
        <span className="muted count" aria-live="polite">
          {listCountText(total, totalCapped, 'communication', 'communications')}
        </span>
        <span className="spacer" />
        <ExportButton
          entity="communication"
          title="Communications"
          columns={[
            'occurredAt',
            'type',
            'direction',
            'status',
            'subject',
            'subjectType',
            'subjectId',
            'subjectId.id',
            'contactId',
            'companyId',
            'durationMinutes',
            'outcome',
            'ownerId',
          ]}
          where={where}
        />
        {canCreate && <SendEmailButton />}
        {canCreate && (
          <button type="button" className="primary" onClick={onLog} aria-keyshortcuts="Alt+L">
            Log communication
          </button>
        )}
      </div>
      <div className="toolbar comm-filters">
        {select(typeField, 'type', 'All types')}
        {select(directionField, 'direction', 'Both directions')}
        {select(statusField, 'status', 'All statuses')}
        {filtered && (
          <button type="button" className="link-button" onClick={clear}>
            Clear filters
          </button>
        )}
      </div>
      <VirtualTable
        label="Communications"
        rows={rows}
        columns={cols}
        onEndReached={loadMore}
        onOpen={(row) => onOpen(row.id)}
        selectedId={selectedId}
        rowHeight={52}
        empty={
          <div className="empty">
            <p>{filtered ? 'No communications match these filters.' : 'No calls, meetings or emails logged yet.'}</p>
            {canCreate && !filtered && (
              <button type="button" className="primary" onClick={onLog}>
                Log the first one
              </button>
            )}
          </div>
        }
      />
    </section>
  );
}
