import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityRepository } from '../../../../src-renderer/db/entity-repository';
import { findByName } from '../../../../src-renderer/ui/find-by-name';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const contact = getEntity('contact');
const repo = () => t.repos.contact as unknown as EntityRepository<EntityDef>;

/** `count` contacts, the oldest named Madisyn Kemmer, then Ada 1, Ada 2, … (newer and newer). */
async function contacts(count: number) {
  await t.repos.contact.create({ firstName: 'Madisyn', lastName: 'Kemmer' });
  for (let i = 1; i < count; i++) {
    t.tick(1_000);
    await t.repos.contact.create({ firstName: 'Ada', lastName: String(i) });
  }
}

describe('findByName', () => {
  it('finds a record older than the newest few hundred (a note could not be about it)', async () => {
    await contacts(450);
    const found = await findByName(repo(), contact, 'kemMER', { pageSize: 100 });
    expect(found.matches.map(([, name]) => name)).toEqual(['Madisyn Kemmer']);
    expect(found.complete).toBe(true);
  }, 60_000);

  it('stops at the limit of matches, or after reading maxRead records, and says it stopped', async () => {
    await contacts(30);
    const some = await findByName(repo(), contact, 'ada', { pageSize: 10, limit: 5 });
    expect(some.matches).toHaveLength(5);
    const capped = await findByName(repo(), contact, 'madisyn', { pageSize: 15, maxRead: 20 });
    expect(capped).toEqual({ matches: [], complete: false });
  }, 60_000);
});
