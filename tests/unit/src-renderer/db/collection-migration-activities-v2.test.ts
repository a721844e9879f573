import { createHash } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import { COLLECTION_VERSIONS } from '../../../../src-shared/entities/collections';
import { baseFields } from '../../../../src-shared/schema/define-entity';
import { type StoredDoc, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';
import { oldStoredDocs, openAfterOldVersion } from '../../../support/old-stored-doc';

/** The stored indexes activities v2 added: the communications and notes lists' filters. */
const ADDED = ['type', 'direction', 'status', 'noteType'].map((f) => ['kind', f, 'isDeleted', 'newest'].join('+'));

/** The version 1 schema: today's less v2's indexes, and less the fields only they made required. */
function schemaV1(): RxJsonSchema<StoredDoc> {
  const { version: _, ...now } = toRxSchema('activities');
  const indexes = (now.indexes ?? []).filter((i) => !ADDED.includes((Array.isArray(i) ? i : [i]).join('+')));
  const indexed = new Set(indexes.flat());
  const base = baseFields as Record<string, { required?: boolean }>;
  const required = (now.required as string[]).filter((f) => indexed.has(f) || base[f]?.required === true);
  return { ...now, indexes, required, version: 1 } as RxJsonSchema<StoredDoc>;
}

const AT = '2026-10-01T08:00:00.000Z';
const doc = oldStoredDocs(AT);

const about = { subjectType: 'contact', subjectId: 'contact-1' };
const call = doc('communication', {
  ...about,
  type: 'call',
  direction: 'inbound',
  status: 'missed',
  occurredAt: AT,
  body: 'Call-Body-Marker',
});
const email = doc('communication', {
  ...about,
  type: 'email',
  direction: 'outbound',
  status: 'sent',
  occurredAt: AT,
  fromAddress: 'rep@example.com',
});
const deletedCall = doc('communication', {
  ...about,
  type: 'call',
  direction: 'inbound',
  status: 'missed',
  occurredAt: AT,
  isDeleted: true,
  deletedAt: AT,
});
const meetingNote = doc('note', { ...about, body: 'Meeting-Note-Marker', noteType: 'meeting', pinned: false });
const generalNote = doc('note', { ...about, body: 'General note', noteType: 'general', pinned: true });
const OLD: StoredDoc[] = [
  call,
  email,
  deletedCall,
  meetingNote,
  generalNote,
  doc('communicationAttachment', {
    communicationId: email.id,
    fileName: 'a.pdf',
    mimeType: 'application/pdf',
    sizeBytes: 10,
  }),
  doc('leadActivity', { leadId: 'lead-1', type: 'call', occurredAt: AT }),
  doc('contentInteraction', { ...about, contentId: 'content-1', type: 'view', occurredAt: AT }),
  doc('dealStageHistory', { dealId: 'deal-1', toStage: 'proposal', changedAt: AT, changedBy: 'user-rep-1' }),
];

describe('activities from version 1 to 2 (the list filter indexes)', () => {
  it('rebuilds the schema v1 had', () => {
    const { version: _, ...v1 } = schemaV1();
    // The activities hash of tests/contract/schema-versions.snap.json at version 1.
    expect(createHash('sha256').update(JSON.stringify(v1)).digest('hex').slice(0, 16)).toBe('7ff661965b76eadf');
  });

  it('keeps every document, their personal fields readable, and serves the filters from the new indexes', async () => {
    const { db, progress } = await openAfterOldVersion('activities', schemaV1(), OLD);
    try {
      // The boot screen is told how far the copy is, and that it ended.
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p.collections.includes('activities'))).toBe(true);
      expect(progress.at(-1)).toMatchObject({ handled: OLD.length, total: OLD.length });
      expect(db.rx.activities.schema.version).toBe(COLLECTION_VERSIONS.activities.version);
      expect(COLLECTION_VERSIONS.activities.version).toBe(2);
      const now = await db.rx.activities.find().exec();
      expect(now.map((d) => d.toJSON()).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
        OLD.map((d) => expect.objectContaining(d)),
      );

      const repos = createRepositories(db);
      const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id);
      expect(repos.communication.plan({ where: { status: 'missed' } })).toMatchObject({
        selectorSatisfiedByIndex: true,
        sortSatisfiedByIndex: true,
      });
      expect(await ids(repos.communication.list({ where: { status: 'missed' } }))).toEqual([call.id]);
      expect(await ids(repos.communication.list({ where: { type: 'email' } }))).toEqual([email.id]);
      expect(await ids(repos.communication.list({ where: { direction: 'inbound' } }))).toEqual([call.id]);
      expect(await ids(repos.communication.list({ where: { direction: 'inbound' }, includeDeleted: true }))).toEqual([
        deletedCall.id,
        call.id,
      ]);
      expect(await repos.note.list({ where: { noteType: 'meeting' } })).toEqual([
        expect.objectContaining({ id: meetingNote.id, body: 'Meeting-Note-Marker' }),
      ]);
      expect((await repos.communication.get(call.id))?.body).toBe('Call-Body-Marker');
      // New writes land in the new indexes too.
      const added = await repos.communication.create({
        ...about,
        type: 'letter',
        direction: 'outbound',
        status: 'draft',
        occurredAt: AT,
      } as never);
      expect(await ids(repos.communication.list({ where: { type: 'letter' } }))).toEqual([added.id]);
    } finally {
      await db.rx.remove();
    }
  });
});
