import type { MangoQuery } from 'rxdb';
import { createLocalDatabase } from '../../src-renderer/db/create-database';
import { createRepositories } from '../../src-renderer/db/repositories';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { TEST_DATABASE_KEY as BENCH_DATABASE_KEY } from '../support/local-db';
import { emit, freshIndexedDb, OWNERS, percentile, round } from './bench-support';

export const benchId = 'B12';

const PAGE = 50;
const COMPANIES = 5_000;
const LEAD_STATUSES = ['new', 'contacted', 'nurturing', 'qualified', 'unqualified', 'converted', 'lost'] as const;
const STAGES = ['subscriber', 'lead', 'customer', 'opportunity'] as const;

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function timed<T>(read: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await read();
  return [performance.now() - start, result];
}

function line(bench: string, before: number[], after: number[], extra: Record<string, unknown>): void {
  const p50 = percentile(after, 50);
  const was = percentile(before, 50);
  emit({
    bench,
    value: round(p50),
    unit: 'ms p50',
    baseline: round(was),
    ratio: round(p50 / was, 4),
    p95: round(percentile(after, 95)),
    baselineP95: round(percentile(before, 95)),
    ...extra,
  });
}

/**
 * B12: lookups the list and 360 views make on 100k records, before and after their indexes (issue 4).
 * "Before" is the query the repository made without the index (the [isDeleted, newest] list index
 * plus a filter in memory, or for the lead inbox every lead of the status sorted by score in
 * memory); "after" is the repository's query today, read from the new index.
 */
export async function run(size = Number(process.env.B12_SIZE ?? 100_000)): Promise<void> {
  const db = await createLocalDatabase({
    name: `b12-${Math.random()}`,
    actor: () => ({ userId: 'user-bench', deviceId: 'bench' }),
    key: BENCH_DATABASE_KEY,
    indexedDB: freshIndexedDb(),
  });
  const repos = createRepositories(db);
  const rand = random(12);
  let mark = performance.now();
  const lap = (what: string) => {
    process.stderr.write(`B12 ${what}: ${Math.round(performance.now() - mark)} ms\n`);
    mark = performance.now();
  };

  const part = process.env.B12_PART ?? 'all';
  if (part !== 'leads') {
    // Contacts: four in five at one of 5,000 companies (about 16 each), a lifecycle stage on half.
    for (let done = 0; done < size; done += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, size - done) }, (_, i) => {
        const r = rand();
        return {
          firstName: `P${done + i}`,
          ownerId: OWNERS[(done + i) % OWNERS.length],
          ...(r < 0.8 ? { companyId: `company-${Math.floor(rand() * COMPANIES)}` } : {}),
          ...(rand() < 0.5 ? { lifecycleStage: STAGES[Math.floor(rand() * STAGES.length)] } : {}),
          createdAt: new Date(Date.parse('2024-01-01T00:00:00.000Z') + (done + i) * 60_000).toISOString(),
        };
      });
      await repos.contact.bulkCreate(batch as never);
    }
    lap(`load ${size} contacts`);

    const before: number[] = [];
    const after: number[] = [];
    const expected = new Map<string, string>();
    const companyOf = (i: number) => `company-${(i * 97) % COMPANIES}`;
    for (let i = 0; i < 30; i++) {
      const [now, rows] = await timed(() => repos.contact.list({ where: { companyId: companyOf(i) }, limit: PAGE }));
      after.push(now);
      expected.set(companyOf(i), rows.map((r) => r.id).join());
    }
    process.stderr.write(
      `B12 contacts by company, after: p50 ${round(percentile(after, 50))} ms, p95 ${round(percentile(after, 95))} ms\n`,
    );
    // The scan walks every contact through a cursor (fake-indexeddb): a few suffice.
    for (let i = 0; i < 3; i++) {
      const old: MangoQuery<StoredDoc> = {
        selector: { companyId: companyOf(i), isDeleted: false },
        sort: [{ newest: 'asc' }],
        index: ['isDeleted', 'newest'],
        limit: PAGE,
      };
      const [was, oldRows] = await timed(() => db.rx.contacts.find(old).exec());
      if (expected.get(companyOf(i)) !== oldRows.map((r) => r.id).join())
        throw new Error(`B12: ${companyOf(i)} differs`);
      before.push(was);
      process.stderr.write(`B12 contacts by company, before: ${Math.round(was)} ms\n`);
    }
    line('B12 people at a company (page of 50, 100k contacts)', before, after, {
      index: repos.contact.plan({ where: { companyId: 'company-1' } }).index.join('+'),
    });
    lap('contacts by company');
  }
  if (part === 'contacts') return void (await db.rx.remove());

  // Leads: random scores and statuses.
  for (let done = 0; done < size; done += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, size - done) }, (_, i) => ({
      lastName: `L${done + i}`,
      ownerId: OWNERS[(done + i) % OWNERS.length],
      score: Math.floor(rand() * 101),
      status: LEAD_STATUSES[Math.floor(rand() * LEAD_STATUSES.length)],
      createdAt: new Date(Date.parse('2024-01-01T00:00:00.000Z') + (done + i) * 60_000).toISOString(),
    }));
    await repos.lead.bulkCreate(batch as never);
  }
  lap(`load ${size} leads`);

  const inboxBefore: number[] = [];
  const inboxAfter: number[] = [];
  for (let i = 0; i < 14; i++) {
    const status = LEAD_STATUSES[i % LEAD_STATUSES.length] as string;
    // What lead-inbox.queries.ts does today: the whole status from its index, sorted in memory.
    const [was, all] = await timed(async () => {
      const leads = await repos.lead.list({ where: { status }, limit: 20_000 });
      return [...leads].sort((a, b) => b.score - a.score).slice(0, PAGE);
    });
    const [now, page] = await timed(() => repos.lead.list({ where: { status }, order: 'score', limit: PAGE }));
    if (page.map((l) => l.score).join() !== all.map((l) => l.score).join())
      throw new Error(`B12: inbox ${status} differs`);
    inboxBefore.push(was);
    inboxAfter.push(now);
    process.stderr.write(`B12 inbox ${status}: before ${Math.round(was)} ms, after ${round(now)} ms\n`);
  }
  line('B12 lead inbox by score (page of 50 of one status, 100k leads)', inboxBefore, inboxAfter, {
    index: repos.lead.plan({ where: { status: 'new' }, order: 'score' }).index.join('+'),
  });
  lap('lead inbox');
  await db.rx.remove();
}
