import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Replication, startReplication } from '../../../../../src-renderer/db/replication';
import { NotFoundError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { memorySyncServer } from './memory-sync-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function device() {
  const t: TestDb = await openTestDb({ collections: ['contacts', 'audit'] });
  const server = memorySyncServer();
  const replication: Replication = startReplication(t.db, server.transport, { batchSize: 50, retryTime: 50 });
  cleanups.push(async () => {
    await replication.stop();
    await t.close();
  });
  return { t, server, replication };
}

describe('refused writes: try again', () => {
  it('sends the refused state again once the server accepts it, audited, and the item goes', async () => {
    const { t, server, replication } = await device();
    server.refuse = (doc) =>
      doc.city === 'Atlantis' ? { id: doc.id, field: 'city', reason: 'no such city' } : undefined;
    const a = await t.repos.contact.create({ firstName: 'Ada', city: 'Atlantis' });
    const [item] = await firstValueFrom(t.db.review.rejections$.pipe(filter((r) => r.length === 1)));
    expect(item).toMatchObject({ recordId: a.id, field: 'city', reason: 'no such city' });
    expect(server.docs('contacts')).toEqual([]);

    server.refuse = () => undefined;
    t.tick();
    await t.db.review.retryRejected(item?.id ?? '');
    await replication.awaitInSync();
    expect(server.docs('contacts').map((d) => d.city)).toEqual(['Atlantis']);
    expect((await t.db.review.list()).rejections).toEqual([]);
    const entries = await t.db.rx.audit.find({ selector: { action: 'conflict' } }).exec();
    expect(entries.map((e) => e.toJSON().reason)).toEqual(['rejected write sent again: no such city']);
  });

  it('refuses an unknown item by name and changes nothing', async () => {
    const { t } = await device();
    const a = await t.repos.contact.create({ firstName: 'Ada' });
    const before = await t.repos.contact.get(a.id);
    await expect(t.db.review.retryRejected('contacts/nope')).rejects.toThrow(NotFoundError);
    await expect(t.db.review.retryRejected('contacts/nope')).rejects.toThrow(/rejection contacts\/nope does not exist/);
    expect(await t.repos.contact.get(a.id)).toEqual(before);
  });
});
