import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import type { TimelineSubjectType } from './timeline.queries';

type Note = EntityRecord<Repositories['note']['entity']>;

export interface NewNote {
  subjectType: TimelineSubjectType;
  subjectId: string;
  body: string;
  title?: string;
  noteType?: Note['noteType'];
  pinned?: boolean;
}

/** Adds a note about a record; a blank body is refused naming `body` (whitespace is not a note). */
export async function addNote(repos: Repositories, input: NewNote): Promise<Note> {
  const body = input.body.trim();
  if (body === '') throw new ValidationError('note', [{ field: 'body', problem: 'is required' }]);
  const title = input.title?.trim();
  return repos.note.create({
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    body,
    ...(title ? { title } : {}),
    noteType: input.noteType ?? 'general',
    pinned: input.pinned ?? false,
  });
}
