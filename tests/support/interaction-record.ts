import type { Interaction } from '../../src-renderer/features/content/content-engagement';

/** A stored content interaction as the engagement code reads it: a lead's view, a day before 2026-11-30 noon. */
export function interactionRecord(id: string, partial: Partial<Interaction> = {}): Interaction {
  return {
    id,
    kind: 'contentInteraction',
    contentId: 'c1',
    subjectType: 'lead',
    subjectId: 'lead-1',
    type: 'view',
    occurredAt: '2026-11-29T12:00:00.000Z',
    ownerId: 'u',
    createdAt: '2026-11-29T12:00:00.000Z',
    updatedAt: '2026-11-29T12:00:00.000Z',
    createdBy: 'u',
    updatedBy: 'u',
    isDeleted: false,
    newest: 0,
    ...partial,
  } as Interaction;
}
