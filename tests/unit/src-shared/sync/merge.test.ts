import { describe, expect, it } from 'vitest';
import { mergeThreeWay } from '../../../../src-shared/sync/merge';

const base = {
  id: 'c1',
  firstName: 'Ada',
  jobTitle: 'Analyst',
  city: 'Oslo',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'u0',
};

describe('mergeThreeWay', () => {
  it('keeps both sides when they changed different fields', () => {
    const mine = { ...base, jobTitle: 'Engineer', updatedAt: '2026-01-02T00:00:00.000Z', updatedBy: 'u1' };
    const theirs = { ...base, city: 'Bergen', updatedAt: '2026-01-03T00:00:00.000Z', updatedBy: 'u2' };
    const { merged, collisions } = mergeThreeWay(base, mine, theirs);
    expect(merged).toMatchObject({
      jobTitle: 'Engineer',
      city: 'Bergen',
      updatedAt: '2026-01-03T00:00:00.000Z',
      updatedBy: 'u2',
    });
    expect(collisions).toEqual([]);
  });

  it('gives a field both changed to the later write, and reports the collision', () => {
    const mine = { ...base, city: 'Paris', updatedAt: '2026-01-05T00:00:00.000Z', updatedBy: 'u1' };
    const theirs = { ...base, city: 'Rome', updatedAt: '2026-01-04T00:00:00.000Z', updatedBy: 'u2' };
    const { merged, collisions } = mergeThreeWay(base, mine, theirs);
    expect(merged.city).toBe('Paris');
    expect(collisions).toEqual([{ field: 'city', base: 'Oslo', mine: 'Paris', theirs: 'Rome', kept: 'mine' }]);
  });

  it('is symmetric: either side merging gets the same record', () => {
    const a = { ...base, city: 'Paris', jobTitle: 'CTO', updatedAt: '2026-01-05T00:00:00.000Z', updatedBy: 'u1' };
    const b = { ...base, city: 'Rome', firstName: 'Ada K.', updatedAt: '2026-01-05T00:00:00.000Z', updatedBy: 'u2' };
    expect(mergeThreeWay(base, a, b).merged).toEqual(mergeThreeWay(base, b, a).merged);
  });

  it('treats a field removed on one side as a change', () => {
    const { jobTitle: _removed, ...mine } = { ...base, updatedAt: '2026-01-02T00:00:00.000Z' };
    const theirs = { ...base, city: 'Bergen', updatedAt: '2026-01-01T00:00:01.000Z' };
    const { merged } = mergeThreeWay(base, mine, theirs);
    expect(merged).not.toHaveProperty('jobTitle');
    expect(merged.city).toBe('Bergen');
  });

  it('reports no base for a collision when both created the same id', () => {
    const mine = { ...base, city: 'Paris', updatedAt: '2026-01-05T00:00:00.000Z', updatedBy: 'u1' };
    const theirs = { ...base, city: 'Rome', updatedAt: '2026-01-04T00:00:00.000Z', updatedBy: 'u2' };
    expect(mergeThreeWay(undefined, mine, theirs).collisions).toEqual([
      { field: 'city', base: undefined, mine: 'Paris', theirs: 'Rome', kept: 'mine' },
    ]);
  });
});
