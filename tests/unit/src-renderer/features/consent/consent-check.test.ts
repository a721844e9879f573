import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LogCommunicationInput,
  logCommunication,
} from '../../../../../src-renderer/features/communications/log-communication';
import {
  channelConsents,
  recordConsent,
  withdrawInput,
} from '../../../../../src-renderer/features/consent/consent.service';
import { FileStore } from '../../../../../src-renderer/files/file-store';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
let files: FileStore;
beforeEach(async () => {
  t = await openTestDb();
  files = new FileStore(`files-${Math.random()}`, { indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } });
});
afterEach(async () => {
  await files.delete();
  await t.close();
});

const AT = '2026-11-01T08:30:00.000Z';

const message = (subjectType: 'contact' | 'lead', subjectId: string, o: Partial<LogCommunicationInput> = {}) => ({
  type: 'email',
  direction: 'outbound',
  status: 'sent',
  subjectType,
  subjectId,
  subject: 'Spring offer',
  occurredAt: AT,
  ...o,
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

const grant = (
  subjectId: string,
  channel: 'email' | 'phone' | 'sms' | 'post',
  subjectType: 'contact' | 'lead' = 'contact',
) =>
  recordConsent(t.repos, {
    subjectType,
    subjectId,
    channel,
    status: 'granted',
    legalBasis: 'consent',
    source: 'Web form',
    at: '2026-10-01T10:00:00.000Z',
    proofText: 'Ticked "Send me offers by email" on the pricing page',
  });

describe('consent on the communications write path (device, offline)', () => {
  it('blocks an outbound email without consent, naming the person and the channel; nothing is written', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Grace', lastName: 'Hopper' });
    const problems = await refusal(logCommunication(t.repos, files, message('contact', contact.id)));
    expect(problems).toEqual([
      {
        field: 'contactId',
        problem:
          'Grace Hopper has not given consent to email: an outbound email to them is blocked until it is recorded',
      },
    ]);
    expect(await t.repos.communication.count()).toBe(0);

    await grant(contact.id, 'email');
    const logged = await logCommunication(t.repos, files, message('contact', contact.id));
    expect(logged.communication).toMatchObject({ type: 'email', contactId: contact.id });
  });

  it('blocks after a withdrawal (as easy as the grant: one record), and history keeps both', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    const granted = await grant(contact.id, 'sms');
    t.tick(60_000);
    await recordConsent(
      t.repos,
      withdrawInput(
        { subjectType: 'contact', subjectId: contact.id },
        'sms',
        '2026-11-01T09:01:00.000Z',
        'Replied STOP',
        granted,
      ),
    );
    const problems = await refusal(logCommunication(t.repos, files, message('contact', contact.id, { type: 'sms' })));
    expect(problems[0]).toEqual({
      field: 'contactId',
      problem: 'Ada Lovelace withdrew consent to sms on 2026-11-01: an outbound SMS to them is blocked',
    });
    const sms = channelConsents(await t.repos.consent.list({ where: { subjectId: contact.id } }), contact.id).find(
      (c) => c.channel === 'sms',
    );
    expect(sms?.current?.status).toBe('withdrawn');
    expect(sms?.history.map((r) => r.status)).toEqual(['withdrawn', 'granted']);
    // Each change is audited by the normal write path.
    const audit = await t.db.rx.collections.audit.find().exec();
    expect(audit.filter((e) => e.get('entityKind') === 'consent').length).toBeGreaterThanOrEqual(2);
  });

  it('lets inbound messages and meetings through; calls need no record but respect a withdrawal', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Alan', lastName: 'Turing' });
    await logCommunication(
      t.repos,
      files,
      message('contact', contact.id, { direction: 'inbound', status: 'received' }),
    );
    await logCommunication(t.repos, files, message('contact', contact.id, { type: 'meeting', status: 'completed' }));
    await logCommunication(t.repos, files, message('contact', contact.id, { type: 'call', status: 'completed' }));
    await logCommunication(t.repos, files, message('contact', contact.id, { status: 'draft' }));
    await recordConsent(
      t.repos,
      withdrawInput({ subjectType: 'contact', subjectId: contact.id }, 'phone', AT, 'Asked not to be called'),
    );
    const problems = await refusal(
      logCommunication(t.repos, files, message('contact', contact.id, { type: 'call', status: 'completed' })),
    );
    expect(problems[0]?.problem).toMatch(/^Alan Turing withdrew consent to phone on 2026-11-01/);
    expect(await t.repos.communication.count()).toBe(4);
  });

  it('checks leads too, by their own consent', async () => {
    const lead = await t.repos.lead.create({ firstName: 'Katherine', lastName: 'Johnson', source: 'website' });
    const problems = await refusal(logCommunication(t.repos, files, message('lead', lead.id)));
    expect(problems[0]).toMatchObject({
      field: 'leadId',
      problem: expect.stringMatching(/^Katherine Johnson has not/),
    });
    await grant(lead.id, 'email', 'lead');
    await logCommunication(t.repos, files, message('lead', lead.id));
  });

  it('refuses a bad consent record by field: a grant on the basis of consent needs proof', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Hedy', lastName: 'Lamarr' });
    const base = { subjectType: 'contact', subjectId: contact.id, source: 'Trade fair', at: AT } as const;
    const problems = await refusal(
      recordConsent(t.repos, { ...base, channel: 'email', status: 'granted', legalBasis: 'consent' }),
    );
    expect(problems.map((p) => p.field)).toEqual(['proofText']);
    const channel = await refusal(
      recordConsent(t.repos, { ...base, channel: 'fax' as never, status: 'granted', legalBasis: 'contract' }),
    );
    expect(channel.map((p) => p.field)).toEqual(['channel']);
    expect(await t.repos.consent.count()).toBe(0);
    // A grant on another basis needs no consent proof.
    await recordConsent(t.repos, { ...base, channel: 'email', status: 'granted', legalBasis: 'contract' });
  });
});
