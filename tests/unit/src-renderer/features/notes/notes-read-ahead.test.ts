import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type NoteFilters,
  noteListOptions,
  noteReadAhead,
} from '../../../../../src-renderer/features/notes/NotesScreen';
import { FIRST_PAGE_SIZE } from '../../../../../src-renderer/ui/usePagedList';
import { noteEntity } from '../../../../../src-shared/entities/work.entity';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { readAhead, showList } from '../../../../support/read-ahead';
import { countReads } from '../../../../support/storage-reads';

const TYPES = noteEntity.fields.noteType.values;
const ALL: NoteFilters = { noteType: '' };
const CHOICES: NoteFilters['noteType'][] = ['', ...TYPES];

describe('the notes list reads ahead its other types', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
    const contact = await t.repos.contact.create({ firstName: 'Ada' } as never);
    // More than a first page in all, fewer of each type: every page is a whole type.
    for (let i = 0; i < 2 * FIRST_PAGE_SIZE; i++) {
      t.tick();
      await t.repos.note.create({
        subjectType: 'contact',
        subjectId: contact.id,
        body: `Note ${i}`,
        noteType: TYPES[i % TYPES.length],
      } as never);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('reads ahead each other choice of the type select, all types included', () => {
    expect(noteReadAhead(ALL)).toEqual(TYPES.map((noteType) => noteListOptions({ noteType })));
    expect(noteReadAhead({ noteType: 'call' })).toEqual(
      CHOICES.filter((v) => v !== 'call').map((noteType) => noteListOptions({ noteType })),
    );
  });

  it('once read ahead, a switch to another type shows its notes without a storage read', async () => {
    const list = await showList(t.repos.note, noteListOptions(ALL));
    expect(list.rows).toHaveLength(FIRST_PAGE_SIZE);
    await readAhead(t.repos.note, noteReadAhead(ALL));
    const reads = countReads(t, 'activities');
    list.close();
    for (const noteType of TYPES) {
      const switched = await showList(t.repos.note, noteListOptions({ noteType }));
      expect(reads, noteType).toEqual([]);
      const expected = await t.repos.note.list({ where: { noteType }, limit: FIRST_PAGE_SIZE });
      expect(switched.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      reads.length = 0;
      switched.close();
    }
  });

  it('the control: without the read-ahead, a switch to another type reads storage', async () => {
    const list = await showList(t.repos.note, noteListOptions(ALL));
    const reads = countReads(t, 'activities');
    list.close();
    const switched = await showList(t.repos.note, noteListOptions({ noteType: 'meeting' }));
    expect(reads).toHaveLength(1);
    switched.close();
  });
});
