import { describe, expect, it } from 'vitest';
import { auditLogEntity } from '../../src-shared/entities/audit.entity';
import { COLLECTION_ENTITIES, getEntity } from '../../src-shared/entities/registry';
import { COLLECTIONS } from '../../src-shared/schema/define-entity';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { selectForUpdate } from '../../sync-server/src/sync/row-writer';
import {
  AT,
  BACKENDS,
  caughtUp,
  countRows,
  fullDoc,
  pullAll,
  pullPage,
  pushRows,
  sampleDoc,
  startServer,
} from './sync-server-fixtures';

const LATER = '2026-03-02T10:15:30.456Z';

/** Documents sorted by id and serialised with their keys sorted: equal means equal values, byte for byte. */
function canonical(docs: readonly Record<string, unknown>[]): string[] {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  return [...docs].sort((a, b) => String(a.id).localeCompare(String(b.id))).map((d) => JSON.stringify(sortKeys(d)));
}

async function auditEntries(db: Parameters<typeof countRows>[0]) {
  const { rows } = await db.query<{
    entity_id: string;
    action: string;
    source: string;
    actor_id: string;
    changes: unknown;
  }>(`SELECT entity_id, action, source, actor_id, changes FROM audit_log ORDER BY sync_txid, id`);
  return rows;
}

describe.each(BACKENDS)('sync server on $name', (backend) => {
  it('round-trips a document of every entity through push and pull, value for value', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    for (const collection of COLLECTIONS.filter((c) => c !== 'audit')) {
      const docs = COLLECTION_ENTITIES[collection].flatMap((e, i) => [
        fullDoc(e, `${e.name}_full_${i}`),
        sampleDoc(e, `${e.name}_min_${i}`),
      ]);
      const pushed = await pushRows(
        app,
        collection,
        docs.map((d) => ({ newDocumentState: d })),
      );
      expect(pushed, collection).toEqual({ status: 200, body: { conflicts: [], rejected: [] } });
      const pulled = await pullAll(app, db, collection, 3);
      expect(canonical(pulled), collection).toEqual(canonical(docs));
    }
    // The audit collection is push-only: read its rows back through the same codec.
    const entry = fullDoc(auditLogEntity, 'au_device_1');
    expect((await pushRows(app, 'audit', [{ newDocumentState: entry }])).body).toEqual({ conflicts: [], rejected: [] });
    const stored = await db.transaction((tx) => selectForUpdate(tx, auditLogEntity, 'au_device_1'));
    expect(canonical([stored ?? {}])).toEqual(canonical([entry]));
  });

  it('detects a stale assumed master state and answers with the server state', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const contact = getEntity('contact');
    const v1 = sampleDoc(contact, 'c1');
    const v2 = { ...v1, firstName: 'Grace', updatedAt: LATER };
    const v3 = { ...v1, lastName: 'Hopper', updatedAt: LATER };
    expect((await pushRows(app, 'contacts', [{ newDocumentState: v1 }])).body.conflicts).toEqual([]);
    expect(
      (await pushRows(app, 'contacts', [{ newDocumentState: v2, assumedMasterState: v1 }])).body.conflicts,
    ).toEqual([]);
    const stale = await pushRows(app, 'contacts', [{ newDocumentState: v3, assumedMasterState: v1 }]);
    expect(stale.body.rejected).toEqual([]);
    expect(canonical(stale.body.conflicts)).toEqual(canonical([v2]));
    const blind = await pushRows(app, 'contacts', [{ newDocumentState: v3 }]);
    expect(canonical(blind.body.conflicts)).toEqual(canonical([v2]));
    expect(canonical(await pullAll(app, db, 'contacts'))).toEqual(canonical([v2]));
    // Both conflicts are audited with what the device proposed; nothing was written for them.
    expect((await auditEntries(db)).map((e) => [e.entity_id, e.action, e.source, e.actor_id])).toEqual([
      ['c1', 'insert', 'server', 'u_rep'],
      ['c1', 'update', 'server', 'u_rep'],
      ['c1', 'conflict', 'server', 'u_rep'],
      ['c1', 'conflict', 'server', 'u_rep'],
    ]);
    expect((await auditEntries(db))[1]?.changes).toEqual({ firstName: ['sample', 'Grace'] });
    expect((await auditEntries(db))[2]?.changes).toEqual({
      firstName: ['Grace', 'sample'],
      lastName: [null, 'Hopper'],
    });
  });

  it('treats a replayed push as a no-op: no conflict, no write, no second audit entry', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const task = getEntity('task');
    const v1 = sampleDoc(task, 't1');
    const v2 = { ...v1, title: 'Call back', updatedAt: LATER, _rev: '2-a', _meta: { lwt: 5 } };
    const batch = [{ newDocumentState: v1 }, { newDocumentState: sampleDoc(task, 't2') }];
    await pushRows(app, 'tasks', batch);
    await pushRows(app, 'tasks', [{ newDocumentState: v2, assumedMasterState: v1 }]);
    const stamps = await db.query(`SELECT id, sync_txid::text FROM tasks ORDER BY id`);
    const audits = await countRows(db, 'audit_log');
    expect(audits).toBe(3);
    for (const replay of [
      batch.slice(1),
      [{ newDocumentState: v2, assumedMasterState: v1 }],
      [{ newDocumentState: v2 }],
    ]) {
      expect((await pushRows(app, 'tasks', replay)).body).toEqual({ conflicts: [], rejected: [] });
    }
    expect(await db.query(`SELECT id, sync_txid::text FROM tasks ORDER BY id`)).toEqual(stamps);
    expect(await countRows(db, 'audit_log')).toBe(audits);
  });

  it('records removals: soft delete, restore and RxDB hard removal (a tombstone pullers see)', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const note = getEntity('note');
    const v1 = sampleDoc(note, 'n1');
    const deleted = { ...v1, isDeleted: true, deletedAt: LATER, updatedAt: LATER };
    const restored = { ...v1, updatedAt: '2026-03-03T00:00:00.000Z' };
    const removed = { ...restored, _deleted: true };
    let previous: WireDoc | undefined;
    for (const next of [v1, deleted, restored, removed]) {
      const reply = await pushRows(app, 'activities', [{ newDocumentState: next, assumedMasterState: previous }]);
      expect(reply.body).toEqual({ conflicts: [], rejected: [] });
      previous = next;
    }
    expect((await auditEntries(db)).map((e) => e.action)).toEqual(['insert', 'delete', 'restore', 'purge']);
    expect(canonical(await pullAll(app, db, 'activities'))).toEqual(canonical([removed]));
  });

  it('rejects invalid documents naming the field, writes none of them, and keeps the rest of the batch', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const contact = getEntity('contact');
    const good = sampleDoc(contact, 'ok');
    const { firstName: _missing, ...noName } = sampleDoc(contact, 'bad1');
    const rows = [
      { newDocumentState: noName as WireDoc },
      { newDocumentState: sampleDoc(contact, 'bad2', { status: 'sleeping' }) },
      { newDocumentState: sampleDoc(contact, 'bad3', { createdAt: '2026-03-01T09:30:00Z' }) },
      { newDocumentState: sampleDoc(getEntity('deal'), 'bad4') },
      { newDocumentState: sampleDoc(contact, 'bad5', { firstName: 'nul\u0000byte' }) },
      { newDocumentState: sampleDoc(contact, 'bad6', { surprise: 1 }) },
      { newDocumentState: good },
    ];
    const reply = await pushRows(app, 'contacts', rows);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toEqual([]);
    expect(reply.body.rejected.map((r) => [r.id, r.field])).toEqual([
      ['bad1', 'firstName'],
      ['bad2', 'status'],
      ['bad3', 'createdAt'],
      ['bad4', 'kind'],
      ['bad5', undefined],
      ['bad6', 'surprise'],
    ]);
    for (const r of reply.body.rejected) expect(r.reason.length).toBeGreaterThan(5);
    expect((await db.query<{ id: string }>('SELECT id FROM contacts')).rows).toEqual([{ id: 'ok' }]);
    expect(await countRows(db, 'audit_log')).toBe(1);
  });

  it('ignores the fields only the server sets (rule 8)', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const doc = { ...sampleDoc(getEntity('company'), 'co1'), syncTxid: '1', serverUpdatedAt: AT, _rev: '1-x' };
    expect((await pushRows(app, 'companies', [{ newDocumentState: doc as WireDoc }])).body.rejected).toEqual([]);
    const { rows } = await db.query<{ fresh: boolean }>(
      `SELECT sync_txid <> '1'::xid8 AND server_updated_at > now() - interval '1 hour' AS fresh FROM companies`,
    );
    expect(rows).toEqual([{ fresh: true }]);
  });

  it('keeps the audit collection insert-only', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const entry = sampleDoc(auditLogEntity, 'au_1');
    const push = (doc: WireDoc) => pushRows(app, 'audit', [{ newDocumentState: doc }]);
    expect((await push(entry)).body).toEqual({ conflicts: [], rejected: [] });
    expect((await push(entry)).body).toEqual({ conflicts: [], rejected: [] });
    expect((await push({ ...entry, reason: 'edited' })).body.rejected).toMatchObject([{ id: 'au_1' }]);
    expect((await push({ ...sampleDoc(auditLogEntity, 'au_2'), _deleted: true })).body.rejected).toMatchObject([
      { id: 'au_2', field: '_deleted' },
    ]);
    expect(await countRows(db, 'audit_log')).toBe(1);
    expect((await pullPage(app, 'audit', null, 10)).status).toBe(400);
  });

  it('starts afresh for a checkpoint of another epoch (rule 9)', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    await pushRows(app, 'tasks', [{ newDocumentState: sampleDoc(getEntity('task'), 't1') }]);
    await caughtUp(db);
    const first = await pullPage(app, 'tasks', null, 10);
    expect(first.body.documents).toHaveLength(1);
    const again = await pullPage(app, 'tasks', first.body.checkpoint, 10);
    expect(again.body).toEqual({ documents: [], checkpoint: first.body.checkpoint });
    const checkpoint = first.body.checkpoint ?? { epoch: '', txid: '0', id: '' };
    const restored = await pullPage(app, 'tasks', { ...checkpoint, epoch: 'an-older-database' }, 10);
    expect(restored.body.documents.map((d) => d.id)).toEqual(['t1']);
    expect(restored.body.checkpoint?.epoch).toBe(checkpoint.epoch);
  });
});
