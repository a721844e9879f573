import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The signature of an outgoing webhook call, in the scheme Stripe documents
 * (https://docs.stripe.com/webhooks#verify-manually): header
 * `x-fieldcrm-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is signed with the body so a captured call cannot be replayed later: a receiver
 * refuses a `t` older than its tolerance (5 minutes in `verifyWebhookSignature`).
 */

export const SIGNATURE_HEADER = 'x-fieldcrm-signature';

/** A new signing secret: 32 random bytes, prefixed so it is recognisable when pasted somewhere. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * What a receiver runs (README "Integrations" has it for copying): true when `header` signs
 * `body` with `secret` and its time is within `toleranceSeconds` of `now`. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
