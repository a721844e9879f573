import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BytesStore,
  type LogCommunicationInput,
  logCommunication,
} from '../../../../../src-renderer/features/communications/log-communication';
import { FileStore, FileTooLargeError, MAX_FILE_BYTES } from '../../../../../src-renderer/files/file-store';
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

const file = (name: string, text: string, type = 'application/pdf') => new File([text], name, { type });

async function contactAtCompany() {
  const company = await t.repos.company.create({ name: 'Navy Labs' });
  const contact = await t.repos.contact.create({ firstName: 'Grace', lastName: 'Hopper', companyId: company.id });
  return { company, contact };
}

const call = (subjectId: string, overrides: Partial<LogCommunicationInput> = {}): LogCommunicationInput => ({
  type: 'call',
  direction: 'outbound',
  subjectType: 'contact',
  subjectId,
  subject: 'Pricing follow-up',
  body: 'Asked for the volume discount.',
  occurredAt: '2026-11-01T08:30:00.000Z',
  durationMinutes: 12,
  outcome: 'Send proposal',
  ...overrides,
});

async function stored() {
  return {
    communications: await t.repos.communication.count(),
    attachments: await t.repos.communicationAttachment.count(),
    files: await files.pendingCount(),
  };
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

describe('logCommunication', () => {
  it('writes the communication with the subject’s links and its attachments, bytes stored on the device', async () => {
    const { company, contact } = await contactAtCompany();
    const result = await logCommunication(t.repos, files, call(contact.id), [
      file('proposal.pdf', '%PDF-1.7 proposal'),
      file('notes.txt', 'call notes', 'text/plain'),
    ]);
    expect(result.communication).toMatchObject({
      type: 'call',
      status: 'completed',
      subjectType: 'contact',
      subjectId: contact.id,
      contactId: contact.id,
      companyId: company.id,
      durationMinutes: 12,
      ownerId: 'user-rep-1',
    });
    expect(result.attachments.map((a) => a.fileName).sort()).toEqual(['notes.txt', 'proposal.pdf']);
    for (const attachment of result.attachments) {
      expect(attachment.communicationId).toBe(result.communication.id);
      expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(attachment.storageKey).toBe(`sha256/${attachment.sha256}`);
      expect((await files.get(attachment.sha256 ?? ''))?.sizeBytes).toBe(attachment.sizeBytes);
    }
    expect(await stored()).toEqual({ communications: 1, attachments: 2, files: 2 });
  });

  it('fills deal, company and contact from a deal', async () => {
    const { company, contact } = await contactAtCompany();
    const deal = await t.repos.deal.create({
      name: 'Compilers',
      amount: 100_00,
      currency: 'USD',
      stage: 'proposal',
      companyId: company.id,
      contactId: contact.id,
    } as never);
    const { communication } = await logCommunication(t.repos, files, call(deal.id, { subjectType: 'deal' }));
    expect(communication).toMatchObject({ dealId: deal.id, companyId: company.id, contactId: contact.id });
  });

  it('refuses a missing subject record, naming subjectId, and writes nothing', async () => {
    expect(await problemOf(logCommunication(t.repos, files, call('no-such-contact'), [file('a.pdf', 'x')]))).toEqual([
      { field: 'subjectId', problem: '"no-such-contact" is not a contact on this device' },
    ]);
    expect(await problemOf(logCommunication(t.repos, files, call('')))).toEqual([
      { field: 'subjectId', problem: 'is required: choose the record this is about' },
    ]);
    expect(await problemOf(logCommunication(t.repos, files, call('x', { subjectType: 'invoice' })))).toEqual([
      { field: 'subjectType', problem: 'must be one of contact, company, lead, deal' },
    ]);
    expect(await stored()).toEqual({ communications: 0, attachments: 0, files: 0 });
  });

  it('refuses an invalid occurredAt or type by field, before any bytes are stored', async () => {
    const { contact } = await contactAtCompany();
    const problems = await problemOf(
      logCommunication(t.repos, files, call(contact.id, { occurredAt: 'yesterday-ish', type: 'telegram' }), [
        file('a.pdf', 'x'),
      ]),
    );
    expect([...new Set(problems.map((p) => p.field))].sort()).toEqual(['occurredAt', 'type']);
    expect(await stored()).toEqual({ communications: 0, attachments: 0, files: 0 });
  });

  it('refuses a file over the limit by name, and stores none of the others', async () => {
    const { contact } = await contactAtCompany();
    const huge = {
      name: 'drone footage.mp4',
      type: 'video/mp4',
      size: MAX_FILE_BYTES + 1,
      arrayBuffer: async () => new ArrayBuffer(0),
    };
    const error = await logCommunication(t.repos, files, call(contact.id), [file('a.pdf', 'x'), huge]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toContain('"drone footage.mp4"');
    expect(await stored()).toEqual({ communications: 0, attachments: 0, files: 0 });
  });

  it('refuses an attachment whose name is too long, by its position, before storing bytes', async () => {
    const { contact } = await contactAtCompany();
    const error = await logCommunication(t.repos, files, call(contact.id), [
      file('fine.pdf', 'x'),
      file(`${'n'.repeat(300)}.pdf`, 'y'),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).index).toBe(1);
    expect((error as ValidationError).problems[0]?.field).toBe('fileName');
    expect(await stored()).toEqual({ communications: 0, attachments: 0, files: 0 });
  });

  it('writes no record when the bytes cannot be stored (nothing is saved before it is durable locally)', async () => {
    const { contact } = await contactAtCompany();
    const order: string[] = [];
    const failing: BytesStore = {
      add: async () => {
        order.push('bytes');
        throw new Error('QuotaExceededError: the disk is full');
      },
    };
    await expect(logCommunication(t.repos, failing, call(contact.id), [file('a.pdf', 'x')])).rejects.toThrow(
      'the disk is full',
    );
    expect(order).toEqual(['bytes']);
    expect(await stored()).toEqual({ communications: 0, attachments: 0, files: 0 });
  });

  it('stores the bytes before the records that name them', async () => {
    const { contact } = await contactAtCompany();
    const seen: number[] = [];
    const spying: BytesStore = {
      add: async (f) => {
        seen.push(await t.repos.communication.count());
        return files.add(f);
      },
    };
    await logCommunication(t.repos, spying, call(contact.id), [file('a.pdf', 'x'), file('b.pdf', 'y')]);
    expect(seen).toEqual([0, 0]);
    expect(await t.repos.communication.count()).toBe(1);
  });
});
