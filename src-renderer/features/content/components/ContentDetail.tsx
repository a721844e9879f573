import { useState } from 'react';
import { contentEntity, contentInteractionEntity } from '../../../../src-shared/entities/content.entity';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { editDraftPlace } from '../../../ui/form-drafts.store';
import { formatValue } from '../../../ui/format';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { RecordName } from '../../../ui/useRecordName';
import { deleteWithUndo, FieldCell, useRecord } from '../../records';
import {
  type Content,
  ENGAGEMENT_KINDS,
  ENGAGEMENT_LABELS,
  type Engagement,
  emptyEngagement,
  fileSize,
  type Interaction,
} from '../content-engagement';
import { useInteractions } from '../hooks';
import { Sparkline } from './Sparkline';
import { TrackingLinkButton } from './TrackingLinkButton';

const SHOWN = ['topic', 'persona', 'language', 'publishedAt', 'authorId', 'fileName', 'sizeBytes', 'tags'] as const;
const PAGE = 100;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortWhen = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** One asset: what it is, how it engages (counts, people, 12 weeks) and who did what, when. */
export function ContentDetail({
  id,
  engagement,
  weeks,
  onClose,
}: {
  id: string;
  /** null: never engaged; undefined: not counted yet. */
  engagement: Engagement | null | undefined;
  weeks: number;
  onClose: () => void;
}) {
  const repos = useRepos();
  const item = useRecord(repos.content, id) as Content | null | undefined;
  const canUpdate = useCan('content', 'update');
  const canDelete = useCan('content', 'delete');
  const [editing, setEditing] = useState(false);
  if (item === undefined) return <p className="muted pad">Loading…</p>;
  if (item === null)
    return <div className="empty pad">This item is not on this device (deleted, or outside your access).</div>;
  const e = engagement ?? emptyEngagement(weeks);
  const counted = engagement !== undefined;
  return (
    <article className="record-detail content-detail" aria-label={`Content ${item.title}`}>
      <header className="detail-head">
        <div>
          <p className="eyebrow">{formatValue(contentEntity.fields.type, item.type, {})}</p>
          <h2>{item.title}</h2>
          <span className={`badge badge-${item.status}`}>
            {formatValue(contentEntity.fields.status, item.status, {})}
          </span>
        </div>
        <div className="detail-actions">
          <TrackingLinkButton contentId={id} hasUrl={Boolean(item.url)} />
          {item.url && (
            <a className="button-link" href={item.url} target="_blank" rel="noopener noreferrer">
              Open ↗
            </a>
          )}
          {canUpdate && !item.isDeleted && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {canDelete && !item.isDeleted && (
            <button type="button" className="danger" onClick={() => void deleteWithUndo(repos.content as never, id)}>
              Delete
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
      </header>
      {item.summary && <p className="content-summary">{item.summary}</p>}
      <section className="section" aria-label="Engagement">
        <h3>Engagement</h3>
        {!counted && <p className="muted">Counting…</p>}
        <div className="stat-tiles" hidden={!counted}>
          <Stat label="Interactions" value={e.total} strong />
          <Stat label="People" value={e.people} strong />
          {ENGAGEMENT_KINDS.filter((k) => e.counts[k] > 0 || k === 'views').map((k) => (
            <Stat key={k} label={ENGAGEMENT_LABELS[k]} value={e.counts[k]} />
          ))}
        </div>
        <div className="content-trend" hidden={!counted}>
          <Sparkline values={e.weekly} width={320} height={56} label={`Interactions per week, last ${weeks} weeks`} />
          <p className="muted">
            Last {weeks} weeks · last engagement {e.lastAt ? when.format(new Date(e.lastAt)) : 'never'}
          </p>
        </div>
      </section>
      <dl className="field-list">
        {SHOWN.map((field) => {
          const value = (item as Record<string, unknown>)[field];
          if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
          return (
            <div key={field}>
              <dt>{field === 'sizeBytes' ? 'Size' : (contentEntity.fields[field] as FieldSpec).label}</dt>
              <dd>
                {field === 'sizeBytes' ? (
                  fileSize(Number(value))
                ) : (
                  <FieldCell field={contentEntity.fields[field] as FieldSpec} value={value} record={item} />
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      <Interactions contentId={id} />
      <Dialog title="Edit content" open={editing} onClose={() => setEditing(false)} wide>
        <RecordForm
          entity={contentEntity}
          initial={item}
          submitLabel="Save"
          draftPlace={editDraftPlace('content', id)}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await repos.content.update(id, values as never);
            setEditing(false);
            toast({ tone: 'success', message: 'Content saved.' });
          }}
        />
      </Dialog>
    </article>
  );
}

function Stat({ label, value, strong }: { label: string; value: number; strong?: boolean }) {
  return (
    <div className={strong ? 'stat-tile strong' : 'stat-tile'}>
      <span className="stat-value">{value.toLocaleString()}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

const SCREEN_OF = { lead: 'leads', contact: 'contacts' } as const;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function detailOf(i: Interaction): string {
  const parts: string[] = i.channel ? [i.channel] : [];
  if (i.durationSeconds !== undefined) {
    const m = Math.floor(i.durationSeconds / 60);
    parts.push(m > 0 ? `${m} min ${i.durationSeconds % 60} s` : `${i.durationSeconds} s`);
  }
  if (i.completionPercent !== undefined) parts.push(`${i.completionPercent}% watched`);
  if (i.referrer) parts.push(`from ${hostOf(i.referrer)}`);
  return parts.join(' · ');
}

/** Who engaged, how and when, newest first; a person opens on their own screen. */
function Interactions({ contentId }: { contentId: string }) {
  const interactions = useInteractions(contentId);
  const open = useNavigation((s) => s.open);
  const [shown, setShown] = useState(PAGE);
  if (interactions === undefined) return <p className="muted">Loading interactions…</p>;
  return (
    <section className="section" aria-label="Interactions">
      <h3>
        Interactions <span className="muted">({interactions.length.toLocaleString()})</span>
      </h3>
      {interactions.length === 0 ? (
        <p className="empty">No one has engaged with this yet.</p>
      ) : (
        <div className="interactions-scroll">
          <table className="interactions">
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">When</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {interactions.slice(0, shown).map((i) => (
                <tr key={i.id}>
                  <td>
                    <span className="muted">{i.subjectType === 'lead' ? 'Lead' : 'Contact'} · </span>
                    <button
                      type="button"
                      className="content-person"
                      onClick={() => open(SCREEN_OF[i.subjectType], i.subjectId)}
                    >
                      <RecordName entity={i.subjectType} id={i.subjectId} />
                    </button>
                  </td>
                  <td>
                    <span className={`badge interaction-${i.type}`}>
                      {formatValue(contentInteractionEntity.fields.type, i.type, {})}
                    </span>
                  </td>
                  <td title={when.format(new Date(i.occurredAt))}>{shortWhen.format(new Date(i.occurredAt))}</td>
                  <td className="muted">{detailOf(i)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {interactions.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, interactions.length - shown)} more
        </button>
      )}
    </section>
  );
}
