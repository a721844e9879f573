import nodemailer, { type Transporter } from 'nodemailer';
import { type ConsentFacts, consentNeed, consentRefusal } from '../../../src-shared/consent/consent-rules';
import { communicationEntity } from '../../../src-shared/entities/content.entity';
import type { Database, Queryable } from '../db/database';
import { selectForUpdate } from '../sync/row-writer';
import { isQueuedEmail } from './email-outbox';
import { writeAudited } from './server-write';

/**
 * Sends queued outbound email (email-outbox.ts) over SMTP with nodemailer, one at a time, outside
 * any transaction: a statement leases a due `email_sends` row (its `run_after` pushed past the
 * timeout, FOR UPDATE SKIP LOCKED so instances never share one), the message is sent, and one
 * transaction records the outcome on the row and on the Communication (row writer + server audit
 * entry 'email', so the device sees 'sent' or 'Not sent: <reason>' at its next pull).
 *
 * Once: a communication has one `email_sends` row, and a sent row is never leased again. The one
 * window left is a crash after the SMTP server accepted the message and before the outcome
 * committed: the lease expires and the message goes again, with the same Message-ID
 * (`<communication id@fieldcrm>`), which receiving systems use to drop the duplicate.
 *
 * Consent is checked again just before sending (src-shared/consent/consent-rules.ts, the rule the
 * push applied when the email was queued): a withdrawal recorded since stops it, with the reason.
 *
 * A refusal that will not change (an SMTP 5xx: unknown mailbox, relay denied) fails at once; a
 * connection problem or a 4xx is retried after `retryDelayMs · 2^(attempt-1)` until `maxAttempts`.
 */

export interface SmtpSettings {
  host: string;
  port: number;
  user?: string;
  pass?: string;
  from: string;
  /** Without TLS on a plain port (a local relay, tests); otherwise STARTTLS is required when offered. */
  secure?: boolean;
}

export interface EmailSendOptions {
  now: Date;
  newId(): string;
  maxAttempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface EmailOutcome {
  communicationId: string;
  status: 'sent' | 'pending' | 'failed';
  error?: string;
  txid?: string;
}

/** The SMTP settings of the environment (.env.example), or why there are none. */
export function smtpFromEnv(env: NodeJS.ProcessEnv): SmtpSettings | undefined {
  const host = env.SMTP_HOST?.trim();
  const from = env.SMTP_FROM?.trim();
  if (!host || !from) return undefined;
  const port = Number(env.SMTP_PORT ?? 587);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`SMTP_PORT must be a whole number from 1 to 65535, not "${env.SMTP_PORT}"`);
  }
  return {
    host,
    port,
    from,
    ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
    ...(env.SMTP_PASS ? { pass: env.SMTP_PASS } : {}),
    secure: port === 465,
  };
}

export function smtpTransport(settings: SmtpSettings, timeoutMs = 15_000): Transporter {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure ?? settings.port === 465,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

const LEASE = `UPDATE email_sends SET attempts = attempts + 1, run_after = $2::timestamptz
WHERE communication_id = (SELECT communication_id FROM email_sends WHERE status = 'pending' AND run_after <= $1::timestamptz
  ORDER BY run_after, communication_id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING communication_id, attempts`;

interface SmtpError {
  message?: string;
  responseCode?: number;
  code?: string;
}

const reasonOf = (error: unknown): string => {
  const e = error as SmtpError;
  return String(e?.message ?? error)
    .replace(/\s+/g, ' ')
    .slice(0, 180);
};

async function finish(
  tx: Queryable,
  id: string,
  outcome: { sent: true; messageId: string; from: string } | { sent: false; reason: string },
  options: EmailSendOptions,
): Promise<string | undefined> {
  const at = options.now.toISOString();
  await tx.query(
    `UPDATE email_sends SET status = $2, last_error = $3, message_id = $4, sent_at = $5::timestamptz WHERE communication_id = $1`,
    outcome.sent ? [id, 'sent', null, outcome.messageId, at] : [id, 'failed', outcome.reason, null, null],
  );
  const current = await selectForUpdate(tx, communicationEntity, id);
  if (current === undefined || !isQueuedEmail(current)) return undefined;
  const next = {
    ...current,
    ...(outcome.sent
      ? { status: 'sent', outcome: 'Sent', ...(current.fromAddress ? {} : { fromAddress: outcome.from }) }
      : { status: 'cancelled', outcome: `Not sent: ${outcome.reason}`.slice(0, 200) }),
    updatedAt: at,
  };
  return writeAudited(tx, communicationEntity, current, next, {
    actorId: String(current.ownerId),
    deviceId: 'email',
    reason: outcome.sent ? 'sent by the server over SMTP' : 'the server could not send this email',
    now: options.now,
    newId: options.newId,
  });
}

/** Sends one due email; undefined when none is due. */
export async function sendNextEmail(
  db: Database,
  smtp: { settings: SmtpSettings; transport: Transporter } | undefined,
  options: EmailSendOptions,
): Promise<EmailOutcome | undefined> {
  const lease = new Date(options.now.getTime() + 2 * (options.timeoutMs ?? 15_000) * 3).toISOString();
  const leased = (
    await db.query<{ communication_id: string; attempts: number }>(LEASE, [options.now.toISOString(), lease])
  ).rows[0];
  if (leased === undefined) return undefined;
  const id = leased.communication_id;
  const doc = await selectForUpdate(db, communicationEntity, id);
  const fail = async (reason: string): Promise<EmailOutcome> => {
    const txid = await db.transaction((tx) => finish(tx, id, { sent: false, reason }, options));
    return { communicationId: id, status: 'failed', error: reason, ...(txid ? { txid } : {}) };
  };
  // Cancelled, edited back to a draft or removed since it was queued: not sent.
  if (doc === undefined || !isQueuedEmail(doc)) return fail('no longer queued');
  if (!smtp) return fail('the server has no SMTP settings (SMTP_HOST, SMTP_FROM)');
  const refusal = await consentProblem(db, doc);
  if (refusal) return fail(refusal);
  const to = Array.isArray(doc.toAddresses) ? doc.toAddresses.map(String) : [];
  if (to.length === 0) return fail('no recipient (toAddresses is empty)');
  try {
    const info = await smtp.transport.sendMail({
      from: smtp.settings.from,
      ...(typeof doc.fromAddress === 'string' && doc.fromAddress !== smtp.settings.from
        ? { replyTo: doc.fromAddress }
        : {}),
      to,
      subject: typeof doc.subject === 'string' ? doc.subject : '',
      text: typeof doc.body === 'string' ? doc.body : '',
      messageId: `<${id}@fieldcrm>`,
    });
    const messageId = String((info as { messageId?: unknown }).messageId ?? `<${id}@fieldcrm>`);
    const txid = await db.transaction((tx) =>
      finish(tx, id, { sent: true, messageId, from: smtp.settings.from }, options),
    );
    return { communicationId: id, status: 'sent', ...(txid ? { txid } : {}) };
  } catch (error) {
    const reason = reasonOf(error);
    const code = (error as SmtpError).responseCode;
    const permanent = code !== undefined && code >= 500;
    if (permanent || leased.attempts >= (options.maxAttempts ?? 5)) return fail(reason);
    const retryAt = new Date(options.now.getTime() + (options.retryDelayMs ?? 60_000) * 2 ** (leased.attempts - 1));
    await db.query('UPDATE email_sends SET run_after = $2::timestamptz, last_error = $3 WHERE communication_id = $1', [
      id,
      retryAt.toISOString(),
      reason,
    ]);
    return { communicationId: id, status: 'pending', error: reason };
  }
}

const CONSENTS = `SELECT id, subject_id AS "subjectId", channel, status,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
FROM consents WHERE subject_id = ANY($1::text[]) AND NOT is_deleted AND NOT sync_removed`;

/** Why the email may not go to its people now (consent missing or withdrawn); undefined when it may. */
async function consentProblem(db: Queryable, doc: Readonly<Record<string, unknown>>): Promise<string | undefined> {
  const people = consentNeed(doc)?.people ?? [];
  if (people.length === 0) return undefined;
  const { rows } = await db.query<ConsentFacts>(CONSENTS, [people.map((p) => p.id)]);
  return consentRefusal(doc, rows, (person) => `${person.kind} ${person.id}`)?.problem;
}
