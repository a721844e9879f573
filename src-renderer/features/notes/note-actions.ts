import { noteEntity } from '../../../src-shared/entities/work.entity';
import type { EntityPatchOf, EntityRecord, FieldProblem } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { EntityRepository } from '../../db/entity-repository';
import { registryProblems } from '../../ui/form-values';

export type Note = EntityRecord<typeof noteEntity>;
export type NoteRepository = EntityRepository<typeof noteEntity>;
export type NoteType = Note['noteType'];

export interface NoteDraft {
  subjectType?: Note['subjectType'] | '';
  subjectId?: string;
  title?: string;
  body: string;
  noteType?: NoteType;
  pinned?: boolean;
}

/** Saved again within this of being written, a note is as written (e.g. pinned at once), not edited. */
const EDITED_AFTER_MS = 60_000;

/** Whether to say a note was edited: saved again a while after it was written. */
export function wasEdited(note: { createdAt: string; updatedAt: string }): boolean {
  return Date.parse(note.updatedAt) - Date.parse(note.createdAt) >= EDITED_AFTER_MS;
}

/**
 * The registry lets a required text field be empty (a description may be cleared); a note that is
 * only whitespace says nothing, so the app asks for words before the repository sees it.
 */
function draftProblems(draft: Partial<NoteDraft>, creating: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (creating || draft.body !== undefined) {
    if ((draft.body ?? '').trim() === '') problems.push({ field: 'body', problem: 'is required: write the note' });
  }
  if (creating && !draft.subjectType) problems.push({ field: 'subjectType', problem: 'is required' });
  if (creating && !draft.subjectId) problems.push({ field: 'subjectId', problem: 'is required: choose the record' });
  return problems;
}

/** Creates a note on a record; the body is kept as typed (whitespace inside it is the writer's). */
export async function createNote(repo: NoteRepository, draft: NoteDraft): Promise<Note> {
  const title = draft.title?.trim();
  const input = {
    subjectType: draft.subjectType as Note['subjectType'],
    subjectId: draft.subjectId as string,
    body: draft.body.trim(),
    noteType: draft.noteType ?? 'general',
    pinned: draft.pinned ?? false,
    ...(title ? { title } : {}),
  };
  const problems = draftProblems(draft, true);
  if (problems.length > 0) {
    // With the registry's problems with the other fields, all in one round: a 250-character
    // title was named only once the note and its record had been given.
    const named = new Set(problems.map((p) => p.field));
    const others = registryProblems(noteEntity, {}, input, []).filter((p) => !named.has(p.field));
    throw new ValidationError('note', [...problems, ...others]);
  }
  return repo.create(input);
}

/** Saves an edit of title, body, type or pin; an emptied title is cleared, an emptied body refused. */
export async function updateNote(
  repo: NoteRepository,
  id: string,
  edit: Partial<Pick<NoteDraft, 'title' | 'body' | 'noteType' | 'pinned'>>,
): Promise<Note> {
  const problems = draftProblems(edit, false);
  if (problems.length > 0) {
    // The edited fields' registry problems too (a 250-character title with an emptied body).
    const named = new Set(problems.map((p) => p.field));
    const edited = { ...edit, ...(edit.title === undefined ? {} : { title: edit.title.trim() || undefined }) };
    const others = registryProblems(noteEntity, {}, edited, []).filter((p) => p.field in edit && !named.has(p.field));
    throw new ValidationError('note', [...problems, ...others]);
  }
  const patch: EntityPatchOf<typeof noteEntity> = {};
  if (edit.title !== undefined) patch.title = edit.title.trim() || null;
  if (edit.body !== undefined) patch.body = edit.body.trim();
  if (edit.noteType !== undefined) patch.noteType = edit.noteType;
  if (edit.pinned !== undefined) patch.pinned = edit.pinned;
  return repo.update(id, patch);
}

/** A note's heading in lists: its title, or its first line. */
export function noteHeading(note: Pick<Note, 'title' | 'body'>): string {
  if (note.title?.trim()) return note.title.trim();
  const first = note.body.split('\n').find((line) => line.trim() !== '') ?? '';
  const plain = first.replace(/^\s*(?:[-*•]|#+|\d+[.)])\s+/, '').replace(/\*\*/g, '');
  return plain.length > 80 ? `${plain.slice(0, 79)}…` : plain || 'Untitled note';
}

/** The first words of the body, for the list. */
export function noteSnippet(body: string, length = 140): string {
  const flat = body
    .replace(/^\s*(?:[-*•]|#{1,3}|\d+[.)])\s+/gm, '')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export type NoteBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] };

/**
 * Plain text with a little Markdown read into blocks: `# heading`, `- item` / `1. item` lists and
 * paragraphs split by blank lines. The reader renders blocks as React text (never as HTML), so
 * a note cannot inject markup or script.
 */
export function noteBlocks(body: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    paragraph = [];
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const heading = /^\s*#{1,3}\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ kind: 'heading', text: heading[1] ?? '' });
    } else if (bullet || numbered) {
      flush();
      const ordered = numbered !== null;
      const text = (bullet ?? numbered)?.[1] ?? '';
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(text);
      else blocks.push({ kind: 'list', ordered, items: [text] });
    } else {
      const last = blocks.at(-1);
      // A line right after a list item continues it (wrapped text), unless a paragraph is open.
      if (paragraph.length === 0 && last?.kind === 'list' && /^\s+/.test(raw)) {
        last.items[last.items.length - 1] += ` ${line.trim()}`;
      } else paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** `**bold**` spans of a line of text: odd parts are bold. */
export function boldSpans(text: string): { text: string; bold: boolean }[] {
  return text
    .split(/\*\*(.+?)\*\*/g)
    .map((part, i) => ({ text: part, bold: i % 2 === 1 }))
    .filter((span) => span.text !== '');
}
