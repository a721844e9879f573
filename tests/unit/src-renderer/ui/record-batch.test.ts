import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityRepository } from '../../../../src-renderer/db/entity-repository';
import { getBatched } from '../../../../src-renderer/ui/record-batch';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from '../../../support/local-db';

describe('getBatched', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reads the distinct ids a page asks for in one tick with one storage read', async () => {
    const companies = Array.from({ length: 12 }, (_, i) => ({ id: `co-${i}`, name: `Company ${i}` }));
    await t.repos.company.bulkCreate(companies as never);
    const storage = t.db.rx.companies.storageInstance;
    const [byId, query] = [storage.findDocumentsById.bind(storage), storage.query.bind(storage)];
    const reads: string[][] = [];
    let queries = 0;
    storage.findDocumentsById = async (ids, withDeleted) => {
      reads.push([...ids]);
      return byId(ids, withDeleted);
    };
    storage.query = async (prepared) => {
      queries++;
      return query(prepared);
    };
    const repo = t.repos.company as unknown as EntityRepository<EntityDef>;
    const [getMany, get] = [repo.getMany.bind(repo), repo.get.bind(repo)];
    const calls: number[] = [];
    repo.getMany = (ids) => {
      calls.push(new Set(ids).size);
      return getMany(ids);
    };
    repo.get = (id) => {
      calls.push(-1);
      return get(id);
    };
    // 100 visible rows, each naming one of 12 companies (or one not on this device).
    const asked = Array.from({ length: 100 }, (_, i) => (i % 13 === 12 ? 'missing' : `co-${i % 13}`));
    const found = await Promise.all(asked.map((id) => getBatched(repo, id)));
    expect(found.map((r) => (r as { name?: string } | undefined)?.name)).toEqual(
      asked.map((id) => (id === 'missing' ? undefined : `Company ${id.slice(3)}`)),
    );
    // One getMany of the 13 distinct ids, no per-row get, at most one storage read (RxDB's
    // document cache answers the records it holds).
    expect(calls).toEqual([13]);
    expect(queries).toBe(0);
    expect(reads.length).toBeLessThanOrEqual(1);
    // A later tick is a new batch (names are read fresh, not cached here).
    await getBatched(repo, 'co-1');
    expect(calls).toEqual([13, 1]);
  });
});
