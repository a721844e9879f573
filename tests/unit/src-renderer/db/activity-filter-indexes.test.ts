import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommunicationFilters } from '../../../../src-renderer/features/communications/communications.store';
import { communicationListOptions } from '../../../../src-renderer/features/communications/components/CommunicationList';
import { noteListOptions } from '../../../../src-renderer/features/notes/NotesScreen';
import type { NoteType } from '../../../../src-renderer/features/notes/note-actions';
import { firstPageQueries } from '../../../../src-renderer/ui/prefetch-pages';
import { FIRST_PAGE_SIZE, servedByIndex } from '../../../../src-renderer/ui/usePagedList';
import { communicationEntity } from '../../../../src-shared/entities/content.entity';
import { noteEntity } from '../../../../src-shared/entities/work.entity';
import { openTestDb, type TestDb } from '../../../support/local-db';

const NONE: CommunicationFilters = { type: '', direction: '', status: '' };
const { type, direction, status } = communicationEntity.fields;
/** Each filter of the communications list chosen alone, at each of its values. */
const SINGLE_FILTERS: CommunicationFilters[] = [
  ...type.values.map((v) => ({ ...NONE, type: v })),
  ...direction.values.map((v) => ({ ...NONE, direction: v })),
  ...status.values.map((v) => ({ ...NONE, status: v })),
];

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe("the lists' filters are served by an index (activities v2)", () => {
  it.each(SINGLE_FILTERS)('a first page of communications under %o is one read of an index', (filters) => {
    const [field] = Object.keys(communicationListOptions(filters).where);
    const queries = firstPageQueries(communicationListOptions(filters), FIRST_PAGE_SIZE);
    expect(queries).toHaveLength(1);
    for (const query of queries) {
      const plan = t.repos.communication.plan(query);
      expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
      expect(plan.index).toContain(field);
    }
  });

  it.each(noteEntity.fields.noteType.values)('a first page of %s notes is one read of an index', (noteType) => {
    const queries = firstPageQueries(noteListOptions({ noteType: noteType as NoteType }), FIRST_PAGE_SIZE);
    expect(queries).toHaveLength(1);
    for (const query of queries) {
      const plan = t.repos.note.plan(query);
      expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
      expect(plan.index).toContain('noteType');
    }
  });

  it('servedByIndex keeps every single filter, and leaves out two filters together (they walk the first one)', () => {
    const single = SINGLE_FILTERS.map(communicationListOptions);
    expect(servedByIndex(t.repos.communication, single)).toEqual(single);
    const both = communicationListOptions({ ...NONE, type: 'call', status: 'missed' });
    expect(servedByIndex(t.repos.communication, [both])).toEqual([]);
    const notes = noteEntity.fields.noteType.values.map((noteType) =>
      noteListOptions({ noteType: noteType as NoteType }),
    );
    expect(servedByIndex(t.repos.note, notes)).toEqual(notes);
  });

  it('lists the same rows from the new indexes as a full scan would, kinds without the field left out', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' } as never);
    const about = { subjectType: 'contact', subjectId: contact.id } as const;
    const made: { id: string; type: string; direction: string; status: string }[] = [];
    for (let i = 0; i < 21; i++) {
      t.tick();
      const c = await t.repos.communication.create({
        ...about,
        type: type.values[i % 3],
        direction: direction.values[i % 2],
        status: status.values[i % 5],
        occurredAt: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString(),
      } as never);
      made.push(c as never);
      // Notes share the collection and have no type, direction or status.
      await t.repos.note.create({ ...about, body: `Note ${i}`, noteType: i % 2 ? 'call' : 'meeting' } as never);
    }
    const gone = made[0];
    if (!gone) throw new Error('nothing made');
    await t.repos.communication.softDelete(gone.id);
    const live = made.slice(1).reverse();
    for (const filters of SINGLE_FILTERS) {
      const [[field, value]] = Object.entries(communicationListOptions(filters).where) as [[keyof typeof gone, string]];
      const rows = await t.repos.communication.list({ where: { [field]: value }, limit: 5 });
      expect(
        rows.map((r) => r.id),
        `${field}=${value}`,
      ).toEqual(
        live
          .filter((c) => c[field] === value)
          .slice(0, 5)
          .map((c) => c.id),
      );
    }
    const calls = await t.repos.note.list({ where: { noteType: 'call' } });
    expect(calls).toHaveLength(10);
    expect(calls.every((n) => n.noteType === 'call')).toBe(true);
  });
});
