import { useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useRepos } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { newDraftPlace } from '../../../ui/form-drafts.store';
import { formatValue } from '../../../ui/format';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import type { Lead } from '../lead-inbox.queries';
import { logLeadActivity } from '../leads.service';

const activity = getEntity('leadActivity');
const typeField = activity.fields.type as FieldSpec;

/** A glyph per activity type, grouped by colour: email, web, conversation, other. */
const ICONS: Record<string, [glyph: string, group: 'mail' | 'web' | 'talk' | 'other']> = {
  emailSent: ['✉', 'mail'],
  emailOpened: ['◉', 'mail'],
  emailClicked: ['➚', 'mail'],
  emailReplied: ['↩', 'mail'],
  formSubmitted: ['▤', 'web'],
  pageVisited: ['◌', 'web'],
  contentDownloaded: ['⤓', 'web'],
  webinarAttended: ['▣', 'web'],
  call: ['☎', 'talk'],
  meeting: ['◷', 'talk'],
  demo: ['▶', 'talk'],
  statusChanged: ['⇄', 'other'],
  other: ['•', 'other'],
};

/** 'emailOpened' → 'Email opened'. */
const typeLabel = (type: string) => {
  const words = formatValue(typeField, type, {});
  return words.charAt(0) + words.slice(1).toLowerCase();
};

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The lead's touchpoints, newest first, and a dialog to log one. */
export function LeadTimeline({ lead }: { lead: Lead }) {
  const repos = useRepos();
  const canLog = useCan('leadActivity', 'create') && !lead.isDeleted;
  const [logging, setLogging] = useState(false);
  const records = useObservable(
    () => repos.leadActivity.observe({ where: { leadId: lead.id }, limit: 1000 }),
    undefined,
    [repos, lead.id],
  );
  // The index orders by when a record was written; the timeline by when it happened (a call logged late).
  const items = useMemo(
    () => records?.toSorted((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt)),
    [records],
  );
  return (
    <section className="section lead-timeline" aria-label="Activity">
      <div className="toolbar">
        <h3>Activity</h3>
        <span className="muted">{items ? `${items.length}` : ''}</span>
        <span className="spacer" />
        {canLog && (
          <button type="button" onClick={() => setLogging(true)}>
            Log activity
          </button>
        )}
      </div>
      {items === undefined ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="empty">No activity yet. Log a call, an email or a meeting to start the timeline.</p>
      ) : (
        <ol className="timeline-list">
          {items.map((a) => {
            const [glyph, group] = ICONS[a.type] ?? ['•', 'other'];
            return (
              <li key={a.id} className="timeline-item">
                <span className={`timeline-icon ${group}`} aria-hidden="true">
                  {glyph}
                </span>
                <div className="timeline-body">
                  <p>
                    <strong>{typeLabel(a.type)}</strong>
                    {a.subject && <span> · {a.subject}</span>}
                    {a.scoreDelta !== undefined && a.scoreDelta !== 0 && (
                      <span className={`lead-reason ${a.scoreDelta > 0 ? 'up' : 'down'}`}>
                        {a.scoreDelta > 0 ? `+${a.scoreDelta}` : a.scoreDelta}
                      </span>
                    )}
                  </p>
                  <p className="muted">
                    <time dateTime={a.occurredAt}>{when.format(new Date(a.occurredAt))}</time>
                    {a.durationMinutes !== undefined && ` · ${a.durationMinutes} min`}
                    {a.outcome && ` · ${a.outcome}`}
                  </p>
                  {a.description && <p className="timeline-text">{a.description}</p>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <Dialog title="Log activity" open={logging} onClose={() => setLogging(false)}>
        <RecordForm
          entity={activity}
          fields={['type', 'occurredAt', 'subject', 'durationMinutes', 'outcome', 'description']}
          initial={{ type: 'call', occurredAt: new Date().toISOString() }}
          submitLabel="Log activity"
          draftPlace={newDraftPlace('leadActivity', lead.id)}
          onCancel={() => setLogging(false)}
          onSubmit={async (values) => {
            await logLeadActivity(repos, lead.id, values as never);
            setLogging(false);
            toast({ tone: 'success', message: 'Activity logged.' });
          }}
        />
      </Dialog>
    </section>
  );
}
