import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import type { Queryable } from '../../sync-server/src/db/database';
import { BACKENDS } from './sync-server-fixtures';

/**
 * The audit chain trigger keeps the running head in transaction-local settings and writes the head
 * row once per statement (db/1796024638638_audit_chain_batch.ts). These check that the chain it
 * builds is the same line as before across the cases that setting could get wrong: many entries in
 * one statement, several statements in one transaction, a rolled-back savepoint, a rolled-back
 * transaction, and a session that forges the setting.
 */

/** An INSERT of audit entries with these ids, in order, in ONE statement (as the push writes them). */
function insertEntries(ids: readonly string[]): [string, unknown[]] {
  const rows = ids.map((id) => ({
    id,
    kind: 'auditLog',
    owner_id: 'u_rep',
    created_at: '2026-04-01T00:00:00Z',
    updated_at: '2026-04-01T00:00:00Z',
    created_by: 'u_rep',
    updated_by: 'u_rep',
    is_deleted: false,
    newest: 1,
    at: '2026-04-01T00:00:00Z',
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
  }));
  return [
    `INSERT INTO audit_log SELECT * FROM jsonb_populate_recordset(NULL::audit_log, $1::text::jsonb)`,
    [JSON.stringify(rows)],
  ];
}

async function insert(db: Queryable, ids: readonly string[]) {
  const [sql, params] = insertEntries(ids);
  await db.query(sql, params);
}

async function line(db: Queryable) {
  const { rows } = await db.query<{ seq: string; id: string }>(
    'SELECT seq::text AS seq, id FROM audit_log ORDER BY seq',
  );
  return rows.map((r) => `${r.seq}:${r.id}`);
}

async function head(db: Queryable) {
  const { rows } = await db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_chain_head');
  return rows[0]?.seq;
}

describe.each(BACKENDS)('the audit chain written in batches on $name', (backend) => {
  it('chains many entries per statement and per transaction, across savepoints and rollbacks', async () => {
    const db = await backend.open();
    await db.transaction(async (tx) => {
      await insert(tx, ['a1', 'a2', 'a3']);
      // The head row is written once the statement ends, so the next statement sees it.
      expect(await head(tx)).toBe('3');
      await insert(tx, ['a4']);
      await tx.query('SAVEPOINT half');
      await insert(tx, ['x1', 'x2']);
      await tx.query('ROLLBACK TO SAVEPOINT half');
      expect(await head(tx)).toBe('4');
      await insert(tx, ['a5', 'a6']);
    });
    await expect(
      db.transaction(async (tx) => {
        await insert(tx, ['y1', 'y2']);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await insert(db, ['a7']);
    await insert(db, []);
    expect(await line(db)).toEqual(['1:a1', '2:a2', '3:a3', '4:a4', '5:a5', '6:a6', '7:a7']);
    expect(await head(db)).toBe('7');
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 7 });
  });

  it('reports a chain a session forged the running head for', async () => {
    const db = await backend.open();
    await insert(db, ['a1', 'a2']);
    await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('audit_chain.seq', '40', true), set_config('audit_chain.hash', $1, true)`, [
        'ab'.repeat(32),
      ]);
      await insert(tx, ['forged']);
    });
    expect(await line(db)).toEqual(['1:a1', '2:a2', '41:forged']);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      count: 2,
      broken: { seq: '41', id: 'forged', problem: 'seq', expected: '3', actual: '41' },
    });
  });
});
