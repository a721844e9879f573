import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import type { Queryable } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { BACKENDS } from './sync-server-fixtures';

/**
 * The chain trigger's fast content digest (db/1796037618269_audit_chain_content.ts) must hash the
 * very text `audit_log_content` returns, for every entry: those the fast path takes (a server
 * session, NULL optional columns) and those it must leave to `audit_log_content` (a jsonb column
 * holding JSON null, another time zone, float digits off, a nullable column added later).
 */

type Entry = Record<string, unknown>;

function entry(id: string, overrides: Entry = {}): Entry {
  return {
    id,
    kind: 'auditLog',
    owner_id: 'u_rep',
    created_at: '2026-04-01T00:00:00.123Z',
    updated_at: '2026-04-01T00:00:00.123Z',
    created_by: 'u_rep',
    updated_by: 'u_rep',
    is_deleted: false,
    newest: 1,
    at: '2026-04-01T00:00:00.123Z',
    actor_id: 'u_rep',
    device_id: 'server',
    source: 'server',
    action: 'update',
    collection_name: 'contacts',
    entity_kind: 'contact',
    entity_id: `c_${id}`,
    changes: { phone: ['+1 555 0001', '+1 555 0002'] },
    record_count: 1,
    sync_removed: false,
    sync_txid: '1',
    server_updated_at: '2026-04-01T00:00:00Z',
    ...overrides,
  };
}

async function insert(db: Queryable, entries: readonly Entry[]) {
  await db.query(`INSERT INTO audit_log SELECT * FROM jsonb_populate_recordset(NULL::audit_log, $1::text::jsonb)`, [
    JSON.stringify(entries),
  ]);
}

/** Entries whose stored digest is not sha256 of `audit_log_content`, read in another time zone on purpose. */
async function mismatched(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }) {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'Asia/Kolkata'`);
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM audit_log AS a WHERE content_digest <> sha256(convert_to(audit_log_content(a), 'UTF8')) ORDER BY id`,
    );
    return rows.map((r) => r.id);
  });
}

async function headSeq(db: Queryable) {
  return (await db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_chain_head')).rows[0]?.seq;
}

describe.each(BACKENDS)('the audit chain content digest on $name', (backend) => {
  it('hashes what audit_log_content returns, on the fast path and on every way off it', async () => {
    const db = await backend.open();
    await insert(db, [
      entry('plain'),
      entry('nulls-inside', {
        changes: { email: [null, 'a"b\\c@example.com'], customFields: [{ x: null, y: 1.5 }, { y: 1.5 }] },
        records: [{ id: 'c_1', action: 'update', changes: { note: [null, 'ünïcødé ✓'] } }],
        reason: 'quotes " and \\ and \n newline',
        deleted_at: '2026-04-02T10:00:00.5Z',
        record_count: 2,
      }),
      entry('sql-null-changes', { changes: null }),
    ]);
    // JSON null stored in a jsonb column (not SQL NULL): `audit_log_content` drops that key too.
    const stored = entry('json-null-changes');
    const columns = Object.keys(stored).filter((c) => c !== 'changes');
    await db.query(
      `INSERT INTO audit_log (${columns.join(', ')}, changes)
       SELECT ${columns.map((c) => `r.${c}`).join(', ')}, 'null'::jsonb FROM jsonb_populate_record(NULL::audit_log, $1::text::jsonb) AS r`,
      [JSON.stringify(stored)],
    );
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL TimeZone = 'America/New_York'`);
      await insert(tx, [entry('other-zone')]);
    });
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL extra_float_digits = 0`);
      await insert(tx, [entry('float-digits-off')]);
    });
    const { rows } = await db.query<{ json_null: boolean }>(
      `SELECT changes = 'null'::jsonb AS json_null FROM audit_log WHERE id = 'json-null-changes'`,
    );
    expect(rows).toEqual([{ json_null: true }]);
    expect(await mismatched(db)).toEqual([]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 6 });
  });

  it('takes the fast path in a server session and audit_log_content only off it', async () => {
    const db = await backend.open();
    const sabotaged = db.transaction(async (tx) => {
      // Rolled back below: an audit_log_content that fails shows which entries call it.
      await tx.query(`CREATE OR REPLACE FUNCTION audit_log_content(r audit_log) RETURNS text LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log_content called'; END $$`);
      await insert(tx, [entry('plain'), entry('with-reason', { reason: 'x', deleted_at: '2026-04-02T10:00:00.000Z' })]);
      await tx.query('SAVEPOINT off');
      await tx.query(`SET LOCAL TimeZone = 'America/New_York'`);
      await expect(insert(tx, [entry('other-zone')])).rejects.toThrow(/audit_log_content called/);
      await tx.query('ROLLBACK TO SAVEPOINT off');
      throw new Error('rolled back on purpose');
    });
    await expect(sabotaged).rejects.toThrow('rolled back on purpose');
    await insert(db, [entry('after')]);
    expect(await mismatched(db)).toEqual([]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 1 });
  });

  it('leaves a column added later out of old digests and hashes it once it holds a value', async () => {
    const db = await backend.open();
    await insert(db, [entry('before')]);
    await db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_log ADD COLUMN note text');
      await insert(tx, [entry('null-note'), entry('with-note', { note: 'kept' })]);
      expect(await mismatched({ transaction: (fn) => fn(tx) })).toEqual([]);
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true, count: 3 });
    });
  });

  it('writes nothing of a statement one bad entry fails, and the chain goes on from the same head', async () => {
    const db = await backend.open();
    await insert(db, [entry('a1')]);
    await expect(insert(db, [entry('a2'), entry('bad', { action: 'rewrite' }), entry('a3')])).rejects.toThrow(
      /audit_log_action_check/,
    );
    await expect(insert(db, [entry('a2'), entry('x'.repeat(41), { entity_id: 'c_long' })])).rejects.toThrow(
      /audit_log_id_check/,
    );
    expect(await headSeq(db)).toBe('1');
    await insert(db, [entry('a2')]);
    // Migrating again changes nothing, the trigger included.
    expect((await migrate(db)).applied).toEqual([]);
    await insert(db, [entry('a3')]);
    const { rows } = await db.query<{ seq: string; id: string }>(
      'SELECT seq::text AS seq, id FROM audit_log ORDER BY seq',
    );
    expect(rows).toEqual([
      { seq: '1', id: 'a1' },
      { seq: '2', id: 'a2' },
      { seq: '3', id: 'a3' },
    ]);
    expect(await mismatched(db)).toEqual([]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 3 });
  });
});
