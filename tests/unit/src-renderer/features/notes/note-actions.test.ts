import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  boldSpans,
  createNote,
  noteBlocks,
  noteHeading,
  noteSnippet,
  updateNote,
  wasEdited,
} from '../../../../../src-renderer/features/notes/note-actions';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function fieldsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems.map((p) => p.field);
}

describe('createNote', () => {
  it('writes a note on a record, owned by its writer', async () => {
    const note = await createNote(t.repos.note, {
      subjectType: 'deal',
      subjectId: 'deal-1',
      title: '  Kick-off ',
      body: '\n- budget approved\n- next: legal review\n',
      noteType: 'meeting',
    });
    expect(note).toMatchObject({
      subjectType: 'deal',
      subjectId: 'deal-1',
      title: 'Kick-off',
      body: '- budget approved\n- next: legal review',
      noteType: 'meeting',
      pinned: false,
      ownerId: 'user-rep-1',
    });
    expect(await t.repos.note.list({ where: { subjectId: 'deal-1' } })).toHaveLength(1);
  });

  it('names a too-long title with a missing body and record, in one round', async () => {
    // The title's length was named only on the try after the body and the record were given.
    const refused = createNote(t.repos.note, { subjectType: 'deal', subjectId: '', title: 't'.repeat(250), body: ' ' });
    const error = (await refused.catch((e: unknown) => e)) as ValidationError;
    expect(error.problems).toEqual([
      { field: 'body', problem: 'is required: write the note' },
      { field: 'subjectId', problem: 'is required: choose the record' },
      { field: 'title', problem: 'must be at most 200 characters' },
    ]);
    expect(await t.repos.note.list({})).toEqual([]);
  });

  it('names a too-long title with an emptied body when an edit is saved, in one round', async () => {
    const note = await createNote(t.repos.note, { subjectType: 'deal', subjectId: 'deal-1', body: 'text' });
    const error = (await updateNote(t.repos.note, note.id, { title: 't'.repeat(250), body: ' ' }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(error.problems).toEqual([
      { field: 'body', problem: 'is required: write the note' },
      { field: 'title', problem: 'must be at most 200 characters' },
    ]);
  });

  it('refuses a note without a body or without a record, naming the field, and writes nothing', async () => {
    expect(
      await fieldsOf(createNote(t.repos.note, { subjectType: 'deal', subjectId: 'deal-1', body: '  \n ' })),
    ).toEqual(['body']);
    expect(await fieldsOf(createNote(t.repos.note, { subjectType: '', subjectId: '', body: 'Hello' }))).toEqual([
      'subjectType',
      'subjectId',
    ]);
    expect(
      await fieldsOf(
        createNote(t.repos.note, { subjectType: 'deal', subjectId: 'd', title: 'x'.repeat(201), body: 'b' }),
      ),
    ).toEqual(['title']);
    expect(
      await fieldsOf(
        createNote(t.repos.note, { subjectType: 'planet' as never, subjectId: 'p1', body: 'Not a kind of record' }),
      ),
    ).toEqual(['subjectType']);
    expect(await t.repos.note.count()).toBe(0);
  });
});

describe('updateNote', () => {
  it('saves an edit, clears an emptied title, refuses an emptied body', async () => {
    const note = await createNote(t.repos.note, { subjectType: 'contact', subjectId: 'c1', title: 'T', body: 'First' });
    t.tick();
    const edited = await updateNote(t.repos.note, note.id, { title: '  ', body: 'Second', pinned: true });
    expect(edited.title).toBeUndefined();
    expect(edited).toMatchObject({ body: 'Second', pinned: true });
    expect(await fieldsOf(updateNote(t.repos.note, note.id, { body: '   ' }))).toEqual(['body']);
    expect((await t.repos.note.require(note.id)).body).toBe('Second');
  });
});

describe('reading a note', () => {
  it('splits headings, lists and paragraphs, and never produces markup', () => {
    expect(
      noteBlocks(
        '# Call with Ada\nShe wants **two** seats.\nMaybe three.\n\n- price\n- <b>terms</b>\n1. send deck\n2) call back',
      ),
    ).toEqual([
      { kind: 'heading', text: 'Call with Ada' },
      { kind: 'paragraph', text: 'She wants **two** seats.\nMaybe three.' },
      { kind: 'list', ordered: false, items: ['price', '<b>terms</b>'] },
      { kind: 'list', ordered: true, items: ['send deck', 'call back'] },
    ]);
    expect(boldSpans('a **b** <script>c</script>')).toEqual([
      { text: 'a ', bold: false },
      { text: 'b', bold: true },
      { text: ' <script>c</script>', bold: false },
    ]);
  });

  it('heads a note with its title or its first line', () => {
    expect(noteHeading({ title: 'Kick-off', body: 'x' })).toBe('Kick-off');
    expect(noteHeading({ body: '\n- **Budget** approved\nmore' })).toBe('Budget approved');
    expect(noteSnippet('# Agreed\n- **Two** seats\n1. call')).toBe('Agreed Two seats call');
  });
});

describe('wasEdited', () => {
  it('says a note was edited only when it was saved again a while after it was written', () => {
    const note = { createdAt: '2026-03-02T10:00:00.000Z' };
    expect(wasEdited({ ...note, updatedAt: '2026-03-02T10:00:00.000Z' })).toBe(false);
    // The same save, stamped a moment apart (a note written, then pinned or retyped at once), is not an edit.
    expect(wasEdited({ ...note, updatedAt: '2026-03-02T10:00:30.000Z' })).toBe(false);
    expect(wasEdited({ ...note, updatedAt: '2026-03-02T10:05:00.000Z' })).toBe(true);
  });
});
