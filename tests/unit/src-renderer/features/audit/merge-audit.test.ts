import { describe, expect, it } from 'vitest';
import { mergeAudit, originText, recordSource } from '../../../../../src-renderer/features/audit/merge-audit';
import {
  type AuditDoc,
  fetchServerAudit,
  ServerAuditError,
  serverAuditParams,
} from '../../../../../src-renderer/features/audit/server-audit.queries';

const entry = (id: string, minute: number): AuditDoc => ({
  id,
  at: `2026-04-02T10:${String(minute).padStart(2, '0')}:00.000Z`,
  action: 'update',
});

const view = (merged: ReturnType<typeof mergeAudit>) => merged.entries.map((m) => `${m.entry.id}:${m.origin}`);

describe('mergeAudit', () => {
  it('dedupes by id, newest first, and says where each entry comes from', () => {
    const local = [entry('mine_pushed', 30), entry('mine_waiting', 40), entry('mine_old', 5)];
    const server = [entry('theirs', 35), entry('mine_pushed', 30), entry('server_own', 30)];
    const merged = mergeAudit(
      { entries: local, complete: true },
      { entries: server, complete: true },
      new Set(['mine_waiting']),
    );
    expect(view(merged)).toEqual([
      'mine_waiting:unsynced',
      'theirs:server',
      // Same time: by id, descending, as the server orders them.
      'server_own:server',
      'mine_pushed:synced',
      'mine_old:device',
    ]);
    expect(merged.hasMore).toBe(false);
  });

  it('keeps the local copy of an entry both hold (a batch entry whole, not narrowed)', () => {
    const whole = { ...entry('batch', 10), action: 'batch', records: [{ id: 'a' }, { id: 'b' }] };
    const narrowed = { ...whole, records: [{ id: 'a' }] };
    const merged = mergeAudit({ entries: [whole], complete: true }, { entries: [narrowed], complete: true }, new Set());
    expect(merged.entries).toEqual([{ entry: whole, origin: 'synced' }]);
  });

  it('stops at the oldest loaded entry of a source with more pages, so nothing is shown out of order', () => {
    const local = [entry('l1', 50), entry('l2', 40)];
    const server = [entry('s1', 45), entry('s2', 20), entry('s3', 10)];
    const merged = mergeAudit({ entries: local, complete: false }, { entries: server, complete: true }, new Set());
    // Local entries older than l2 may exist: s2 and s3 wait until they are loaded.
    expect(view(merged)).toEqual(['l1:device', 's1:server', 'l2:device']);
    expect(merged.hasMore).toBe(true);
    const both = mergeAudit(
      { entries: local, complete: false },
      { entries: server.slice(0, 1), complete: false },
      new Set(),
    );
    expect(view(both)).toEqual(['l1:device', 's1:server']);
  });

  it('without the server (offline, signed out): the device’s entries, pending ones marked', () => {
    const merged = mergeAudit({ entries: [entry('a', 2), entry('b', 1)], complete: true }, undefined, new Set(['a']));
    expect(view(merged)).toEqual(['a:unsynced', 'b:device']);
    expect(merged.hasMore).toBe(false);
    expect(mergeAudit({ entries: [], complete: true }, undefined, new Set()).entries).toEqual([]);
  });
});

describe('originText', () => {
  it('tells the server’s own entries from another device’s', () => {
    expect(originText('server', { id: 'a', source: 'server', deviceId: 'server' }).label).toBe('Server');
    const other = originText('server', { id: 'b', source: 'local', deviceId: 'laptop-7' });
    expect(other.label).toBe('Another device');
    expect(other.title).toContain('laptop-7');
    expect(originText('unsynced', { id: 'c' }).label).toBe('On this device only');
  });
});

describe('server audit requests', () => {
  it('send the filter as the server’s parameters (`to` inclusive, a cursor replacing it)', () => {
    const params = serverAuditParams(
      {
        recordId: ' deal_1 ',
        entityKind: 'deal',
        action: 'update',
        actorId: 'u_1',
        from: '2026-04-01',
        to: '2026-04-02',
      },
      undefined,
      20,
    );
    expect(params.get('entityId')).toBe('deal_1');
    expect(params.get('entityKind')).toBe('deal');
    expect(params.get('action')).toBe('update');
    expect(params.get('actorId')).toBe('u_1');
    expect(params.get('from')).toBe(new Date(2026, 3, 1).toISOString());
    expect(params.get('before')).toBe(new Date(2026, 3, 3).toISOString());
    expect(params.get('limit')).toBe('20');
    const next = serverAuditParams({ to: '2026-04-02' }, { before: '2026-04-02T08:00:00.000Z', beforeId: 'x' });
    expect([next.get('before'), next.get('beforeId')]).toEqual(['2026-04-02T08:00:00.000Z', 'x']);
    expect([...serverAuditParams({}).keys()]).toEqual(['limit']);
  });

  it('fetch a page without the wire’s _deleted, and turn a refusal into an error naming the parameter', async () => {
    const calls: string[] = [];
    const ok: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ entries: [{ ...entry('e1', 1), _deleted: false }], next: null }));
    };
    const page = await fetchServerAudit(ok, 'http://server/', { recordId: 'd1' });
    expect(page).toEqual({ entries: [entry('e1', 1)], next: null });
    expect(calls).toEqual(['http://server/audit?entityId=d1&limit=50']);

    const refused: typeof fetch = async () =>
      new Response(JSON.stringify({ error: 'limit: must be a whole number from 1 to 500', field: 'limit' }), {
        status: 400,
      });
    const error = await fetchServerAudit(refused, 'http://server', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerAuditError);
    expect(error).toMatchObject({
      status: 400,
      field: 'limit',
      message: 'limit: must be a whole number from 1 to 500',
    });

    const garbled: typeof fetch = async () => new Response(JSON.stringify({ entries: 'no' }));
    await expect(fetchServerAudit(garbled, 'http://server', {})).rejects.toThrow('not an audit page');
  });
});

describe('recordSource', () => {
  const batch = (id: string, minute: number, ids: string[]): AuditDoc => ({
    ...entry(id, minute),
    action: 'batch',
    entityId: ids[0],
    entityKind: 'contact',
    recordCount: ids.length,
    records: ids.map((r) => ({ id: r, kind: 'contact', action: 'insert', changes: {} })),
  });
  const ids = (source: ReturnType<typeof recordSource>) => source.entries.map((e) => e.id);

  it('adds the batch entries that list the record further down, each narrowed to it, newest first', () => {
    const own = entry('edit', 30);
    const first = batch('import1', 10, ['c1', 'c2']);
    const listed = [batch('import2', 20, ['c7', 'c1', 'c9'])];
    const source = recordSource({ entries: [own, first], complete: true }, listed, 'c1');
    expect(ids(source)).toEqual(['edit', 'import2', 'import1']);
    // A batch found by its first record is narrowed too: no other record in this record's trail.
    for (const e of source.entries.slice(1)) {
      expect(e).toMatchObject({ entityId: 'c1', recordCount: 1 });
      expect((e.records as { id: string }[]).map((r) => r.id)).toEqual(['c1']);
    }
    expect(own).toEqual(entry('edit', 30));
  });

  it('holds back batch entries older than an incomplete page until older pages load', () => {
    const page = { entries: [entry('edit2', 40), entry('edit1', 30)], complete: false };
    const source = recordSource(page, [batch('newer', 35, ['x', 'c1']), batch('older', 5, ['c1'])], 'c1');
    expect(ids(source)).toEqual(['edit2', 'newer', 'edit1']);
    expect(source.complete).toBe(false);
    const all = recordSource(
      { ...page, complete: true },
      [batch('newer', 35, ['x', 'c1']), batch('older', 5, ['c1'])],
      'c1',
    );
    expect(ids(all)).toEqual(['edit2', 'newer', 'edit1', 'older']);
  });

  it('lists an entry found both ways once', () => {
    const both = batch('import', 10, ['c1', 'c2']);
    expect(ids(recordSource({ entries: [both], complete: true }, [both], 'c1'))).toEqual(['import']);
  });
});
