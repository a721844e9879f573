import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryFor } from '../../../../../src-renderer/features/exports/export-context';
import type { ExportSink } from '../../../../../src-renderer/features/exports/export-sinks';
import type { ExportableRepo } from '../../../../../src-renderer/features/exports/export-source';
import { runExport } from '../../../../../src-renderer/features/exports/run-export';
import { rowComparator } from '../../../../../src-renderer/ui/live-pages';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../../src-shared/entities/registry';
import { exportColumnsFor } from '../../../../../src-shared/export/export-columns';
import type { ExportChunk } from '../../../../../src-shared/export/export-meta';
import { openTestDb, type TestDb } from '../../../../support/local-db';

// A list that merges several index queries (e.g. three statuses) exported newest first: the
// queries' records are merged as they are read, a page per query at a time, not all held first.

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const STATUSES = ['active', 'inactive', 'archived'] as const;
const WHERES = STATUSES.map((status) => ({ status }));
const PAGE = 20;

/** 250 contacts, statuses interleaved in time, 40 of them created in one millisecond. */
async function seed(): Promise<void> {
  await t.repos.contact.bulkCreate(
    Array.from({ length: 250 }, (_, i) => ({
      firstName: `Person${String(i).padStart(3, '0')}`,
      lastName: 'Doe',
      status: STATUSES[(i * 7) % 3] as (typeof STATUSES)[number],
      createdAt: new Date(Date.UTC(2026, 0, 1) + (i < 40 ? 0 : i * 1000 - (i % 5) * 900)).toISOString(),
    })),
  );
}

/** The contact repository, counting the pages it is asked for. */
function countingRepo() {
  const repo = repositoryFor(t.repos, 'contact');
  const counter = { reads: 0 };
  const counted: ExportableRepo = {
    list: async (options) => {
      counter.reads++;
      return repo.list(options);
    },
    count: (options) => repo.count(options),
  };
  return { counted, counter };
}

async function exportMerged(repo: ExportableRepo, onWrite: (chunk: ExportChunk) => void, signal?: AbortSignal) {
  const sink: ExportSink = {
    write: async (chunk) => onWrite(chunk),
    finish: async () => 'contacts.csv',
    cancel: async () => undefined,
  };
  return runExport(
    {
      entity: 'contact',
      format: 'csv',
      title: 'Contacts',
      sources: exportColumnsFor(getEntity('contact'), ['firstName', 'status', 'createdAt']),
      where: WHERES,
      filters: [],
      asOf: null,
    },
    {
      repo,
      getMany: (entity, ids) => repositoryFor(t.repos, entity).getMany(ids),
      permissions: parsePermissions(builtInPermissions('rep')),
      now: () => new Date('2026-11-01T10:00:00.000Z'),
      openSink: async () => sink,
      audit: async () => undefined,
      actor: () => t.db.actor(),
      pageSize: PAGE,
      ...(signal ? { signal } : {}),
    },
  );
}

describe('a merged export, newest first', () => {
  it('gives the same rows in the same order as reading every query and sorting them all', async () => {
    await seed();
    const rows: ExportChunk['rows'][number][] = [];
    const outcome = await exportMerged(repositoryFor(t.repos, 'contact'), (chunk) => rows.push(...chunk.rows));
    expect(outcome).toMatchObject({ status: 'done', rows: 250 });
    // What the export did before: every record of every query, sorted together.
    const all = (await Promise.all(WHERES.map((where) => t.repos.contact.list({ where, limit: 1000 })))).flat();
    const sorted = all.toSorted(rowComparator('newest'));
    expect(rows.map((r) => r[0])).toEqual(sorted.map((c) => c.firstName));
    // And as the list shows them.
    expect(rows.map((r) => r[0])).toEqual((await t.repos.contact.list({ limit: 1000 })).map((c) => c.firstName));
  });

  it('writes its first chunk after a page of each query, not after reading them all', async () => {
    await seed();
    const { counted, counter } = countingRepo();
    const readsAtWrite: number[] = [];
    const sizes: number[] = [];
    await exportMerged(counted, (chunk) => {
      readsAtWrite.push(counter.reads);
      sizes.push(chunk.rows.length);
    });
    // 250 rows in three queries of about 84 rows: 5 pages each, and an empty one to end some.
    expect(counter.reads).toBeGreaterThanOrEqual(15);
    expect(readsAtWrite[0]).toBe(WHERES.length);
    // Each chunk waits for at most a page of each query more than the one before.
    for (let i = 1; i < readsAtWrite.length; i++) {
      expect((readsAtWrite[i] ?? 0) - (readsAtWrite[i - 1] ?? 0)).toBeLessThanOrEqual(WHERES.length);
    }
    expect(sizes.slice(0, -1).every((n) => n === PAGE)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(250);
  });

  it('cancelled after its first chunk, it reads no further page of any query', async () => {
    await seed();
    const { counted, counter } = countingRepo();
    const abort = new AbortController();
    let readsAtCancel = -1;
    const outcome = await exportMerged(
      counted,
      () => {
        readsAtCancel = counter.reads;
        abort.abort();
      },
      abort.signal,
    );
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(readsAtCancel).toBe(WHERES.length);
    expect(counter.reads).toBe(readsAtCancel);
  });
});
