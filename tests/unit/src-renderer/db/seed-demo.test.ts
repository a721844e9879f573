import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../../../src-renderer/db/repositories';
import { seedDemoData } from '../../../../src-renderer/db/seed-demo';
import { generateDemoData } from '../../../../src-shared/demo/generate-demo-data';

interface Call {
  entity: string;
  ids: string[];
  startedWith: string[];
}

/** Repositories whose bulkCreate records each call and settles on a later tick (as a storage write does). */
function fakeRepos(options: { failOn?: string } = {}) {
  const calls: Call[] = [];
  const done: string[] = [];
  const repos = new Proxy(
    {},
    {
      get: (_target, entity: string) => ({
        bulkCreate: async (records: { id: string }[]) => {
          calls.push({ entity, ids: records.map((r) => r.id), startedWith: [...done] });
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (entity === options.failOn) throw new Error(`write of ${entity} failed`);
          done.push(entity);
          return { written: records.length, conflicts: [] };
        },
      }),
    },
  ) as unknown as Repositories;
  return { repos, calls };
}

describe('seedDemoData', () => {
  it('writes every generated record once, in the generator order, and reports progress', async () => {
    const { repos, calls } = fakeRepos();
    const progress: number[] = [];
    const written = await seedDemoData(repos, 'small', (p) => progress.push(p.written));
    const expected = [...generateDemoData({ size: 'small' })].flatMap((b) => b.records.map((r) => String(r.id)));
    expect(calls.flatMap((c) => c.ids)).toEqual(expected);
    expect(written).toBe(expected.length);
    expect(progress.at(-1)).toBe(expected.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stores the custom field definitions before any record validated against them is written', async () => {
    const { repos, calls } = fakeRepos();
    await seedDemoData(repos, 'small');
    const first = calls.findIndex((c) => c.entity === 'customField');
    const after = calls.slice(first).find((c) => c.entity !== 'customField');
    expect(after?.startedWith).toContain('customField');
  });

  it('rejects with the failed write and starts no more after it', async () => {
    const { repos, calls } = fakeRepos({ failOn: 'company' });
    await expect(seedDemoData(repos, 'small')).rejects.toThrow('write of company failed');
    const failed = calls.findIndex((c) => c.entity === 'company');
    expect(calls.length).toBeLessThanOrEqual(failed + 2);
  });

  it('ends the data set at the device clock when it is behind the data set’s end, so nothing is written in the future', async () => {
    const written: Record<string, unknown>[] = [];
    const repos = new Proxy(
      {},
      {
        get: () => ({
          bulkCreate: async (records: Record<string, unknown>[]) => {
            written.push(...records);
            return { written: records.length, conflicts: [] };
          },
        }),
      },
    ) as unknown as Repositories;
    const now = new Date('2026-06-01T12:00:00.000Z');
    await seedDemoData(repos, 'small', undefined, now);
    expect(written.length).toBeGreaterThan(10_000);
    const latest = (field: string) =>
      written.reduce((max, r) => (typeof r[field] === 'string' && String(r[field]) > max ? String(r[field]) : max), '');
    expect(latest('createdAt') <= now.toISOString()).toBe(true);
    expect(latest('updatedAt') <= now.toISOString()).toBe(true);
  });
});
