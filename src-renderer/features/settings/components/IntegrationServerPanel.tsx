import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can } from '../../../../src-shared/auth/permissions';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCrm } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { formatFullDateTime } from '../../../ui/format';
import { errorMessage, toast } from '../../../ui/toasts';
import {
  fetchDeliveries,
  fetchWebhookSecret,
  integrationKeys,
  leadFormSnippet,
  replayDelivery,
  type WebhookDelivery,
} from './Integration.queries';
import './IntegrationServerPanel.css';
import { RefreshLink, ServerLogBody } from './ServerLog';

type Row = Readonly<Record<string, unknown>>;

const when = (iso: string | null) => (iso ? formatFullDateTime(iso) : '—');

const STATUS: Record<WebhookDelivery['status'], { label: string; badge: string }> = {
  sent: { label: 'Sent', badge: 'badge badge-completed' },
  pending: { label: 'Retrying', badge: 'badge' },
  failed: { label: 'Failed', badge: 'badge badge-lost' },
};

const isLeadForm = (record: Row) =>
  typeof record.config === 'object' && record.config !== null && (record.config as Row).type === 'leadCapture';

/**
 * What the server knows of an integration, under its detail in Settings → Integrations: a webhook's
 * delivery log with Replay and its signing secret, a lead capture form's HTML snippet, and the alert
 * when the server disabled it. Server-only data: signed out, it says so.
 */
export function IntegrationServerPanel({ record }: { record: Row }) {
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const disabled =
    record.status === 'error' ? (
      <p className="error integration-alert" role="alert">
        Disabled by the server: {String(record.errorMessage ?? 'repeated failures')}. Fix the receiver, then Enable.
      </p>
    ) : null;
  if (record.provider !== 'webhook' && !isLeadForm(record)) return disabled;
  if (serverUrl === undefined) {
    return (
      <section className="section integration-server">
        {disabled}
        <p className="muted">Deliveries, secrets and form snippets come from the sync server: sign in to a server.</p>
      </section>
    );
  }
  return (
    <section className="section integration-server">
      {disabled}
      {record.provider === 'webhook' && <WebhookDeliveries integrationId={String(record.id)} serverUrl={serverUrl} />}
      {isLeadForm(record) && <LeadFormSnippet formKey={String(record.id)} serverUrl={serverUrl} />}
    </section>
  );
}

function WebhookDeliveries({ integrationId, serverUrl }: { integrationId: string; serverUrl: string }) {
  const { user } = useCrm();
  const admin = can(user.permissions, 'externalIntegration', 'update') === 'all';
  const client = useQueryClient();
  const [secret, setSecret] = useState<string>();
  const deliveries = useQuery({
    queryKey: integrationKeys.deliveries(serverUrl, integrationId),
    queryFn: ({ signal }) => fetchDeliveries(authorizedFetch(appSession()), serverUrl, integrationId, signal),
    enabled: admin,
    staleTime: 10_000,
    refetchInterval: 30_000,
    retry: 1,
  });
  const replay = useMutation({
    mutationFn: (deliveryId: string) => replayDelivery(authorizedFetch(appSession()), serverUrl, deliveryId),
    onSuccess: () => toast({ tone: 'success', message: 'Queued again: the server sends it within moments.' }),
    onError: (error) => toast({ tone: 'error', message: errorMessage(error) }),
    onSettled: () => client.invalidateQueries({ queryKey: integrationKeys.all }),
  });
  const reveal = useMutation({
    mutationFn: (rotate: boolean) =>
      fetchWebhookSecret(authorizedFetch(appSession()), serverUrl, integrationId, rotate),
    onSuccess: setSecret,
    onError: (error) => toast({ tone: 'error', message: errorMessage(error) }),
  });
  if (!admin) return <p className="muted">Only administrators see an integration's deliveries.</p>;
  return (
    <>
      <h3>
        Signing secret
        <button type="button" className="link" disabled={reveal.isPending} onClick={() => reveal.mutate(false)}>
          Show
        </button>
        <button type="button" className="link" disabled={reveal.isPending} onClick={() => reveal.mutate(true)}>
          Rotate
        </button>
      </h3>
      <p className="muted">
        Each call carries <code>x-fieldcrm-signature: t=…,v1=…</code>, v1 being HMAC-SHA256 of "t.body" under this
        secret (README, Integrations).
      </p>
      {secret && <code className="integration-secret">{secret}</code>}
      <h3>
        Deliveries
        <RefreshLink fetching={deliveries.isFetching} onClick={() => void deliveries.refetch()} />
      </h3>
      <ServerLogBody
        query={deliveries}
        name="The delivery log"
        loading="Loading deliveries…"
        empty="No deliveries yet."
      >
        {(rows) => <DeliveryTable deliveries={rows} busy={replay.isPending} onReplay={(id) => replay.mutate(id)} />}
      </ServerLogBody>
    </>
  );
}

function DeliveryTable(props: { deliveries: readonly WebhookDelivery[]; busy: boolean; onReplay(id: string): void }) {
  return (
    <table className="webhook-deliveries">
      <thead>
        <tr>
          <th>When</th>
          <th>Event</th>
          <th>Status</th>
          <th>Response</th>
          <th>Attempts</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.deliveries.map((d) => (
          <tr key={d.id}>
            <td>
              {when(d.createdAt)}
              {d.replayOf && <div className="muted">replay of #{d.replayOf}</div>}
            </td>
            <td>
              {d.event}
              <div className="muted">{d.recordId}</div>
            </td>
            <td>
              <span className={STATUS[d.status].badge}>{STATUS[d.status].label}</span>
              {d.nextAttemptAt && <div className="muted">next {when(d.nextAttemptAt)}</div>}
            </td>
            <td>
              {d.responseStatus ?? '—'}
              {d.durationMs !== null && <span className="muted"> in {d.durationMs} ms</span>}
              {(d.lastError || d.responseExcerpt) && (
                <div className="webhook-response">{d.lastError ?? d.responseExcerpt}</div>
              )}
            </td>
            <td>{d.attempts}</td>
            <td>
              {d.status !== 'pending' && (
                <button type="button" disabled={props.busy} onClick={() => props.onReplay(d.id)}>
                  Replay
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LeadFormSnippet({ formKey, serverUrl }: { formKey: string; serverUrl: string }) {
  const snippet = leadFormSnippet(serverUrl, formKey);
  const copy = () =>
    void navigator.clipboard.writeText(snippet).then(
      () => toast({ tone: 'success', message: 'Snippet copied: paste it into the website page.' }),
      (error: unknown) => toast({ tone: 'error', message: errorMessage(error) }),
    );
  return (
    <>
      <h3>
        Website form
        <button type="button" className="link" onClick={copy}>
          Copy snippet
        </button>
      </h3>
      <p className="muted">
        Posts to this form's public endpoint. Add the website's origin to <code>config.allowedOrigins</code>; posts
        become leads (deduplicated by email, assigned by <code>config.assignGroupId</code>) at the next sync.
      </p>
      <textarea className="lead-form-snippet" readOnly value={snippet} rows={12} aria-label="Website form snippet" />
    </>
  );
}
