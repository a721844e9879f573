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
const MEETINGS: NoteFilters = { noteType: 'meeting' };

describe('the notes list reads ahead the choices of its type select that an index serves', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
    const contact = await t.repos.contact.create({ firstName: 'Ada' } as never);
    // More than a first page in all, fewer of each type.
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

  it('reads ahead all types and every other type: each is a read of the noteType index', () => {
    const others = TYPES.filter((v) => v !== 'meeting').map((noteType) => noteListOptions({ noteType }));
    expect(noteReadAhead(t.repos.note, MEETINGS)).toEqual([noteListOptions(ALL), ...others]);
    expect(noteReadAhead(t.repos.note, ALL)).toEqual(TYPES.map((noteType) => noteListOptions({ noteType })));
    const plan = t.repos.note.plan({ where: { noteType: 'meeting' }, limit: FIRST_PAGE_SIZE });
    expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
  });

  it('once read ahead, going back from a type to all types shows the notes without a storage read', async () => {
    const list = await showList(t.repos.note, noteListOptions(MEETINGS));
    await readAhead(t.repos.note, noteReadAhead(t.repos.note, MEETINGS));
    const reads = countReads(t, 'activities');
    list.close();
    const all = await showList(t.repos.note, noteListOptions(ALL));
    expect(reads).toEqual([]);
    const expected = await t.repos.note.list({ limit: FIRST_PAGE_SIZE });
    expect(all.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(all.rows).toHaveLength(FIRST_PAGE_SIZE);
    // Another type was read ahead too: choosing it does not read either.
    all.close();
    const calls = await showList(t.repos.note, noteListOptions({ noteType: 'call' }));
    expect(reads).toEqual([]);
    expect(calls.rows.every((r) => r.noteType === 'call')).toBe(true);
    calls.close();
  });

  it('the control: without the read-ahead, going back to all types reads storage', async () => {
    const list = await showList(t.repos.note, noteListOptions(MEETINGS));
    const reads = countReads(t, 'activities');
    list.close();
    const all = await showList(t.repos.note, noteListOptions(ALL));
    expect(reads).toEqual([FIRST_PAGE_SIZE]);
    all.close();
  });
});
