import { describe, expect, it } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import type { Queryable } from '../../sync-server/src/db/database';
import { MIGRATIONS, migrate } from '../../sync-server/src/db/migrate';
import { type PushContext, push } from '../../sync-server/src/sync/push';
import { MIGRATION_BACKENDS } from './migration-backends';
import { sampleDoc } from './sync-server-fixtures';

const audit = getEntity('auditLog');
const contact = getEntity('contact');

function context(lane: number): PushContext {
  let n = 0;
  return {
    userId: 'u_rep',
    access: { kind: 'unrestricted', userId: 'u_rep' },
    now: () => new Date(Date.parse('2026-04-01T00:00:00.000Z') + n * 1000),
    newId: () => `srv_${lane}_${String(++n).padStart(5, '0')}`,
    warn: () => {},
  };
}

/** A device's own audit entry, as its repository writes it. */
function deviceEntry(id: string): WireDoc {
  return sampleDoc(audit, id, { deviceId: 'laptop-7', actorId: 'u_rep', at: '2026-03-01T08:00:00.000Z' });
}

async function chain(db: Queryable) {
  return (
    await db.query<{ seq: string; id: string }>(`SELECT seq::text AS seq, id FROM audit_log ORDER BY audit_log.seq`)
  ).rows;
}

/** Changes a stored entry as a superuser would, the append-only trigger switched off for it. */
async function tamper(
  db: Queryable & { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T> },
  sql: string,
) {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(sql);
  });
}

describe.each(MIGRATION_BACKENDS)('the audit hash chain on $name', (backend) => {
  it('chains concurrent pushes from many connections into one line, without gaps or forks', async () => {
    const db = await backend.open();
    const lanes = Array.from({ length: 12 }, (_, lane) => lane);
    await Promise.all(
      lanes.map(async (lane) => {
        const ctx = context(lane);
        for (let round = 0; round < 3; round++) {
          const contacts = Array.from({ length: 4 }, (_, i) => sampleDoc(contact, `c_${lane}_${round}_${i}`));
          await push(db, 'contacts', { rows: contacts.map((d) => ({ newDocumentState: d })) }, ctx);
          await push(db, 'audit', { rows: [{ newDocumentState: deviceEntry(`au_${lane}_${round}`) }] }, ctx);
        }
      }),
    );
    const rows = await chain(db);
    // 12 lanes × 3 rounds × (4 server entries for the contacts + 1 device entry)
    expect(rows).toHaveLength(12 * 3 * 5);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 180 });
  }, 60_000);

  it('keeps the device fields, adds synced_at, and refuses UPDATE and DELETE', async () => {
    const db = await backend.open();
    await push(db, 'audit', { rows: [{ newDocumentState: deviceEntry('au_1') }] }, context(0));
    const { rows } = await db.query<{ at: string; device_id: string; actor_id: string; synced: boolean }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, device_id, actor_id,
        synced_at IS NOT NULL AND synced_at <> at AS synced FROM audit_log`,
    );
    expect(rows).toEqual([{ at: '2026-03-01T08:00:00.000Z', device_id: 'laptop-7', actor_id: 'u_rep', synced: true }]);
    await expect(db.query(`UPDATE audit_log SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_log SET hash = prev_hash`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses a pushed audit entry that sets chain or server columns', async () => {
    const db = await backend.open();
    const result = await push(
      db,
      'audit',
      {
        rows: [
          { newDocumentState: { ...deviceEntry('au_1'), hash: 'ff'.repeat(32) } as WireDoc },
          { newDocumentState: { ...deviceEntry('au_2'), seq: 1 } as WireDoc },
          { newDocumentState: { ...deviceEntry('au_3'), syncedAt: '2020-01-01T00:00:00.000Z' } as WireDoc },
          { newDocumentState: { ...deviceEntry('au_4'), prevHash: '00' } as WireDoc },
        ],
      },
      context(0),
    );
    expect(result.written).toBe(0);
    expect(result.rejected.map((r) => [r.id, r.field])).toEqual([
      ['au_1', 'hash'],
      ['au_2', 'seq'],
      ['au_3', 'syncedAt'],
      ['au_4', 'prevHash'],
    ]);
    // Whatever a writer puts in the chain columns, the trigger sets them.
    await db.query(`INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, $1::text::jsonb)`, [
      JSON.stringify({
        id: 'au_sql',
        kind: 'auditLog',
        owner_id: 'u',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        created_by: 'u',
        updated_by: 'u',
        is_deleted: false,
        newest: 1,
        at: '2026-01-01T00:00:00Z',
        actor_id: 'u',
        device_id: 'd',
        source: 'local',
        action: 'insert',
        collection_name: 'contacts',
        entity_kind: 'contact',
        entity_id: 'c1',
        record_count: 1,
        sync_removed: false,
        sync_txid: '1',
        server_updated_at: '2026-01-01T00:00:00Z',
        seq: 99,
        synced_at: '2000-01-01T00:00:00Z',
        hash: '\\x00',
        prev_hash: '\\x00',
        content_digest: '\\x00',
      }),
    ]);
    expect(await chain(db)).toEqual([{ seq: '1', id: 'au_sql' }]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 1 });
  });

  it('finds a tampered entry at exactly its link, and a removed one at the next', async () => {
    const db = await backend.open();
    const rows = Array.from({ length: 6 }, (_, i) => ({ newDocumentState: deviceEntry(`au_${i + 1}`) }));
    for (const row of rows) await push(db, 'audit', { rows: [row] }, context(0));
    const ids = await chain(db);
    expect(ids).toHaveLength(6);
    await tamper(db, `UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 4`);
    const content = await verifyAuditChain(db);
    expect(content).toMatchObject({ ok: false, count: 3, broken: { seq: '4', id: ids[3]?.id, problem: 'content' } });

    await tamper(db, `UPDATE audit_log SET reason = NULL WHERE seq = 4`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 6 });

    // Recomputing the content digest does not help: the link's hash no longer matches.
    await tamper(db, `UPDATE audit_log SET reason = 'x' WHERE seq = 2`);
    await tamper(
      db,
      `UPDATE audit_log SET content_digest = sha256(convert_to(audit_log_content(audit_log), 'UTF8')) WHERE seq = 2`,
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, count: 1, broken: { seq: '2', problem: 'hash' } });
    await tamper(db, `DELETE FROM audit_log WHERE seq = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      count: 1,
      broken: { seq: '3', id: ids[2]?.id, problem: 'seq', expected: '2', actual: '3' },
    });
  });

  it('chains the entries written before the migration', async () => {
    const db = await backend.openEmpty();
    // Every migration before the audit chain's (later ones are appended after it).
    const chainAt = MIGRATIONS.findIndex((m) => m.id === '1796006174780_audit_chain');
    await migrate(db, MIGRATIONS.slice(0, chainAt));
    for (const id of ['au_a', 'au_b', 'au_c']) {
      await push(db, 'audit', { rows: [{ newDocumentState: deviceEntry(id) }] }, context(0));
    }
    const report = await migrate(db);
    expect(report.applied).toEqual(MIGRATIONS.slice(chainAt).map((m) => m.id));
    expect((await chain(db)).map((r) => r.id)).toEqual(['au_a', 'au_b', 'au_c']);
    await push(db, 'audit', { rows: [{ newDocumentState: deviceEntry('au_d') }] }, context(0));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 4 });
    expect((await migrate(db)).applied).toEqual([]);
  });
});
