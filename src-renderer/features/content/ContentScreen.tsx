import { useMemo, useState } from 'react';
import { contentEntity } from '../../../src-shared/entities/content.entity';
import { useCan, useCrm, useRepos } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { Dialog } from '../../ui/Dialog';
import { newDraftPlace } from '../../ui/form-drafts.store';
import { formatValue } from '../../ui/format';
import { RecordForm } from '../../ui/RecordForm';
import { toast } from '../../ui/toasts';
import { type Column, VirtualTable } from '../../ui/VirtualTable';
import { ExportButton } from '../exports';
import { ContentDetail } from './components/ContentDetail';
import { Meter, Sparkline } from './components/Sparkline';
import {
  CONTENT_SORT_LABELS,
  CONTENT_SORTS,
  type Content,
  type ContentRow,
  type ContentSort,
  ENGAGEMENT_KINDS,
  ENGAGEMENT_LABELS,
  type Engagement,
  libraryRows,
} from './content-engagement';
import { useContent, useEngagement } from './hooks';
import './content.css';

const WEEKS = 12;
const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
type Row = ContentRow & { id: string };
const NOT_COUNTED: ReadonlyMap<string, Engagement> = new Map();

/** The two kinds of engagement an item gets most, e.g. "69 downloads · 55 views". */
function topKinds(e: Engagement): string {
  return ENGAGEMENT_KINDS.filter((k) => e.counts[k] > 0)
    .sort((a, b) => e.counts[b] - e.counts[a])
    .slice(0, 2)
    .map((k) => `${e.counts[k].toLocaleString()} ${ENGAGEMENT_LABELS[k].toLowerCase()}`)
    .join(' · ');
}

/** The content library: every asset with its engagement, filtered by type, sorted by engagement. */
export function ContentScreen() {
  const { db } = useCrm();
  const repos = useRepos();
  const canCreate = useCan('content', 'create');
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const selectedId = route.screen === 'content' ? route.id : undefined;
  const now = useMemo(() => db.clock.now(), [db]);
  const content = useContent();
  const { engagement, status: counting, counted, total: toCount } = useEngagement(now, WEEKS);
  const [type, setType] = useState<Content['type'] | ''>('');
  const [status, setStatus] = useState<Content['status'] | ''>('');
  const [text, setText] = useState('');
  const [sort, setSort] = useState<ContentSort>('engagement');
  const [creating, setCreating] = useState(false);

  // The library shows at once; its engagement columns fill in when every interaction is counted.
  const rows = useMemo<Row[] | undefined>(
    () =>
      content
        ? libraryRows(content, engagement ?? NOT_COUNTED, { type, status, text }, sort, WEEKS).map((r) => ({
            ...r,
            id: r.content.id,
          }))
        : undefined,
    [content, engagement, type, status, text, sort],
  );
  const max = useMemo(() => Math.max(1, ...(rows ?? []).map((r) => r.engagement.total)), [rows]);
  const columns = useMemo<Column<Row>[]>(() => {
    const title: Column<Row> = {
      key: 'title',
      header: 'Content',
      width: 'minmax(0, 3fr)',
      render: ({ content: c }) => (
        <span className="content-title-cell">
          <span className="content-title">{c.title}</span>
          <span className="content-sub">
            <span className={`badge content-type content-type-${c.type}`}>
              {formatValue(contentEntity.fields.type, c.type, {})}
            </span>
            {c.status !== 'published' && (
              <span className={`badge badge-${c.status}`}>
                {formatValue(contentEntity.fields.status, c.status, {})}
              </span>
            )}
            <span className="muted">{(c.tags ?? []).map((t) => `#${t}`).join(' ')}</span>
          </span>
        </span>
      ),
    };
    const total: Column<Row> = {
      key: 'engagement',
      header: 'Engagement',
      width: 'minmax(120px, 1.2fr)',
      render: ({ engagement: e, content: c }) => (
        <span className="content-engagement">
          <Meter value={e.total} max={max} label={`${c.title}: ${e.total} interactions`} />
          <span className="num">{e.total.toLocaleString()}</span>
        </span>
      ),
    };
    const trend: Column<Row> = {
      key: 'trend',
      header: `Last ${WEEKS} weeks`,
      width: '112px',
      render: ({ engagement: e }) => (
        <Sparkline values={e.weekly} label={`Interactions per week, last ${WEEKS} weeks`} />
      ),
    };
    const people: Column<Row> = {
      key: 'people',
      header: 'People',
      width: '72px',
      numeric: true,
      render: ({ engagement: e }) => e.people.toLocaleString(),
    };
    const breakdown: Column<Row> = {
      key: 'breakdown',
      header: 'Mostly',
      width: 'minmax(0, 1.3fr)',
      render: ({ engagement: e }) => <span className="muted">{topKinds(e)}</span>,
    };
    const last: Column<Row> = {
      key: 'last',
      header: 'Last engaged',
      width: '116px',
      render: ({ engagement: e }) => (e.lastAt ? day.format(new Date(e.lastAt)) : <span className="muted">Never</span>),
    };
    const shown = selectedId ? [title, total, trend] : [title, total, trend, people, breakdown, last];
    if (engagement) return shown;
    // Still counting (or it failed): a zero would read as "never engaged".
    const placeholder = counting === 'failed' ? '—' : 'Counting…';
    return shown.map((column) =>
      column === title ? column : { ...column, render: () => <span className="muted">{placeholder}</span> },
    );
  }, [selectedId, max, engagement, counting]);

  const totals = useMemo(() => {
    const all = rows ?? [];
    return {
      items: all.length,
      interactions: all.reduce((n, r) => n + r.engagement.total, 0),
    };
  }, [rows]);

  function engagementSummary(): string {
    if (counting === 'failed') return 'engagement could not be counted';
    if (!engagement)
      return toCount > 0
        ? `counting engagement… ${counted.toLocaleString()} of ${toCount.toLocaleString()} interactions`
        : 'counting engagement…';
    return `${totals.interactions.toLocaleString()} interactions`;
  }

  return (
    <div className={selectedId ? 'list-detail open' : 'list-detail'}>
      <section className="entity-list content-library" aria-label="Content library">
        <div className="toolbar">
          <h2>Content library</h2>
          <span className="muted count" aria-live="polite">
            {rows === undefined ? '' : `${totals.items.toLocaleString()} items · ${engagementSummary()}`}
          </span>
          <span className="spacer" />
          {/* The type and status filters; the free-text search is not a field filter and is not applied. */}
          <ExportButton
            entity="content"
            title="Content library"
            columns={[
              'title',
              'type',
              'status',
              'topic',
              'persona',
              'language',
              'publishedAt',
              'url',
              'ownerId',
              'tags',
            ]}
            where={{ ...(type ? { type } : {}), ...(status ? { status } : {}) }}
          />
          {canCreate && (
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              New content
            </button>
          )}
        </div>
        <div className="toolbar content-filters">
          <input
            type="search"
            aria-label="Find content"
            placeholder="Find by title, topic or tag…"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <select
            aria-label="Filter by type"
            value={type}
            onChange={(e) => setType(e.target.value as Content['type'] | '')}
          >
            <option value="">All types</option>
            {contentEntity.fields.type.values.map((v) => (
              <option key={v} value={v}>
                {formatValue(contentEntity.fields.type, v, {})}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by status"
            value={status}
            onChange={(e) => setStatus(e.target.value as Content['status'] | '')}
          >
            <option value="">All statuses</option>
            {contentEntity.fields.status.values.map((v) => (
              <option key={v} value={v}>
                {formatValue(contentEntity.fields.status, v, {})}
              </option>
            ))}
          </select>
          <label className="content-sort">
            <span className="muted">Sort</span>
            <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as ContentSort)}>
              {CONTENT_SORTS.map((s) => (
                <option key={s} value={s}>
                  {CONTENT_SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <VirtualTable
          label="Content"
          rows={rows}
          columns={columns}
          rowHeight={56}
          selectedId={selectedId}
          onOpen={(row) => go({ screen: 'content', id: row.id })}
          empty={
            <p>
              {content?.length === 0
                ? 'The library is empty. Add an article, video or case study.'
                : 'No content matches.'}
            </p>
          }
        />
      </section>
      {selectedId && (
        <aside className="detail-pane" aria-label="Content">
          <ContentDetail
            key={selectedId}
            id={selectedId}
            engagement={engagement ? (engagement.get(selectedId) ?? null) : undefined}
            weeks={WEEKS}
            onClose={() => go({ screen: 'content' })}
          />
        </aside>
      )}
      <Dialog title="New content" open={creating} onClose={() => setCreating(false)} wide>
        <RecordForm
          entity={contentEntity}
          submitLabel="Create content"
          draftPlace={newDraftPlace('content', 'content')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const record = await repos.content.create(values as never);
            setCreating(false);
            toast({ tone: 'success', message: 'Content created.' });
            go({ screen: 'content', id: record.id });
          }}
        />
      </Dialog>
    </div>
  );
}
