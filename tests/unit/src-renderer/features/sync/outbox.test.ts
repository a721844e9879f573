import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Replication, startReplication } from '../../../../../src-renderer/db/replication';
import { createOfflineGate, gatedTransport } from '../../../../../src-renderer/sync/offline-gate';
import { observeOutbox, pendingDocs, pendingTotal } from '../../../../../src-renderer/sync/outbox';
import { discardPending, retryPending, SyncUnavailableError } from '../../../../../src-renderer/sync/outbox-actions';
import { NotFoundError, ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { memorySyncServer } from './memory-sync-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

async function device(offline: boolean) {
  const t: TestDb = await openTestDb({ collections: ['contacts', 'companies', 'audit'] });
  const server = memorySyncServer();
  const gate = createOfflineGate(memoryStorage());
  gate.setOffline(offline);
  const transport = gatedTransport(server.transport, gate);
  const replication: Replication = startReplication(t.db, transport, { batchSize: 50, retryTime: 50 });
  cleanups.push(async () => {
    const stopping = replication.stop();
    transport.close();
    await stopping;
    await t.close();
  });
  return { t, server, gate, replication };
}

const contacts = (r: Replication) => r.states.get('contacts') ?? expect.fail('no contacts replication');

describe('the outbox (pending changes from RxDB’s replication state)', () => {
  it('counts records written offline, names their fields, and drains when back online', async () => {
    const { t, server, gate, replication } = await device(true);
    const a = await t.repos.contact.create({ firstName: 'Ada', city: 'Oslo' });
    await t.repos.company.create({ name: 'Acme' });
    const pending = await pendingDocs('contacts', contacts(replication));
    expect(pending?.map((p) => [p.id, p.kind, p.change, p.server])).toEqual([[a.id, 'contact', 'created', null]]);
    expect(pending?.[0]?.fields).toEqual(expect.arrayContaining(['firstName', 'city']));
    expect(server.pushes).toBe(0);

    const outbox = await firstValueFrom(observeOutbox(replication, 10).pipe(filter((o) => pendingTotal(o) === 2)));
    // The audit entries are pending too, but are not counted as changes of their own.
    expect(outbox.get('audit')?.length).toBe(2);

    gate.setOffline(false);
    await replication.awaitInSync();
    expect(await pendingDocs('contacts', contacts(replication))).toEqual([]);
    expect(server.docs('contacts').map((d) => d.firstName)).toEqual(['Ada']);

    // An edit offline: pending as an update of the one field, against the server's state.
    gate.setOffline(true);
    t.tick();
    await t.repos.contact.update(a.id, { city: 'Rome' });
    const [edit] = (await pendingDocs('contacts', contacts(replication))) ?? [];
    expect(edit).toMatchObject({ id: a.id, change: 'updated', fields: ['city'] });
    expect(edit?.server?.city).toBe('Oslo');
    gate.setOffline(false);
    await replication.awaitInSync();
    expect(await pendingDocs('contacts', contacts(replication))).toEqual([]);
    expect(server.docs('contacts')[0]?.city).toBe('Rome');
  });

  it('reads the changes page by page (more than one scan batch)', async () => {
    const { t, replication } = await device(true);
    for (let i = 0; i < 520; i++) await t.repos.contact.create({ firstName: `Bulk ${i}` });
    const pending = (await pendingDocs('contacts', contacts(replication))) ?? [];
    expect(pending).toHaveLength(520);
    expect(new Set(pending.map((p) => p.id)).size).toBe(520);
  }, 60_000);

  it('does not count what a pull brought in', async () => {
    const { t, server, replication } = await device(false);
    const other = await openTestDb({ collections: ['contacts', 'audit'] });
    cleanups.push(() => other.close());
    const remote = await other.repos.contact.create({ firstName: 'From elsewhere' });
    server.write('contacts', { ...(remote as unknown as Record<string, unknown>), _deleted: false } as never);
    await replication.awaitInSync();
    expect(await t.repos.contact.get(remote.id)).toBeDefined();
    expect(await pendingDocs('contacts', contacts(replication))).toEqual([]);
  });

  it('discards an unsent edit back to the server’s state, and a never-sent record entirely (audited)', async () => {
    const { t, gate, replication } = await device(false);
    const a = await t.repos.contact.create({ firstName: 'Ada', city: 'Oslo' });
    await replication.awaitInSync();
    gate.setOffline(true);
    t.tick();
    await t.repos.contact.update(a.id, { city: 'Rome' });
    const b = await t.repos.contact.create({ firstName: 'Never sent' });

    const reverted = await discardPending(t.db, replication, 'contacts', a.id);
    expect(reverted.change).toBe('updated');
    expect((await t.repos.contact.get(a.id))?.city).toBe('Oslo');
    await discardPending(t.db, replication, 'contacts', b.id);
    expect(await t.repos.contact.get(b.id)).toBeUndefined();

    const left = (await pendingDocs('contacts', contacts(replication))) ?? [];
    // The revert itself is sent (with the server's values): no field differs any more.
    expect(left.map((p) => [p.id, p.fields])).toEqual([[a.id, []]]);
    const decisions = await t.db.rx.audit.find({ selector: { action: 'conflict' } }).exec();
    expect(decisions.map((d) => d.toJSON().reason).sort()).toEqual(
      [
        "unsynced change discarded, server's last known state restored",
        'unsynced change discarded, never-synced record removed',
      ].sort(),
    );
  });

  it('refuses bad input by name and changes nothing', async () => {
    const { t, gate, replication } = await device(true);
    const a = await t.repos.contact.create({ firstName: 'Ada' });
    const before = await t.repos.contact.get(a.id);
    await expect(discardPending(t.db, replication, 'nope', a.id)).rejects.toThrow(ValidationError);
    await expect(discardPending(t.db, replication, 'nope', a.id)).rejects.toThrow(/collection/);
    await expect(discardPending(t.db, replication, 'audit', 'x')).rejects.toThrow(/audit entries/);
    await expect(discardPending(t.db, replication, 'contacts', 'no-such-id')).rejects.toThrow(NotFoundError);
    await expect(discardPending(t.db, undefined, 'contacts', a.id)).rejects.toThrow(SyncUnavailableError);
    await expect(retryPending(replication, gate, 'contacts', 'no-such-id')).rejects.toThrow(NotFoundError);
    await expect(retryPending(replication, gate, 'contacts', a.id)).rejects.toThrow(/forced offline/);
    expect(await t.repos.contact.get(a.id)).toEqual(before);

    gate.setOffline(false);
    await replication.awaitInSync();
    // Sent meanwhile: the item is gone, and a late click says so instead of touching the record.
    await expect(discardPending(t.db, replication, 'contacts', a.id)).rejects.toThrow(/does not exist/);
    expect(await t.repos.contact.get(a.id)).toEqual(before);
  });
});
