import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from '../../../support/local-db';

// Its own file: dev-mode is a global RxDB plugin, and vitest gives each file its own realm.
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb({ devMode: true });
});
afterAll(async () => {
  await t.close();
});

describe('derived RxDB schemas under dev-mode checks', () => {
  it('opens every collection (reserved names, index rules, Dexie required-index rule)', () => {
    expect(Object.keys(t.db.rx.collections).sort()).toEqual([...COLLECTIONS].sort());
  });

  it('stays within the open-source limit of 13 collections per realm, with room to spare', () => {
    expect(COLLECTIONS.length).toBeLessThanOrEqual(12);
  });

  it('accepts a write and an indexed query through dev-mode', async () => {
    const c = await t.repos.contact.create({ firstName: 'Dev' });
    expect(await t.repos.contact.list({ where: { ownerId: c.ownerId, status: 'active' } })).toHaveLength(1);
  });
});
