import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { displayName } from '../../../../src-shared/schema/display-name';
import { appSession, useSessionState } from '../../../app/app-session';
import { useRepos } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage, toast } from '../../../ui/toasts';

type Recipient = 'lead' | 'contact';

/** People offered, newest first, as a reference picker does. */
const CHOICES = 500;

/**
 * "Copy tracking link": the server signs a link of this content item for one lead or contact
 * (sync-server/src/integrations/tracking.routes.ts); opening it records a click on that person and
 * goes on to the content. The key is the server's, so it needs a signed-in session and the network.
 */
async function requestLink(serverUrl: string, contentId: string, subjectType: Recipient, subjectId: string) {
  const response = await authorizedFetch(appSession())(`${serverUrl.replace(/\/+$/, '')}/integrations/tracking-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentId, subjectType, subjectId, channel: 'tracking link' }),
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
  if (!response.ok || typeof body.url !== 'string')
    throw new Error(body.error ?? `the server answered ${response.status}`);
  return body.url;
}

function usePeople(kind: Recipient) {
  const repos = useRepos();
  const [choices, setChoices] = useState<readonly [string, string][]>([]);
  useEffect(() => {
    let live = true;
    const entity = getEntity(kind);
    void repos[kind].list({ limit: CHOICES }).then((records) => {
      const named = records.map((r) => [String(r.id), displayName(entity, r)] as [string, string]);
      named.sort((a, b) => a[1].localeCompare(b[1]));
      if (live) setChoices(named);
    });
    return () => {
      live = false;
    };
  }, [repos, kind]);
  return choices;
}

export function TrackingLinkButton({ contentId, hasUrl }: { contentId: string; hasUrl: boolean }) {
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Recipient>('lead');
  const [subjectId, setSubjectId] = useState('');
  const [link, setLink] = useState<string>();
  const people = usePeople(kind);
  const make = useMutation({
    mutationFn: () => requestLink(serverUrl ?? '', contentId, kind, subjectId),
    onSuccess: async (url) => {
      setLink(url);
      try {
        await navigator.clipboard.writeText(url);
        toast({ tone: 'success', message: 'Tracking link copied.' });
      } catch {
        toast({ tone: 'info', message: 'Select the link and copy it.' });
      }
    },
    onError: (error) => toast({ tone: 'error', message: errorMessage(error) }),
  });
  const why = !hasUrl
    ? 'This item has no URL to link to.'
    : !serverUrl
      ? 'Sign in to a server to make tracking links.'
      : '';
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={why !== ''} title={why || undefined}>
        Copy tracking link
      </button>
      <Dialog title="Tracking link" open={open} onClose={() => setOpen(false)}>
        <form
          className="tracking-link-form"
          onSubmit={(event) => {
            event.preventDefault();
            make.mutate();
          }}
        >
          <p className="muted">
            A link for one person: each open is recorded on them as a click, then the content opens.
          </p>
          <div className="form-grid">
            <div className="form-row">
              <label htmlFor="tracking-link-kind">For a</label>
              <select
                id="tracking-link-kind"
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as Recipient);
                  setSubjectId('');
                  setLink(undefined);
                }}
              >
                <option value="lead">lead</option>
                <option value="contact">contact</option>
              </select>
            </div>
            <div className="form-row">
              <label htmlFor="tracking-link-recipient">Recipient</label>
              <select id="tracking-link-recipient" value={subjectId} onChange={(e) => setSubjectId(e.target.value)}>
                <option value="">choose a {kind}…</option>
                {people.map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            {link && (
              <div className="form-row wide">
                <label htmlFor="tracking-link-url">Link</label>
                <input id="tracking-link-url" readOnly value={link} onFocus={(e) => e.target.select()} />
              </div>
            )}
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={make.isPending || subjectId === ''}>
              {make.isPending ? 'Making…' : 'Make and copy link'}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
