import { afterEach, describe, expect, it } from 'vitest';
import { bundleFor, deviceRecordsAbout, OFFLINE_NOTE } from '../../src-renderer/features/privacy/device-bundle';
import { contactEntity } from '../../src-shared/entities/contact.entity';
import { dealEntity } from '../../src-shared/entities/deal.entity';
import { noteEntity } from '../../src-shared/entities/work.entity';
import {
  BUNDLE_FORMAT,
  csvCell,
  personIds,
  type SubjectBundle,
  toCsv,
  withDeviceRecords,
} from '../../src-shared/privacy/subject-bundle';
import { validateRecord } from '../../src-shared/schema/validate';
import {
  anonymised,
  markersOf,
  namePartsOf,
  redactedChanges,
  removed,
  scrubbed,
} from '../../sync-server/src/privacy/erasure-plan';
import { openTestDb, type TestDb } from '../support/local-db';

const stamp = { at: '2026-11-02T10:00:00.000Z', by: 'u_admin' };
const base = {
  kind: 'contact',
  ownerId: 'u_rep',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'u_rep',
  updatedBy: 'u_rep',
  isDeleted: false,
  newest: 1,
};
const person = {
  ...base,
  id: 'c1',
  firstName: 'Zorblatt',
  lastName: 'Quixmore',
  email: 'z.q@example.test',
  phone: '+44 7700 900461',
  jobTitle: 'Buyer',
  companyId: 'co1',
  status: 'active',
  doNotContact: false,
  tags: ['vip'],
  customFields: { shoeSize: 44 },
};

describe('erasure plan', () => {
  it('anonymises a person to a valid record with no personal or free-text value', () => {
    const doc = anonymised(contactEntity, person, stamp);
    const { _deleted, ...record } = doc;
    expect(validateRecord(contactEntity, record)).toEqual([]);
    expect(doc).toMatchObject({ id: 'c1', firstName: '[erased]', companyId: 'co1', status: 'active', _deleted: false });
    for (const gone of ['lastName', 'email', 'phone', 'jobTitle', 'tags', 'customFields'])
      expect(doc).not.toHaveProperty(gone);
    expect(doc.updatedBy).toBe('u_admin');
  });

  it('removes a record about them as a stripped tombstone that is still valid', () => {
    const note = {
      ...base,
      kind: 'note',
      id: 'n1',
      subjectType: 'contact',
      subjectId: 'c1',
      body: 'Zorblatt said…',
      noteType: 'general',
      pinned: false,
    };
    const doc = removed(noteEntity, note, stamp);
    expect(doc).toMatchObject({ _deleted: true, isDeleted: true, body: '[erased]', subjectId: 'c1' });
    const { _deleted, ...record } = doc;
    expect(validateRecord(noteEntity, record)).toEqual([]);
  });

  it('scrubs only the mentions, longest first, and leaves a record without any untouched', () => {
    const markers = markersOf(contactEntity, person);
    expect(markers).toEqual(expect.arrayContaining(['zorblatt quixmore', 'z.q@example.test', '+44 7700 900461']));
    expect(markers).not.toContain('zorblatt');
    const deal = { ...base, kind: 'deal', id: 'd1', name: 'Quixmore renewal with Zorblatt Quixmore' };
    expect(scrubbed(deal, [...markers, ...namePartsOf(person)], stamp)?.name).toBe('[erased] renewal with [erased]');
    expect(scrubbed({ ...deal, name: 'Other' }, markers, stamp)).toBeUndefined();
    expect(dealEntity.name).toBe('deal');
  });

  it('redacts audit values whole for an erased record and by mention otherwise', () => {
    const changes = { lastName: ['Quixmore', null], score: [1, 2] };
    expect(redactedChanges(changes, true, [])).toEqual({
      lastName: ['[redacted]', null],
      score: ['[redacted]', '[redacted]'],
    });
    expect(redactedChanges({ summary: [null, 'Met Zorblatt Quixmore'] }, false, ['zorblatt quixmore'])).toEqual({
      summary: [null, 'Met [redacted]'],
    });
  });
});

describe('subject bundle', () => {
  it('writes RFC 4180 cells and neutralises spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(
      toCsv([
        { id: '1', b: 2 },
        { id: '2', c: 'x' },
      ]),
    ).toBe('id,b,c\r\n1,2,\r\n2,,x\r\n');
  });

  it('lays newer device records over the server’s and adds the ones the server lacks', () => {
    const server: SubjectBundle = {
      format: BUNDLE_FORMAT,
      subject: { kind: 'contact', id: 'c1' },
      linked: [],
      generatedAt: stamp.at,
      generatedBy: 'u_admin',
      sources: ['server'],
      records: { contact: [{ id: 'c1', updatedAt: '2026-01-01T00:00:00.000Z', lastName: 'Old' }] },
      attachments: [],
      audit: [],
    };
    const merged = withDeviceRecords(server, {
      contact: [{ id: 'c1', updatedAt: '2026-02-01T00:00:00.000Z', lastName: 'New' }],
      note: [{ id: 'n9', body: 'offline' }],
    });
    expect(merged.records.contact).toEqual([{ id: 'c1', updatedAt: '2026-02-01T00:00:00.000Z', lastName: 'New' }]);
    expect(merged.records.note).toEqual([{ id: 'n9', body: 'offline' }]);
    expect(merged.sources).toEqual(['server', 'device']);
    expect(personIds('lead', { id: 'l1', convertedContactId: 'c1' })).toEqual(['l1', 'c1']);
  });
});

describe('the device’s part of a bundle', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('finds the person, what references them and the device’s audit entries; offline it says it is the device’s alone', async () => {
    t = await openTestDb({ collections: ['contacts', 'leads', 'activities', 'audit'] });
    const contact = await t.repos.contact.create({
      firstName: 'Zorblatt',
      lastName: 'Quixmore',
      email: 'z.q@example.test',
    });
    const note = await t.repos.note.create({ subjectType: 'contact', subjectId: contact.id, body: 'offline note' });
    await t.repos.note.create({ subjectType: 'contact', subjectId: 'someone-else', body: 'not about them' });
    const device = await deviceRecordsAbout(t.db, 'contact', contact.id);
    expect(device.records.contact?.map((r) => r.email)).toEqual(['z.q@example.test']);
    expect(device.records.note?.map((r) => r.id)).toEqual([note.id]);
    expect(device.audit.map((e) => e.entityId).sort()).toEqual([contact.id, note.id].sort());

    const offline = bundleFor({ kind: 'contact', id: contact.id, device, userId: 'u1', now: new Date(stamp.at) });
    expect(offline).toMatchObject({ sources: ['device'], note: OFFLINE_NOTE });

    const server: SubjectBundle = { ...offline, sources: ['server'], records: { contact: [] }, audit: [] };
    delete server.note;
    const merged = bundleFor({
      kind: 'contact',
      id: contact.id,
      device,
      server,
      unsynced: new Set([note.id]),
      userId: 'u1',
      now: new Date(stamp.at),
    });
    // Only the unsynced note is laid over the server's part; the device's audit entries are added.
    expect(Object.keys(merged.records).sort()).toEqual(['contact', 'note']);
    expect(merged.records.contact).toEqual([]);
    expect(merged.records.note?.map((r) => r.id)).toEqual([note.id]);
    expect(merged.sources).toEqual(['server', 'device']);
    expect(merged.audit.length).toBe(device.audit.length);
  });
  it('finds the batch entries of a bulk import that list the person, narrowed to them, wherever they stand in the batch', async () => {
    t = await openTestDb({ collections: ['contacts', 'leads', 'activities', 'audit'] });
    const inputs = Array.from({ length: 300 }, (_, i) => ({ firstName: `Imported${i}`, lastName: 'Person' }));
    const result = await t.repos.contact.bulkCreate(inputs);
    expect(result.written).toBe(300);
    const all = await t.repos.contact.list({ limit: 1000 });
    // One in the middle of the first batch entry (250 records), and the first of the second.
    for (const name of ['Imported120', 'Imported250']) {
      const id = String(all.find((c) => c.firstName === name)?.id);
      const device = await deviceRecordsAbout(t.db, 'contact', id);
      expect(device.audit).toHaveLength(1);
      expect(device.audit[0]).toMatchObject({ action: 'batch', entityId: id, recordCount: 1 });
      // Nobody else's record goes into this person's bundle.
      expect(device.audit[0]?.records).toEqual([expect.objectContaining({ id })]);
    }
  });
});
