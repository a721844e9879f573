import { describe, expect, it } from 'vitest';
import { createConflictHandler, type ResolvedConflict } from '../../../../src-renderer/db/conflict-handler';

const lead = (score: number, updatedAt: string, updatedBy: string) => ({
  id: 'ld_1',
  kind: 'lead',
  lastName: 'Hopper',
  score,
  scoreRank: 100 - score,
  updatedAt,
  updatedBy,
  _deleted: false,
});

describe('conflict merge of derived fields', () => {
  it('keeps scoreRank with the score the merge kept, and reviews the score alone', async () => {
    const seen: ResolvedConflict[] = [];
    const handler = createConflictHandler({ onCollisions: async (c) => void seen.push(c) });
    const merged = (await handler.resolve(
      {
        assumedMasterState: lead(10, '2026-01-01T00:00:00.000Z', 'u1') as never,
        newDocumentState: lead(40, '2026-01-02T00:00:00.000Z', 'u1') as never,
        realMasterState: lead(70, '2026-01-03T00:00:00.000Z', 'u2') as never,
      },
      'test',
    )) as unknown as Record<string, unknown>;
    expect(merged).toMatchObject({ score: 70, scoreRank: 30 });
    expect(seen[0]?.result.collisions.map((c) => c.field)).toEqual(['score']);
  });

  it('fills scoreRank when one side predates it', async () => {
    const { scoreRank: _, ...old } = lead(10, '2026-01-01T00:00:00.000Z', 'u1');
    const handler = createConflictHandler();
    const merged = (await handler.resolve(
      {
        assumedMasterState: old as never,
        newDocumentState: { ...old, lastName: 'Lovelace', updatedAt: '2026-01-02T00:00:00.000Z' } as never,
        realMasterState: lead(55, '2026-01-03T00:00:00.000Z', 'u2') as never,
      },
      'test',
    )) as unknown as Record<string, unknown>;
    expect(merged).toMatchObject({ lastName: 'Lovelace', score: 55, scoreRank: 45 });
  });
});
