import { useMemo, useState } from 'react';
import { useRepos } from '../../../app/crm-context';
import { type ScreenId, useNavigation } from '../../../app/navigation';
import { useObservable } from '../../../ui/useObservable';
import { RecordName } from '../../../ui/useRecordName';
import {
  observeAttachments,
  observeTimeline,
  sentence,
  type TimelineItem,
  type TimelineKind,
  type TimelinePage,
  type TimelineSubjectType,
  timelineKinds,
} from '../timeline.queries';
import '../timeline.css';

export interface RecordTimelineProps {
  subjectType: TimelineSubjectType;
  subjectId: string;
  /** Entries per page; "Show more" adds another page. */
  pageSize?: number;
  /** Heading of the section; default "Timeline". */
  title?: string;
}

const KIND_LABEL: Record<TimelineKind, string> = {
  communication: 'Communications',
  note: 'Notes',
  task: 'Tasks',
  leadActivity: 'Activity',
  contentInteraction: 'Content',
  stageChange: 'Stage changes',
};

/** A glyph per entry (no icon font: the CSP allows no third-party assets). */
const TYPE_ICON: Record<string, string> = {
  email: '✉',
  call: '☎',
  meeting: '◷',
  sms: '✆',
  chat: '✆',
  letter: '✉',
  demo: '▶',
  todo: '☐',
  followUp: '↻',
};
const KIND_ICON: Record<TimelineKind, string> = {
  communication: '✉',
  note: '✎',
  task: '☐',
  leadActivity: '◎',
  contentInteraction: '▤',
  stageChange: '◆',
};

function iconOf(item: TimelineItem): string {
  if (item.kind === 'task') return item.status === 'completed' ? '☑' : '☐';
  if (item.kind === 'communication' || item.kind === 'leadActivity')
    return TYPE_ICON[item.type] ?? KIND_ICON[item.kind];
  return KIND_ICON[item.kind];
}

/** The screen an entry opens on (kinds without a screen of their own open nothing). */
const KIND_SCREEN: Partial<Record<TimelineKind, ScreenId>> = {
  communication: 'communications',
  note: 'notes',
  task: 'tasks',
};

/** Drawn, not a glyph: emoji fonts are not on every desktop. */
function PaperClip() {
  return (
    <svg className="rt-clip" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path
        d="M10.5 4.5 5.8 9.2a1.5 1.5 0 0 0 2.1 2.1l5-5a3 3 0 0 0-4.2-4.2l-5.2 5.2a4.5 4.5 0 0 0 6.4 6.4l4.2-4.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </svg>
  );
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Everything recorded about one contact, company, lead or deal, newest first: communications with
 * their attachments, notes, tasks, and per kind lead activities, content interactions or stage
 * changes. Live, read from indexes page by page.
 */
export function RecordTimeline({ subjectType, subjectId, pageSize = 100, title = 'Timeline' }: RecordTimelineProps) {
  const repos = useRepos();
  const open = useNavigation((s) => s.open);
  const [limit, setLimit] = useState(pageSize);
  const [only, setOnly] = useState<TimelineKind | 'all'>('all');
  const available = timelineKinds(subjectType);
  const kinds = only === 'all' ? available : [only];
  const kindsKey = kinds.join(',');
  const page = useObservable<TimelinePage | undefined>(
    () => observeTimeline(repos, subjectType, subjectId, limit, kinds),
    undefined,
    [repos, subjectType, subjectId, limit, kindsKey],
  );
  const commIds = useMemo(() => (page?.items ?? []).filter((i) => i.kind === 'communication').map((i) => i.id), [page]);
  const commKey = commIds.join(',');
  const attachments = useObservable(() => observeAttachments(repos, commIds), new Map(), [repos, commKey]);
  const headingId = `timeline-${subjectId}`;

  return (
    <section className="section record-timeline" aria-labelledby={headingId}>
      <div className="rt-head">
        <h3 id={headingId}>{title}</h3>
        <fieldset className="rt-filter">
          <legend className="sr-only">Show</legend>
          {(['all', ...available] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              aria-pressed={only === kind}
              className={only === kind ? 'rt-chip on' : 'rt-chip'}
              onClick={() => {
                setOnly(kind);
                setLimit(pageSize);
              }}
            >
              {kind === 'all' ? 'All' : KIND_LABEL[kind]}
            </button>
          ))}
        </fieldset>
      </div>
      {page === undefined ? (
        <p className="muted">Loading timeline…</p>
      ) : page.items.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <ol className="rt-list">
          {page.items.map((item) => {
            const screen = KIND_SCREEN[item.kind];
            const files = item.kind === 'communication' ? (attachments.get(item.id) ?? []) : [];
            const heading = (
              <>
                <span className="rt-title">{item.title}</span>
                {item.ref && (
                  <span className="muted">
                    {' '}
                    · <RecordName entity={item.ref.entity} id={item.ref.id} />
                  </span>
                )}
              </>
            );
            return (
              <li key={item.key} className={`rt-item kind-${item.kind}`} data-kind={item.kind}>
                <span className="rt-icon" aria-hidden="true">
                  {iconOf(item)}
                </span>
                <div className="rt-body">
                  <div className="rt-line">
                    {screen ? (
                      <button type="button" className="rt-link" onClick={() => open(screen, item.id)}>
                        {heading}
                      </button>
                    ) : (
                      heading
                    )}
                    <span className="badge">{sentence(item.type)}</span>
                    {item.status && <span className={`badge badge-${item.status}`}>{sentence(item.status)}</span>}
                    <time className="muted rt-time" dateTime={item.at}>
                      {when.format(new Date(item.at))}
                    </time>
                  </div>
                  {item.detail && <p className="rt-detail">{item.detail}</p>}
                  {files.length > 0 && (
                    <ul className="rt-files" aria-label="Attachments">
                      {files.map((file) => (
                        <li key={file.id} title={`${file.mimeType}, ${Math.round(file.sizeBytes / 1024)} KB`}>
                          <PaperClip /> {file.fileName}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {page?.hasMore && (
        <button type="button" className="rt-more" onClick={() => setLimit((n) => n + pageSize)}>
          Show more
        </button>
      )}
    </section>
  );
}
