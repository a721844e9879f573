import { firstValueFrom, Subject } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../../../../src-renderer/db/kind-records';
import { engagementByContent, type Interaction } from '../../../../../src-renderer/features/content/content-engagement';
import {
  type EngagementState,
  engagementState$,
  LiveEngagement,
} from '../../../../../src-renderer/features/content/live-engagement';
import { interactionRecord } from '../../../../support/interaction-record';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');

const interaction = (id: string, partial: Partial<Interaction> = {}) =>
  interactionRecord(id, { subjectId: `lead-${id}`, ...partial });

/** A scan that hands over one batch each time the test calls `next()`. */
function steppedSource(batches: Interaction[][]) {
  const changes = new Subject<readonly RecordChange[]>();
  const opens: (() => void)[] = [];
  const gates = batches.map(() => new Promise<void>((resolve) => opens.push(resolve)));
  let step = 0;
  return {
    changes,
    next: () => opens[step++]?.(),
    source: {
      count: async () => batches.flat().length,
      async *scan() {
        for (const [i, batch] of batches.entries()) {
          await gates[i];
          yield batch as unknown as Record<string, unknown>[];
        }
      },
      changes: () => changes,
    },
  };
}

const until = (live: LiveEngagement, status: EngagementState['status']) =>
  firstValueFrom(live.state$.pipe(filter((s) => s.status === status)));

describe('LiveEngagement', () => {
  it('loses no write made while it scans and counts none twice', async () => {
    const a = interaction('a');
    const b = interaction('b');
    const { source, changes, next } = steppedSource([[a], [b]]);
    const live = new LiveEngagement(source);
    const started = live.start();
    next();
    // During the scan: `a` (already read) becomes a download, `b` (not read yet) is deleted, and
    // `c` is created. The scan then hands over `b` as it was (a read begun before the write).
    await new Promise((r) => setTimeout(r, 0));
    changes.next([{ id: 'a', record: { ...a, type: 'download' } }]);
    changes.next([
      { id: 'b', record: { ...b, isDeleted: true } },
      { id: 'c', record: interaction('c') },
    ]);
    next();
    await started;
    const state = await until(live, 'ready');
    expect(state.tally.snapshot(NOW).get('c1')).toMatchObject({ total: 2, counts: { views: 1, downloads: 1 } });

    // After the scan, writes apply as they come.
    changes.next([{ id: 'd', record: interaction('d', { contentId: 'c2' }) }]);
    const after = await firstValueFrom(live.state$);
    expect(after.version).toBeGreaterThan(state.version);
    expect(after.tally.snapshot(NOW).get('c2')?.total).toBe(1);
    live.stop();
  });

  it('says so when the scan fails', async () => {
    const live = new LiveEngagement({
      count: async () => 1,
      // biome-ignore lint/correctness/useYield: it fails before its first batch, as a storage error would.
      async *scan() {
        throw new Error('storage is gone');
      },
      changes: () => new Subject<readonly RecordChange[]>(),
    });
    await live.start();
    expect((await firstValueFrom(live.state$)).status).toBe('failed');
    live.stop();
  });
});

describe('engagementState$ on a database', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('counts what is stored, then follows creates and deletions', async () => {
    t = await openTestDb();
    const content = await t.repos.content.create({ title: 'Pricing guide', type: 'ebook', status: 'published' });
    for (const [i, type] of (['view', 'download', 'click', 'view'] as const).entries()) {
      await t.repos.contentInteraction.create({
        contentId: content.id,
        subjectType: 'lead',
        subjectId: `lead-${i % 3}`,
        type,
        occurredAt: `2026-10-2${i}T09:00:00.000Z`,
      });
      t.tick();
    }
    const states: EngagementState[] = [];
    const subscription = engagementState$(t.db, t.repos).subscribe((s) => states.push(s));
    const ready = () => states.findLast((s) => s.status === 'ready');
    await expect.poll(ready).toBeDefined();
    const expected = engagementByContent(await t.repos.contentInteraction.list(), NOW);
    expect(ready()?.tally.snapshot(NOW)).toEqual(expected);
    expect(ready()?.tally.snapshot(NOW).get(content.id)).toMatchObject({ total: 4, people: 3 });

    const created = await t.repos.contentInteraction.create({
      contentId: content.id,
      subjectType: 'contact',
      subjectId: 'contact-1',
      type: 'share',
      occurredAt: '2026-11-01T09:00:00.000Z',
    });
    await expect.poll(() => ready()?.tally.snapshot(NOW).get(content.id)?.total).toBe(5);
    await t.repos.contentInteraction.softDelete(created.id);
    await expect.poll(() => ready()?.tally.snapshot(NOW).get(content.id)?.total).toBe(4);
    subscription.unsubscribe();
  });
});
