import { firstValueFrom, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadChanges } from '../../../../../src-renderer/features/leads/hooks/useLeadInbox';
import {
  compareInbox,
  DEFAULT_FILTER,
  type InboxFilter,
  keepMatching,
  type Lead,
  observeInbox,
} from '../../../../../src-renderer/features/leads/lead-inbox.queries';
import {
  type InboxSizes,
  type InboxSnapshot,
  openInbox,
  rankWheres,
  readAheadInbox,
} from '../../../../../src-renderer/features/leads/lead-inbox-pages.queries';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { countReads, until } from '../../../../support/storage-reads';

const STATUSES = ['new', 'contacted', 'nurturing', 'qualified', 'unqualified', 'converted', 'lost'] as const;
const SOURCES = ['website', 'referral', 'import', 'other'] as const;

/** A small deterministic generator (mulberry32), so a failure can be run again as it was. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` leads: scores 5–95 (none at the top or bottom, so ranks open empty), three at a time in
 * one millisecond (ties on newest, told apart by id), one in 60 from an event (sparse), owners
 * u1 (4 in 5) and u2.
 */
async function seed(t: TestDb, count: number): Promise<void> {
  const rand = random(7);
  const inputs = [];
  for (let i = 0; i < count; i++) {
    const status = STATUSES[Math.floor(rand() * STATUSES.length)];
    const converted =
      status === 'converted' ? { convertedContactId: `contact-${i}`, convertedAt: '2026-06-01T00:00:00.000Z' } : {};
    inputs.push({
      ...converted,
      lastName: `L${i}`,
      score: 5 + Math.floor(rand() * 91),
      status,
      source: i % 60 === 7 ? 'event' : SOURCES[i % SOURCES.length],
      ownerId: i % 5 === 0 ? 'u2' : 'u1',
      createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + (i - (i % 3)) * 1000).toISOString(),
    });
  }
  await t.repos.lead.bulkCreate(inputs as never);
}

/** Every lead the filter matches, in inbox order, from a plain read of all of them (the oracle). */
async function expected(t: TestDb, filter: InboxFilter): Promise<string[]> {
  const all = (await t.repos.lead.list({ limit: 100_000 })) as Lead[];
  const owned = all.filter((l) => !filter.ownerId || l.ownerId === filter.ownerId);
  return keepMatching(owned, filter)
    .sort(compareInbox)
    .map((l) => l.id);
}

function open(t: TestDb, filter: InboxFilter, sizes: InboxSizes = {}) {
  let latest: InboxSnapshot = { rows: undefined, hasMore: true, loading: true };
  const shown: number[] = [];
  const pages = openInbox(
    t.repos.lead,
    filter,
    (s) => {
      latest = s;
      shown.push(s.rows?.length ?? 0);
    },
    sizes,
  );
  /** Waits until `ok` holds once the rows asked for are read. */
  const settle = async (ok: (s: InboxSnapshot) => boolean, what: string) => {
    await until(
      () => !latest.loading && ok(latest),
      () => `${what}; rows ${latest.rows?.length}, loading ${latest.loading}`,
    );
    return latest;
  };
  /** How many rows each snapshot shown had. */
  return { pages, settle, latest: () => latest, shown };
}

const ids = (rows: readonly Lead[] | undefined) => (rows ?? []).map((r) => r.id);

describe('InboxPages on a database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reads about a page to show the first one, not every open lead', async () => {
    await seed(t, 3000);
    const open$ = await expected(t, DEFAULT_FILTER);
    expect(open$.length).toBeGreaterThan(1500);
    const reads = countReads(t, 'leads');
    const inbox = open(t, DEFAULT_FILTER);
    const first = await inbox.settle((s) => s.rows !== undefined, 'the first page');
    expect(ids(first.rows)).toEqual(open$.slice(0, first.rows?.length));
    expect(first.rows?.length).toBeGreaterThanOrEqual(60);
    expect(first.hasMore).toBe(true);
    const read = reads.reduce((a, b) => a + b, 0);
    // Four statuses, a few ranks of ~10 leads each: well under one tenth of the open leads.
    expect(read).toBeLessThan(400);
    inbox.pages.close();
  });

  // An owner of more than ownerSortMax leads is read by the score ranks, an owner of fewer from the owner's index.
  it.each<[string, Partial<InboxFilter>, number?]>([
    ['open', {}],
    ['one status', { status: 'contacted' }],
    ['every status', { status: '' }],
    ['an owner of a few', { ownerId: 'u2' }],
    ['an owner of many', { ownerId: 'u1' }, 100],
    ['an owner of a few, every status', { ownerId: 'u2', status: '' }],
    ['an owner of many, every status', { ownerId: 'u1', status: '' }, 100],
    ['a sparse source', { source: 'event' }],
    ['a sparse source of an owner of a few, every status', { source: 'event', ownerId: 'u1', status: '' }],
    ['a sparse source of an owner of many, every status', { source: 'event', ownerId: 'u1', status: '' }, 100],
    ['a source no lead has', { source: 'partner' }],
  ])('pages further in score order, each page full while more match: %s', async (_name, patch, ownerSortMax) => {
    await seed(t, 1500);
    const filter = { ...DEFAULT_FILTER, ...patch };
    const sizes = { pageSize: 40, firstPageSize: 30, ...(ownerSortMax ? { ownerSortMax } : {}) };
    const all = await expected(t, filter);
    const inbox = open(t, filter, sizes);
    let snapshot = await inbox.settle((s) => s.rows !== undefined, 'the first page');
    let wanted = 30;
    for (let guard = 0; guard < 100; guard++) {
      const rows = ids(snapshot.rows);
      // The rows are the first of the whole list, each once, and a page is never short.
      expect(rows).toEqual(all.slice(0, rows.length));
      expect(rows.length).toBeGreaterThanOrEqual(Math.min(wanted, all.length));
      if (!snapshot.hasMore) break;
      inbox.pages.loadMore();
      wanted += 40;
      const before = rows.length;
      snapshot = await inbox.settle((s) => !s.hasMore || (s.rows?.length ?? 0) > before, `page to ${wanted}`);
    }
    expect(ids(snapshot.rows)).toEqual(all);
    expect(snapshot.hasMore).toBe(false);
    inbox.pages.close();
  });

  // A lead opened by link: the inbox reads on until its row is in, and no further than a page past it.
  it.each<[string, Partial<InboxFilter>, number?]>([
    ['open', {}],
    ['every status', { status: '' }],
    ['an owner of a few', { ownerId: 'u2' }],
    ['an owner of many', { ownerId: 'u1' }, 100],
    ['a sparse source', { source: 'event' }],
  ])('reads on to a lead revealed far down, then stops: %s', async (_name, patch, ownerSortMax) => {
    await seed(t, 1500);
    const filter = { ...DEFAULT_FILTER, ...patch };
    const sizes = { pageSize: 40, firstPageSize: 30, ...(ownerSortMax ? { ownerSortMax } : {}) };
    const all = await expected(t, filter);
    const at = Math.floor(all.length * 0.9);
    const target = (await t.repos.lead.get(all[at] as string)) as Lead;
    const inbox = open(t, filter, sizes);
    // Asked at once, before the first page is read (the screen asks as it opens with the lead's id).
    inbox.pages.reveal(target);
    const snapshot = await inbox.settle((s) => ids(s.rows).includes(target.id), 'the revealed lead in the rows');
    const rows = ids(snapshot.rows);
    expect(rows).toEqual(all.slice(0, rows.length));
    expect(rows.length).toBeLessThanOrEqual(at + 1 + 2 * 40);
    // Paging on from there as before.
    inbox.pages.loadMore();
    const more = await inbox.settle((s) => !s.hasMore || (s.rows?.length ?? 0) > rows.length, 'a page more');
    expect(ids(more.rows)).toEqual(all.slice(0, more.rows?.length));
    inbox.pages.close();
  });

  it('reveals a lead whose score changes after it is shown', async () => {
    await seed(t, 600);
    const all = await expected(t, DEFAULT_FILTER);
    const inbox = open(t, DEFAULT_FILTER, { pageSize: 50, firstPageSize: 30 });
    await inbox.settle((s) => s.rows !== undefined, 'the first page');
    const first = (await t.repos.lead.get(all[2] as string)) as Lead;
    inbox.pages.reveal(first);
    // Edited down to the bottom of the inbox: the pane still shows it, so the list reads on to it.
    const edited = await t.repos.lead.update(first.id, { score: 1 });
    inbox.pages.reveal(edited as Lead);
    const snapshot = await inbox.settle((s) => ids(s.rows).includes(first.id), 'the lead at its new place');
    expect(ids(snapshot.rows)).toEqual((await expected(t, DEFAULT_FILTER)).slice(0, snapshot.rows?.length));
    inbox.pages.close();
  });

  it('asks each score rank with the filters as equalities, so no page needs them applied in memory', () => {
    expect(rankWheres({ ...DEFAULT_FILTER, status: 'lost', source: 'event', ownerId: 'u1' }, 12)).toEqual([
      { status: 'lost', ownerId: 'u1', source: 'event', scoreRank: 12 },
    ]);
    expect(rankWheres({ ...DEFAULT_FILTER, status: '' }, 0)).toEqual([{ scoreRank: 0 }]);
    expect(rankWheres(DEFAULT_FILTER, 3)).toHaveLength(4);
    // A status alone: each rank one range of the score index, read a page at a time.
    const plan = t.repos.lead.plan({ where: { status: 'new', scoreRank: 3 }, order: 'newest', limit: 60 });
    expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
  });

  it('shows an edited, a created and a synced lead where its score puts it, live', async () => {
    await seed(t, 600);
    const inbox = open(t, DEFAULT_FILTER, { pageSize: 50, firstPageSize: 30 });
    let snapshot = await inbox.settle((s) => s.rows !== undefined, 'the first page');
    const last = snapshot.rows?.at(-1) as Lead;
    const lower = (await expected(t, DEFAULT_FILTER))[200] as string;
    // A lead far down the list scores 99: it comes first.
    await t.repos.lead.update(lower, { score: 99 });
    snapshot = await inbox.settle((s) => s.rows?.[0]?.id === lower, 'the edited lead on top');
    expect(ids(snapshot.rows)).toEqual((await expected(t, DEFAULT_FILTER)).slice(0, snapshot.rows?.length));
    // The top lead drops out of the open statuses: it leaves.
    await t.repos.lead.update(lower, { status: 'lost' });
    snapshot = await inbox.settle((s) => !ids(s.rows).includes(lower), 'the lost lead gone');
    // A new lead between the first and the last shown.
    t.tick();
    const created = await t.repos.lead.create({ lastName: 'New', score: last.score, source: 'website' } as never);
    snapshot = await inbox.settle((s) => ids(s.rows).includes(created.id), 'the created lead');
    expect(ids(snapshot.rows)).toEqual((await expected(t, DEFAULT_FILTER)).slice(0, snapshot.rows?.length));
    // A lead arriving by sync is a storage write like any other: a bulk insert with its own ids.
    await t.repos.lead.bulkCreate([
      { id: 'synced-lead', lastName: 'Synced', score: 98, createdAt: '2025-06-01T00:00:00.000Z' },
    ] as never);
    snapshot = await inbox.settle((s) => s.rows?.[0]?.id === 'synced-lead', 'the synced lead on top');
    expect(ids(snapshot.rows)).toEqual((await expected(t, DEFAULT_FILTER)).slice(0, snapshot.rows?.length));
    inbox.pages.close();
  });

  it('keeps a lead moved into the pages read so far, and one moved below them out', async () => {
    await seed(t, 600);
    const inbox = open(t, DEFAULT_FILTER, { pageSize: 50, firstPageSize: 30 });
    await inbox.settle((s) => s.rows !== undefined, 'the first page');
    inbox.pages.loadMore();
    let snapshot = await inbox.settle((s) => (s.rows?.length ?? 0) >= 80, 'a second page');
    const shown = ids(snapshot.rows);
    const moved = shown[3] as string;
    await t.repos.lead.update(moved, { score: 0 });
    snapshot = await inbox.settle((s) => !ids(s.rows).includes(moved), 'the lead moved down and out');
    const all = await expected(t, DEFAULT_FILTER);
    expect(ids(snapshot.rows)).toEqual(all.slice(0, snapshot.rows?.length));
    expect(snapshot.rows?.length).toBeGreaterThanOrEqual(79);
    inbox.pages.close();
  });

  it('never shows fewer rows while a rank grown past its last page is read further', async () => {
    await seed(t, 600);
    const inbox = open(t, DEFAULT_FILTER, { pageSize: 20, firstPageSize: 20 });
    await inbox.settle((s) => s.rows !== undefined, 'the first page');
    inbox.pages.loadMore();
    inbox.pages.loadMore();
    await inbox.settle((s) => (s.rows?.length ?? 0) >= 60, 'three pages');
    const from = inbox.shown.length;
    // 30 new leads at the top score: the first rank's last page fills and it holds more.
    t.tick();
    await t.repos.lead.bulkCreate(
      Array.from({ length: 30 }, (_, i) => ({ lastName: `Top ${i}`, score: 100, source: 'website' })) as never,
    );
    const snapshot = await inbox.settle((s) => (s.rows ?? []).filter((l) => l.score === 100).length >= 30, 'the top');
    const after = inbox.shown.slice(from - 1);
    expect(after.every((n, i) => i === 0 || n >= (after[i - 1] ?? 0))).toBe(true);
    expect(ids(snapshot.rows)).toEqual((await expected(t, DEFAULT_FILTER)).slice(0, snapshot.rows?.length));
    inbox.pages.close();
  });
});

describe('reading the other statuses ahead', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Runs each task on the next turn, and counts them. */
  function soon() {
    const state = { scheduled: 0, ran: 0 };
    const schedule = (task: () => void) => {
      state.scheduled++;
      const timer = setTimeout(() => {
        state.ran++;
        task();
      }, 0);
      return () => clearTimeout(timer);
    };
    return { state, schedule };
  }

  it('reads each other status choice once, so choosing one reads nothing from storage', async () => {
    await seed(t, 600);
    const { state, schedule } = soon();
    readAheadInbox(t.repos.lead, DEFAULT_FILTER, schedule);
    // 'open' is shown: all, then the seven statuses, then the last task finds nothing left.
    await until(
      () => state.ran === 9,
      () => `9 tasks; ${state.ran} ran`,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(state.scheduled).toBe(9);
    const lost = await expected(t, { ...DEFAULT_FILTER, status: 'lost' });
    const reads = countReads(t, 'leads');
    const inbox = open(t, { ...DEFAULT_FILTER, status: 'lost' });
    const snapshot = await inbox.settle((s) => s.rows !== undefined, 'the lost leads');
    expect(reads).toEqual([]);
    expect(snapshot.rows?.length).toBeGreaterThanOrEqual(Math.min(60, lost.length));
    expect(ids(snapshot.rows)).toEqual(lost.slice(0, snapshot.rows?.length));
    inbox.pages.close();
  });

  it('reads nothing for a source, an owner or a list, and nothing more once cancelled', async () => {
    await seed(t, 300);
    const reads = countReads(t, 'leads');
    for (const patch of [{ source: 'event' }, { ownerId: 'u1' }, { listId: 'list-1' }]) {
      const { state, schedule } = soon();
      readAheadInbox(t.repos.lead, { ...DEFAULT_FILTER, ...patch }, schedule);
      expect(state.scheduled).toBe(0);
    }
    const { state, schedule } = soon();
    const cancel = readAheadInbox(t.repos.lead, DEFAULT_FILTER, schedule);
    cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(state.ran).toBe(0);
    expect(reads).toEqual([]);
  });
});

describe('a lead list', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reads its members by id, not the inbox, and follows their edits and new members', async () => {
    await seed(t, 2000);
    const list = await t.repos.leadList.create({ name: 'Sparse' });
    const every = await t.repos.lead.list({ limit: 100_000 });
    const members = every.filter((_, i) => i % 97 === 3);
    for (const lead of members) {
      await t.repos.leadListMember.create({
        leadListId: list.id,
        leadId: lead.id,
        addedAt: '2026-11-01T09:00:00.000Z',
      });
    }
    const filter = { ...DEFAULT_FILTER, listId: list.id };
    const memberSet = new Set(members.map((m) => m.id));
    const oracle = async () => (await expected(t, filter)).filter((id) => memberSet.has(id));
    const reads = countReads(t, 'leads');
    let latest: Lead[] | undefined;
    const subscription = observeInbox(t.repos, filter, leadChanges(t.db)).subscribe((leads) => {
      latest = leads;
    });
    await until(
      () => latest !== undefined,
      () => 'the list',
    );
    expect(ids(latest)).toEqual(await oracle());
    // The members (their index) and nothing of the inbox: findByIds is no query.
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(members.length);
    const target = members.find((m) => m.status === 'new') as Lead;
    await t.repos.lead.update(target.id, { score: 100 });
    await until(
      () => latest?.[0]?.id === target.id,
      () => 'the edited member on top',
    );
    await t.repos.lead.update(target.id, { status: 'lost' });
    await until(
      () => !ids(latest).includes(target.id),
      () => 'the lost member gone',
    );
    const outsider = every.find((l) => !memberSet.has(l.id) && l.status === 'new') as Lead;
    await t.repos.leadListMember.create({
      leadListId: list.id,
      leadId: outsider.id,
      addedAt: '2026-11-01T09:00:00.000Z',
    });
    memberSet.add(outsider.id);
    await until(
      () => ids(latest).includes(outsider.id),
      () => 'the new member',
    );
    expect(ids(latest)).toEqual(await oracle());
    subscription.unsubscribe();
  });

  it('without the writes stream reads its leads once per change of the members', async () => {
    const list = await t.repos.leadList.create({ name: 'Small' });
    const a = await t.repos.lead.create({ lastName: 'A', score: 10 } as never);
    await t.repos.leadListMember.create({ leadListId: list.id, leadId: a.id, addedAt: '2026-11-01T09:00:00.000Z' });
    const writes = new Subject<readonly string[]>();
    const leads = await firstValueFrom(observeInbox(t.repos, { ...DEFAULT_FILTER, listId: list.id }, writes));
    expect(ids(leads)).toEqual([a.id]);
  });
});
