import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListOptions } from '../../../../src-renderer/db/entity-repository';
import { SCORE_MAX } from '../../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

type Row = { id: string; newest: number; isDeleted: boolean } & Record<string, unknown>;

/** What a list must return, computed by hand from every document of the kind (a full scan). */
function reference(all: Row[], options: ListOptions): string[] {
  const where = options.where ?? {};
  const rows = all.filter(
    (r) => (options.includeDeleted || !r.isDeleted) && Object.entries(where).every(([k, v]) => r[k] === v),
  );
  rows.sort((a, b) =>
    options.order === 'score'
      ? SCORE_MAX - Number(a.score) - (SCORE_MAX - Number(b.score)) || a.newest - b.newest || (a.id < b.id ? -1 : 1)
      : a.newest - b.newest || (a.id < b.id ? -1 : 1),
  );
  const from = options.skip ?? 0;
  return rows.slice(from, options.limit === undefined ? undefined : from + options.limit).map((r) => r.id);
}

/** The index RxDB reads, less what it adds to every index (`_deleted` first, the primary key last). */
function withoutId(index: string[]): string[] {
  return index.filter((f, i) => !(i === 0 && f === '_deleted') && !(i === index.length - 1 && f === 'id'));
}

describe('lookups on optional fields are served by their index', () => {
  it('contacts by company and by lifecycle stage: right index, same rows as a full scan, records without the field left alone', async () => {
    const companyA = await t.repos.company.create({ name: 'Acme' });
    const companyB = await t.repos.company.create({ name: 'Globex' });
    const stages = ['lead', 'customer', undefined] as const;
    for (let i = 0; i < 30; i++) {
      const companyId = i % 3 === 0 ? companyA.id : i % 3 === 1 ? companyB.id : undefined;
      const lifecycleStage = stages[i % 3 === 2 ? 2 : i % 2];
      await t.repos.contact.create({
        firstName: `P${i}`,
        ...(companyId ? { companyId } : {}),
        ...(lifecycleStage ? { lifecycleStage } : {}),
      });
      t.tick();
    }
    const [gone] = await t.repos.contact.list({ where: { companyId: companyA.id }, limit: 1 });
    if (!gone) throw new Error('no contact at Acme');
    await t.repos.contact.softDelete(gone.id);
    const all = (await t.repos.contact.list({ includeDeleted: true })) as unknown as Row[];
    expect(all).toHaveLength(30);

    const cases: [ListOptions, string[]][] = [
      [{ where: { companyId: companyA.id } }, ['companyId', 'isDeleted', 'newest']],
      [{ where: { companyId: companyB.id }, limit: 4, skip: 2 }, ['companyId', 'isDeleted', 'newest']],
      [{ where: { companyId: companyA.id }, order: 'oldest' }, ['companyId', 'isDeleted', 'newest']],
      [{ where: { lifecycleStage: 'customer' } }, ['lifecycleStage', 'isDeleted', 'newest']],
      [{ where: { companyId: 'no-such-company' } }, ['companyId', 'isDeleted', 'newest']],
    ];
    for (const [options, index] of cases) {
      const plan = t.repos.contact.plan(options);
      expect(withoutId(plan.index), JSON.stringify(options)).toEqual(index);
      expect(plan.selectorSatisfiedByIndex).toBe(true);
      const got = (await t.repos.contact.list(options)).map((r) => r.id);
      const expected = reference(all, options);
      expect(got, JSON.stringify(options)).toEqual(options.order === 'oldest' ? [...expected].reverse() : expected);
      expect(await t.repos.contact.count(options)).toBe(
        reference(all, { ...options, limit: undefined, skip: 0 }).length,
      );
    }
    // Without a value the field cannot pick its index (it lacks the contacts without a company):
    // `companyId: null` still finds them, from the list index.
    const where = { companyId: null } as unknown as Record<string, string>;
    expect(withoutId(t.repos.contact.plan({ where }).index)).toEqual(['isDeleted', 'newest']);
    expect((await t.repos.contact.list({ where })).map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => !r.isDeleted && r.companyId === undefined)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('deals by company and contact, subsidiaries and companies by type, tasks of a record', async () => {
    const parent = await t.repos.company.create({ name: 'Parent', type: 'customer' });
    const child = await t.repos.company.create({ name: 'Child', parentCompanyId: parent.id });
    await t.repos.company.create({ name: 'Loner', type: 'partner' });
    const ada = await t.repos.contact.create({ firstName: 'Ada', companyId: parent.id });
    const deal = await t.repos.deal.create({ name: 'Big', companyId: parent.id, contactId: ada.id });
    await t.repos.deal.create({ name: 'Other' });
    const open = await t.repos.task.create({ title: 'Call', subjectType: 'deal', subjectId: deal.id });
    const done = await t.repos.task.create({
      title: 'Email',
      subjectType: 'deal',
      subjectId: deal.id,
      status: 'completed',
      completedAt: '2026-11-01T09:00:00.000Z',
    });
    await t.repos.task.create({ title: 'Unrelated' });

    expect(withoutId(t.repos.deal.plan({ where: { companyId: parent.id } }).index)).toEqual([
      'kind',
      'companyId',
      'isDeleted',
      'newest',
    ]);
    expect((await t.repos.deal.list({ where: { companyId: parent.id } })).map((d) => d.id)).toEqual([deal.id]);
    expect(withoutId(t.repos.deal.plan({ where: { contactId: ada.id } }).index)).toEqual([
      'kind',
      'contactId',
      'isDeleted',
      'newest',
    ]);
    expect(await t.repos.deal.count({ where: { contactId: ada.id } })).toBe(1);

    expect(withoutId(t.repos.company.plan({ where: { parentCompanyId: parent.id } }).index)).toEqual([
      'parentCompanyId',
      'isDeleted',
      'newest',
    ]);
    expect((await t.repos.company.list({ where: { parentCompanyId: parent.id } })).map((c) => c.id)).toEqual([
      child.id,
    ]);
    expect(withoutId(t.repos.company.plan({ where: { type: 'prospect' } }).index)).toEqual([
      'type',
      'isDeleted',
      'newest',
    ]);
    expect((await t.repos.company.list({ where: { type: 'prospect' } })).map((c) => c.name)).toEqual(['Child']);

    const timeline = t.repos.task.plan({ where: { subjectId: deal.id } });
    expect(withoutId(timeline.index)).toEqual(['subjectId', 'isDeleted', 'newest']);
    expect(timeline.sortSatisfiedByIndex).toBe(true);
    expect((await t.repos.task.list({ where: { subjectId: deal.id } })).map((x) => x.id).sort()).toEqual(
      [open.id, done.id].sort(),
    );
    const openOnes = t.repos.task.plan({ where: { subjectId: deal.id, status: 'open' } });
    expect(withoutId(openOnes.index)).toEqual(['subjectId', 'status', 'isDeleted', 'newest']);
    expect(openOnes.selectorSatisfiedByIndex).toBe(true);
    expect((await t.repos.task.list({ where: { subjectId: deal.id, status: 'open' } })).map((x) => x.id)).toEqual([
      open.id,
    ]);
  });
});

describe('leads by score, highest first', () => {
  it('stamps scoreRank on create, update, soft delete and restore, and refuses it from callers', async () => {
    const lead = await t.repos.lead.create({ lastName: 'Hopper', score: 70 });
    expect(lead).toMatchObject({ score: 70, scoreRank: SCORE_MAX - 70 });
    expect(await t.repos.lead.get(lead.id)).toMatchObject({ scoreRank: 30 });
    expect(await t.repos.lead.create({ lastName: 'Default' })).toMatchObject({ score: 0, scoreRank: SCORE_MAX });
    expect(await t.repos.lead.update(lead.id, { score: 95 })).toMatchObject({ scoreRank: 5 });
    expect(await t.repos.lead.update(lead.id, { status: 'contacted' })).toMatchObject({ score: 95, scoreRank: 5 });
    expect(await t.repos.lead.softDelete(lead.id)).toMatchObject({ scoreRank: 5 });
    expect(await t.repos.lead.restore(lead.id)).toMatchObject({ isDeleted: false, scoreRank: 5 });
    expect(await t.repos.lead.get(lead.id)).toMatchObject({ score: 95, scoreRank: 5 });

    const given = t.repos.lead.create({ lastName: 'Liar', score: 10, scoreRank: 0 } as never);
    await expect(given).rejects.toThrow(ValidationError);
    expect(((await given.catch((e: unknown) => e)) as ValidationError).problems).toEqual([
      { field: 'scoreRank', problem: 'is set by the system and cannot be given' },
    ]);
    await expect(t.repos.lead.update(lead.id, { scoreRank: 0 } as never)).rejects.toThrow(/scoreRank/);
    // Bad input still names the field, and nothing is written.
    await expect(t.repos.lead.update(lead.id, { score: 101 })).rejects.toThrow(/score/);
    expect(await t.repos.lead.get(lead.id)).toMatchObject({ score: 95, scoreRank: 5 });
    expect(await t.repos.lead.count()).toBe(2);
  });

  it('pages the inbox from the [status, isDeleted, scoreRank, newest] index, as a full scan would order it', async () => {
    const statuses = ['new', 'contacted', 'new', 'qualified'] as const;
    for (let i = 0; i < 40; i++) {
      await t.repos.lead.create({ lastName: `L${i}`, score: (i * 37) % 101, status: statuses[i % 4] });
      t.tick();
    }
    const [someone] = await t.repos.lead.list({ where: { status: 'new' }, limit: 1 });
    if (!someone) throw new Error('no new lead');
    await t.repos.lead.update(someone.id, { score: 100 });
    await t.repos.lead.softDelete((await t.repos.lead.list({ limit: 1, skip: 3 }))[0]?.id ?? '');
    const all = (await t.repos.lead.list({ includeDeleted: true })) as unknown as Row[];

    const cases: [ListOptions, string[]][] = [
      [{ order: 'score', where: { status: 'new' }, limit: 5 }, ['status', 'isDeleted', 'scoreRank', 'newest']],
      [{ order: 'score', where: { status: 'new' }, limit: 5, skip: 5 }, ['status', 'isDeleted', 'scoreRank', 'newest']],
      [{ order: 'score', limit: 10 }, ['isDeleted', 'scoreRank', 'newest']],
      [{ order: 'score' }, ['isDeleted', 'scoreRank', 'newest']],
    ];
    for (const [options, index] of cases) {
      const plan = t.repos.lead.plan(options);
      expect(withoutId(plan.index), JSON.stringify(options)).toEqual(['kind', ...index]);
      expect(plan.selectorSatisfiedByIndex && plan.sortSatisfiedByIndex, JSON.stringify(options)).toBe(true);
      expect(
        (await t.repos.lead.list(options)).map((r) => r.id),
        JSON.stringify(options),
      ).toEqual(reference(all, options));
    }
    expect((await t.repos.lead.list({ order: 'score', limit: 1 }))[0]).toMatchObject({ id: someone.id, score: 100 });

    // A filter no score index covers is still right, sorted in memory.
    const owner = { order: 'score', where: { ownerId: 'user-rep-1', status: 'new' } } as const;
    expect(t.repos.lead.plan(owner).sortSatisfiedByIndex).toBe(false);
    expect((await t.repos.lead.list(owner)).map((r) => r.id)).toEqual(reference(all, owner));
    const withDeleted = { order: 'score', includeDeleted: true } as const;
    expect((await t.repos.lead.list(withDeleted)).map((r) => r.id)).toEqual(reference(all, withDeleted));

    // The default order is untouched: newest first from the status index.
    expect(withoutId(t.repos.lead.plan({ where: { status: 'new' } }).index)).toEqual([
      'kind',
      'status',
      'isDeleted',
      'newest',
    ]);
    expect((await t.repos.lead.list({ where: { status: 'new' } })).map((r) => r.id)).toEqual(
      reference(all, { where: { status: 'new' } }),
    );
  });

  it('live lists follow a score change', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', score: 10 });
    const b = await t.repos.lead.create({ lastName: 'B', score: 20 });
    const seen: string[][] = [];
    const sub = t.repos.lead
      .observe({ order: 'score', limit: 2 })
      .subscribe((rows) => seen.push(rows.map((r) => r.id)));
    await t.repos.lead.update(a.id, { score: 90 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    sub.unsubscribe();
    expect(seen[0]).toEqual([b.id, a.id]);
    expect(seen.at(-1)).toEqual([a.id, b.id]);
  });

  it('refuses the score order for kinds without a score', async () => {
    await expect(t.repos.contact.list({ order: 'score' })).rejects.toThrow(/cannot be ordered by score/);
  });
});
