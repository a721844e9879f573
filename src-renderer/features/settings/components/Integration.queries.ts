/**
 * The server's side of integrations (sync-server/src/integrations): a webhook integration's delivery
 * log, replay and signing secret, and content tracking links. Server-only data, never in the local
 * database, so it goes through react-query with the session's token.
 */

import type { WebhookDelivery } from '../../../../src-shared/integrations/webhook-delivery';

export type { WebhookDelivery };

/** The server's refusal: its message and the field at fault. */
export class IntegrationServerError extends Error {
  override readonly name = 'IntegrationServerError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const integrationKeys = {
  all: ['integrations-server'] as const,
  deliveries: (serverUrl: string, integrationId: string) =>
    [...integrationKeys.all, serverUrl, 'deliveries', integrationId] as const,
};

const base = (serverUrl: string) => serverUrl.replace(/\/+$/, '');

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string; field?: string };
  if (!response.ok)
    throw new IntegrationServerError(body.error ?? `the server answered ${response.status}`, body.field);
  return body;
}

export async function fetchDeliveries(
  fetcher: typeof fetch,
  serverUrl: string,
  integrationId: string,
  signal?: AbortSignal,
): Promise<WebhookDelivery[]> {
  const url = `${base(serverUrl)}/integrations/${encodeURIComponent(integrationId)}/deliveries?limit=50`;
  return (await answer<{ deliveries: WebhookDelivery[] }>(await fetcher(url, { signal: signal ?? null }))).deliveries;
}

export async function replayDelivery(fetcher: typeof fetch, serverUrl: string, deliveryId: string): Promise<string> {
  const url = `${base(serverUrl)}/integrations/deliveries/${encodeURIComponent(deliveryId)}/replay`;
  return (await answer<{ id: string }>(await fetcher(url, { method: 'POST' }))).id;
}

export async function fetchWebhookSecret(
  fetcher: typeof fetch,
  serverUrl: string,
  integrationId: string,
  rotate = false,
): Promise<string> {
  const url = `${base(serverUrl)}/integrations/${encodeURIComponent(integrationId)}/webhook-secret${rotate ? '/rotate' : ''}`;
  return (await answer<{ secret: string }>(await fetcher(url, rotate ? { method: 'POST' } : {}))).secret;
}

/** A signed link of one content item for one recipient (`/t/<token>`). */
export async function createTrackingLink(
  fetcher: typeof fetch,
  serverUrl: string,
  input: { contentId: string; subjectType: 'lead' | 'contact'; subjectId: string; channel?: string },
): Promise<string> {
  const response = await fetcher(`${base(serverUrl)}/integrations/tracking-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await answer<{ url: string }>(response)).url;
}

/**
 * The HTML a website pastes to post its form to the lead capture endpoint: form-encoded (a "simple"
 * request, no CORS preflight), with the hidden honeypot (`website`), the render time (`_ts`), the page
 * and the UTM parameters of the page's address.
 */
export function leadFormSnippet(serverUrl: string, formKey: string): string {
  const action = `${base(serverUrl)}/capture/leads/${encodeURIComponent(formKey)}`;
  return `<form id="crm-lead-form" action="${action}" method="post">
  <label>Name <input name="name" required maxlength="200"></label>
  <label>Email <input name="email" type="email" required maxlength="254"></label>
  <label>Company <input name="company" maxlength="200"></label>
  <label>Phone <input name="phone" type="tel" maxlength="40"></label>
  <label>Message <textarea name="message" maxlength="5000"></textarea></label>
  <!-- Left empty by people, filled by bots: keep it hidden. -->
  <input name="website" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px" aria-hidden="true">
  <button type="submit">Send</button>
  <p id="crm-lead-form-status" role="status"></p>
</form>
<script>
(function () {
  var form = document.getElementById('crm-lead-form');
  var renderedAt = Date.now();
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    data.set('_ts', String(renderedAt));
    data.set('page', location.href);
    data.set('referrer', document.referrer);
    new URLSearchParams(location.search).forEach(function (value, key) {
      if (key.indexOf('utm_') === 0) data.set(key, value);
    });
    fetch(form.action, { method: 'POST', body: data }).then(function (response) {
      document.getElementById('crm-lead-form-status').textContent =
        response.ok ? 'Thank you, we will be in touch.' : 'Sorry, that did not work. Please try again.';
      if (response.ok) form.reset();
    });
  });
})();
</script>`;
}
