import type { FieldProblem } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';
import { type LoggedCommunication, logCommunication } from './log-communication';

/**
 * "Send email": an outbound email communication the sync server sends (sync-server/src/integrations/
 * email-outbox.ts). The entity has no 'queued' status, so a queued email is status 'scheduled' with
 * this outcome, the marker the server looks for; a communication merely logged as scheduled is never
 * sent. Written locally like any record: it works offline and is pushed, then sent, on reconnect.
 * The server sets 'sent', or 'cancelled' with 'Not sent: <reason>'.
 */
export const QUEUED_OUTCOME = 'Queued for sending';

export interface SendEmailInput {
  subjectType: 'contact' | 'lead';
  subjectId: string;
  to: readonly string[];
  subject: string;
  body: string;
  fromAddress?: string;
  now: Date;
}

/** Attachments are not sent by the server yet: the queue carries text only. */
const NO_FILES = {
  add: () => Promise.reject(new Error('attachments cannot be sent by email yet')),
};

export function queueEmail(repos: Repositories, input: SendEmailInput): Promise<LoggedCommunication> {
  return logCommunication(repos, NO_FILES, {
    type: 'email',
    direction: 'outbound',
    status: 'scheduled',
    outcome: QUEUED_OUTCOME,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    subject: input.subject,
    body: input.body,
    toAddresses: [...input.to],
    ...(input.fromAddress ? { fromAddress: input.fromAddress } : {}),
    occurredAt: input.now.toISOString(),
  });
}

/** The Send email form as typed: addresses in one box, separated by commas, semicolons or spaces. */
export interface EmailDraft {
  kind: 'contact' | 'lead';
  subjectId: string;
  to: string;
  subject: string;
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A draft's addresses and every problem it has at once, named by the communication's fields. */
export function readEmailDraft(draft: EmailDraft): { addresses: string[]; problems: FieldProblem[] } {
  const addresses = draft.to
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const problems: FieldProblem[] = [];
  if (draft.subjectId === '') {
    problems.push({ field: 'subjectId', problem: `is required: choose the ${draft.kind} this email is to` });
  }
  const bad = addresses.filter((a) => !ADDRESS.test(a));
  if (addresses.length === 0) problems.push({ field: 'toAddresses', problem: 'need at least one email address' });
  else if (bad.length > 0) {
    const quoted = bad.map((a) => `"${a}"`).join(', ');
    problems.push({
      field: 'toAddresses',
      problem: `hold ${quoted}, not ${bad.length === 1 ? 'an email address' : 'email addresses'}`,
    });
  }
  if (draft.subject.trim() === '') problems.push({ field: 'subject', problem: 'is required' });
  return { addresses, problems };
}
