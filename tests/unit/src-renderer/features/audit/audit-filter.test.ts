import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditFilterProblems,
  auditListOptions,
  changeRows,
  localMidnight,
  matchesAuditFilter,
  recordChangesOf,
} from '../../../../../src-renderer/features/audit/audit.queries';
import { openTestDb, type TestDb } from '../../../../support/local-db';

describe('audit filter', () => {
  it('turns a filter into index-served equalities and a creation range, newest first', () => {
    const options = auditListOptions({
      recordId: '  c_1 ',
      action: 'update',
      entityKind: 'contact',
      actorId: 'u_1',
      from: '2026-11-01',
      to: '2026-11-02',
    });
    expect(options.where).toEqual({ entityId: 'c_1', action: 'update', entityKind: 'contact', actorId: 'u_1' });
    expect(options.order).toBe('newest');
    // `to` is inclusive: up to the next local midnight.
    expect(options.created).toEqual({
      from: new Date(2026, 10, 1).toISOString(),
      before: new Date(2026, 10, 3).toISOString(),
    });
    expect(auditListOptions({})).toEqual({ where: {}, order: 'newest' });
  });

  it('names each bad filter field', () => {
    expect(auditFilterProblems({})).toEqual([]);
    expect(auditFilterProblems({ entityKind: 'contacts' })).toEqual([
      { field: 'entityKind', problem: '"contacts" is not an entity' },
    ]);
    expect(auditFilterProblems({ action: 'edit' })[0]?.field).toBe('action');
    expect(auditFilterProblems({ from: '2026-02-31' })).toEqual([
      { field: 'from', problem: 'must be a date (YYYY-MM-DD)' },
    ]);
    expect(auditFilterProblems({ from: '2026-11-05', to: '2026-11-01' })).toEqual([
      { field: 'to', problem: 'must be on or after the From date' },
    ]);
    expect(localMidnight('yesterday')).toBeUndefined();
  });

  it('matches entries in hand by the same rule as the query', () => {
    const entry = {
      entityId: 'c_1',
      action: 'update',
      entityKind: 'contact',
      actorId: 'u',
      at: new Date(2026, 10, 2, 15).toISOString(),
    };
    expect(matchesAuditFilter(entry, { recordId: 'c_1', to: '2026-11-02' })).toBe(true);
    expect(matchesAuditFilter(entry, { from: '2026-11-03' })).toBe(false);
    expect(matchesAuditFilter(entry, { action: 'delete' })).toBe(false);
  });

  it('lists field changes with custom fields one key each, bookkeeping left out', () => {
    const rows = changeRows({
      customFields: [
        { tier: 'SMB', channel: 'email' },
        { tier: 'Enterprise', channel: 'email', score: 3 },
      ],
      updatedAt: ['a', 'b'],
      email: ['a@x.example', 'b@x.example'],
    });
    expect(rows).toEqual([
      { field: 'email', before: 'a@x.example', after: 'b@x.example' },
      { field: 'customFields.tier', before: 'SMB', after: 'Enterprise' },
      { field: 'customFields.score', before: null, after: 3 },
    ]);
    expect(changeRows(undefined)).toEqual([]);
    // An object on both sides (a role's permissions) comes out leaf by leaf; a new object whole.
    expect(
      changeRows({
        permissions: [{ contact: { read: 'own', delete: 'none' } }, { contact: { read: 'own', delete: 'own' } }],
        config: [null, { retries: 3 }],
      }),
    ).toEqual([
      { field: 'permissions.contact.delete', before: 'none', after: 'own' },
      { field: 'config', before: null, after: { retries: 3 } },
    ]);
  });

  it('reads a batch entry as its record changes', () => {
    const records = [{ id: 'a', kind: 'contact', action: 'insert', changes: {} }];
    expect(recordChangesOf({ action: 'batch', records })).toBe(records);
    expect(
      recordChangesOf({ action: 'update', entityId: 'x', entityKind: 'deal', changes: { name: ['a', 'b'] } }),
    ).toEqual([{ id: 'x', kind: 'deal', action: 'update', changes: { name: ['a', 'b'] } }]);
  });
});

describe('audit filter against the local database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('finds a record’s entries by id, action and creation range, newest first', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' } as never);
    t.tick(86_400_000);
    await t.repos.contact.update(contact.id, { jobTitle: 'Analyst' } as never);
    t.tick(86_400_000);
    await t.repos.contact.update(contact.id, { jobTitle: 'Engineer' } as never);
    await t.repos.company.create({ name: 'Analytical Engines' } as never);

    const trail = await t.repos.auditLog.list(auditListOptions({ recordId: contact.id }));
    expect(trail.map((e) => e.action)).toEqual(['update', 'update', 'insert']);
    expect(trail[0]?.changes).toMatchObject({ jobTitle: ['Analyst', 'Engineer'] });

    const updates = await t.repos.auditLog.list(auditListOptions({ action: 'update', entityKind: 'contact' }));
    expect(updates).toHaveLength(2);

    // The creation range runs on `newest`: only the middle day's entry.
    const created = Date.parse('2026-11-02T09:00:00.000Z');
    const day = await t.repos.auditLog.list({
      where: { entityId: contact.id },
      created: { from: new Date(created - 1000).toISOString(), before: new Date(created + 1000).toISOString() },
    });
    expect(day.map((e) => e.changes)).toEqual([{ jobTitle: [null, 'Analyst'] }]);
    expect(await t.repos.auditLog.count({ created: { from: new Date(created - 1000).toISOString() } })).toBe(3);
    const byActor = await t.repos.auditLog.list(auditListOptions({ actorId: 'someone-else' }));
    expect(byActor).toEqual([]);
  });
});
