import { describe, expect, it } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { PushRow, WireDoc } from '../../src-shared/sync/protocol';
import type { Queryable } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { type PushContext, push } from '../../sync-server/src/sync/push';
import { BACKENDS, sampleDoc } from './sync-server-fixtures';

const LATER = '2026-03-02T10:15:30.456Z';
const LATEST = '2026-03-03T11:00:00.000Z';

function context(warnings: Record<string, unknown>[]): PushContext {
  let n = 0;
  return {
    userId: 'u_rep',
    access: { kind: 'unrestricted', userId: 'u_rep' },
    now: () => new Date(Date.parse('2026-04-01T00:00:00.000Z') + n * 1000),
    newId: () => `srv_${String(++n).padStart(6, '0')}`,
    warn: (details) => warnings.push(details),
  };
}

async function audits(db: Queryable) {
  const { rows } = await db.query<{ entity_id: string; action: string; txid: string }>(
    `SELECT entity_id, action, sync_txid::text AS txid FROM audit_log ORDER BY sync_txid, id`,
  );
  return rows;
}

async function stamps(db: Queryable) {
  const { rows } = await db.query<{ id: string; first_name: string; txid: string }>(
    `SELECT id, first_name, sync_txid::text AS txid FROM contacts ORDER BY id`,
  );
  return rows;
}

describe.each(BACKENDS)('set-based push on $name', (backend) => {
  it('applies a mixed batch in one transaction: new, edited, replayed, conflicting and rejected documents', async () => {
    const db = await backend.open();
    await migrate(db);
    const warnings: Record<string, unknown>[] = [];
    const ctx = context(warnings);
    const contact = getEntity('contact');
    const old1 = sampleDoc(contact, 'c_old');
    const stale1 = sampleDoc(contact, 'c_stale');
    const replay1 = sampleDoc(contact, 'c_replay');
    await push(db, 'contacts', { rows: [old1, stale1, replay1].map((d) => ({ newDocumentState: d })) }, ctx);
    const before = await audits(db);
    expect(before).toHaveLength(3);

    const old2 = { ...old1, firstName: 'Ada', updatedAt: LATER };
    const new2a = sampleDoc(contact, 'c_new2');
    const new2b = { ...new2a, firstName: 'Twice', updatedAt: LATER };
    const { firstName: _missing, ...noName } = sampleDoc(contact, 'bad');
    const rows: PushRow[] = [
      { newDocumentState: sampleDoc(contact, 'c_new1') },
      { newDocumentState: old2, assumedMasterState: old1 },
      { newDocumentState: replay1 },
      {
        newDocumentState: { ...stale1, firstName: 'Stale', updatedAt: LATER },
        assumedMasterState: { ...stale1, lastName: 'Older' },
      },
      { newDocumentState: noName as WireDoc },
      { newDocumentState: new2a },
      { newDocumentState: new2b, assumedMasterState: new2a },
      { newDocumentState: sampleDoc(getEntity('deal'), 'c_deal') },
    ];
    const result = await push(db, 'contacts', { rows }, ctx);
    expect(warnings).toEqual([]);
    expect(result.written).toBe(4);
    expect(result.conflicts.map((c) => [c.id, c.firstName])).toEqual([['c_stale', 'sample']]);
    expect(result.rejected.map((r) => [r.id, r.field])).toEqual([
      ['bad', 'firstName'],
      ['c_deal', 'kind'],
    ]);
    const after = await audits(db);
    expect(after.slice(0, 3)).toEqual(before);
    const added = after.slice(3);
    // The conflict is audited too (nothing written for it): the server's side of "every conflict is audited".
    expect(added.map((a) => [a.entity_id, a.action])).toEqual([
      ['c_new1', 'insert'],
      ['c_old', 'update'],
      ['c_stale', 'conflict'],
      ['c_new2', 'insert'],
      ['c_new2', 'update'],
    ]);
    // Rows, audit entries and cursor stamps of the batch: one transaction, the txid announced.
    expect(new Set(added.map((a) => a.txid))).toEqual(new Set([result.txid]));
    const rowsNow = await stamps(db);
    expect(rowsNow.map((r) => [r.id, r.first_name])).toEqual([
      ['c_new1', 'sample'],
      ['c_new2', 'Twice'],
      ['c_old', 'Ada'],
      ['c_replay', 'sample'],
      ['c_stale', 'sample'],
    ]);
    for (const r of rowsNow) expect(r.txid === result.txid, r.id).toBe(['c_new1', 'c_new2', 'c_old'].includes(r.id));
  });

  it('falls back to one transaction per document when the batch hits a database constraint', async () => {
    const db = await backend.open();
    await migrate(db);
    const warnings: Record<string, unknown>[] = [];
    const ctx = context(warnings);
    const contact = getEntity('contact');
    const old1 = sampleDoc(contact, 'c_old');
    const replay1 = sampleDoc(contact, 'c_replay');
    await push(db, 'contacts', { rows: [old1, replay1].map((d) => ({ newDocumentState: d })) }, ctx);
    await db.query(`ALTER TABLE contacts ADD CONSTRAINT no_boom CHECK (last_name IS DISTINCT FROM 'Boom')`);
    const before = await audits(db);

    const old2 = { ...old1, firstName: 'Ada', updatedAt: LATEST };
    const rows: PushRow[] = [
      { newDocumentState: sampleDoc(contact, 'c_new3') },
      { newDocumentState: sampleDoc(contact, 'c_boom', { lastName: 'Boom' }) },
      { newDocumentState: old2, assumedMasterState: old1 },
      { newDocumentState: replay1 },
      { newDocumentState: { ...replay1, firstName: 'Blind', updatedAt: LATEST } },
      { newDocumentState: sampleDoc(contact, 'c_nul', { firstName: 'nul\u0000byte' }) },
      { newDocumentState: sampleDoc(contact, 'bad', { status: 'sleeping' }) },
    ];
    const result = await push(db, 'contacts', { rows }, ctx);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ collection: 'contacts', rows: 6 });
    expect(result.written).toBe(2);
    expect(result.conflicts.map((c) => [c.id, c.firstName])).toEqual([['c_replay', 'sample']]);
    expect(result.rejected.map((r) => r.id)).toEqual(['c_boom', 'c_nul', 'bad']);
    expect(result.rejected[0]?.reason).toMatch(/refused by the database/);
    const added = (await audits(db)).slice(before.length);
    // Documents run in parallel lanes here, so entries are compared in id order.
    expect(added.map((a) => [a.entity_id, a.action]).sort()).toEqual([
      ['c_new3', 'insert'],
      ['c_old', 'update'],
      ['c_replay', 'conflict'],
    ]);
    expect((await stamps(db)).map((r) => [r.id, r.first_name])).toEqual([
      ['c_new3', 'sample'],
      ['c_old', 'Ada'],
      ['c_replay', 'sample'],
    ]);
  });

  it('keeps the audit collection insert-only in a batch', async () => {
    const db = await backend.open();
    await migrate(db);
    const warnings: Record<string, unknown>[] = [];
    const ctx = context(warnings);
    const audit = getEntity('auditLog');
    const entry = sampleDoc(audit, 'au_1');
    expect((await push(db, 'audit', { rows: [{ newDocumentState: entry }] }, ctx)).written).toBe(1);
    const result = await push(
      db,
      'audit',
      {
        rows: [
          { newDocumentState: entry },
          { newDocumentState: { ...entry, reason: 'edited' } },
          { newDocumentState: { ...sampleDoc(audit, 'au_2'), _deleted: true } },
          { newDocumentState: sampleDoc(audit, 'au_3') },
          { newDocumentState: sampleDoc(audit, 'au_3') },
        ],
      },
      ctx,
    );
    expect(warnings).toEqual([]);
    expect(result.written).toBe(1);
    expect(result.conflicts).toEqual([]);
    expect(result.rejected.map((r) => [r.id, r.field])).toEqual([
      ['au_1', undefined],
      ['au_2', '_deleted'],
    ]);
    expect((await db.query<{ id: string }>('SELECT id FROM audit_log ORDER BY id')).rows).toEqual([
      { id: 'au_1' },
      { id: 'au_3' },
    ]);
  });
});
