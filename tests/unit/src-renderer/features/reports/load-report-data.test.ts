import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReportData, readAll } from '../../../../../src-renderer/features/reports/load-report-data';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function tasks(n: number, tickEvery: number) {
  for (let i = 0; i < n; i++) {
    await t.repos.task.create({ title: `Task ${i}`, type: 'todo', status: 'open', priority: 'normal' } as never);
    if ((i + 1) % tickEvery === 0) t.tick(1000);
  }
}

describe('reading a report’s records in index pages', () => {
  it('reads every record once across pages, even when a page ends inside a millisecond', async () => {
    // Three records share each creation time: pages of 2 always split a millisecond.
    await tasks(9, 3);
    const progress: [number, number][] = [];
    const read = await readAll(t.repos, 'task', (loaded, total) => progress.push([loaded, total]), undefined, 2);
    expect(read).toHaveLength(9);
    expect(new Set(read.map((r) => r.id)).size).toBe(9);
    expect(progress.at(-1)).toEqual([9, 9]);
    expect(progress.length).toBeGreaterThan(3);
  });

  it('leaves deleted records out and stops when cancelled', async () => {
    await tasks(3, 1);
    const [first] = await t.repos.task.list({ limit: 1 });
    await t.repos.task.softDelete(first?.id as string);
    expect(await readAll(t.repos, 'task', () => undefined)).toHaveLength(2);
    const controller = new AbortController();
    controller.abort();
    await expect(readAll(t.repos, 'task', () => undefined, controller.signal)).rejects.toThrow('Cancelled');
  });

  it('reads only the kinds not already read', async () => {
    await tasks(2, 1);
    const have = { deals: [] };
    const loaded = await loadReportData(t.repos, ['deals', 'tasks'], have, () => undefined);
    expect(loaded.deals).toBe(have.deals);
    expect(loaded.tasks).toHaveLength(2);
  });
});
