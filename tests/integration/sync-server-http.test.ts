import { describe, expect, it, onTestFinished } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import { MAX_PUSH_ROWS } from '../../src-shared/sync/protocol';
import { BODY_LIMIT, createApp } from '../../sync-server/src/app';
import { ChangeFeed } from '../../sync-server/src/sync/change-feed';
import { BACKENDS, countRows, post, pullPage, pushRows, sampleDoc, startServer } from './sync-server-fixtures';

const [postgres] = BACKENDS;
if (!postgres) throw new Error('no Postgres backend');

/** Reads a Server-Sent Events stream; `next(match)` resolves with the first frame matching. */
async function openStream(url: string) {
  const abort = new AbortController();
  onTestFinished(() => abort.abort());
  const response = await fetch(url, { signal: abort.signal });
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('no body');
  let buffer = '';
  // One read in flight at a time, kept across calls: a timed-out wait must not lose its chunk.
  let reading: ReturnType<typeof reader.read> | undefined;
  return {
    response,
    async next(match: RegExp, timeoutMs = 5000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frames = buffer.split('\n\n');
        const found = frames.slice(0, -1).findIndex((f) => match.test(f));
        if (found >= 0) {
          buffer = frames.slice(found + 1).join('\n\n');
          return frames[found] ?? '';
        }
        buffer = frames.at(-1) ?? '';
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no frame matching ${match} within ${timeoutMs} ms`);
        reading ??= reader.read();
        const chunk = await Promise.race([reading, new Promise<null>((resolve) => setTimeout(resolve, left, null))]);
        if (chunk === null) continue;
        reading = undefined;
        if (chunk.done) throw new Error('stream ended');
        buffer += chunk.value;
      }
    },
  };
}

describe('sync server HTTP edges (Postgres)', () => {
  it('answers health and readiness', async () => {
    const db = await postgres.openEmpty();
    const unmigrated = createApp({ db });
    onTestFinished(() => unmigrated.close());
    expect((await unmigrated.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await unmigrated.inject('/ready')).statusCode).toBe(503);
    const app = await startServer(db);
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, pending: [] });
  });

  it('refuses malformed requests with 4xx and { error, field } and writes nothing', async () => {
    const db = await postgres.open();
    const app = await startServer(db);
    const doc = sampleDoc(getEntity('contact'), 'c1');
    const cases: [string, unknown, number, string | undefined][] = [
      ['/sync/nope/push', { rows: [{ newDocumentState: doc }] }, 404, 'collection'],
      ['/sync/contacts/push', '{"rows": [', 400, undefined],
      ['/sync/contacts/push', '', 400, undefined],
      ['/sync/contacts/push', { rows: 'all of them' }, 400, 'rows'],
      ['/sync/contacts/push', { rows: [{ newDocumentState: { ...doc, id: 7 } }] }, 400, 'rows.0.newDocumentState.id'],
      ['/sync/contacts/push', { rows: [{ newDocumentState: doc, extra: true }] }, 400, 'rows.0.extra'],
      ['/sync/contacts/push', { rows: Array(MAX_PUSH_ROWS + 1).fill({ newDocumentState: doc }) }, 400, 'rows'],
      ['/sync/contacts/pull', { checkpoint: null, limit: 0 }, 400, 'limit'],
      ['/sync/contacts/pull', { checkpoint: { epoch: 'e', txid: '-1', id: '' }, limit: 5 }, 400, 'checkpoint.txid'],
      ['/sync/contacts/push', `{"rows": [], "__proto__": {"polluted": true}}`, 400, undefined],
    ];
    for (const [url, payload, status, field] of cases) {
      const reply = await post<{ error: string; field?: string }>(app, url, payload);
      expect([url, reply.status, reply.body.field], JSON.stringify(reply.body)).toEqual([url, status, field]);
      expect(typeof reply.body.error).toBe('string');
    }
    const notJson = await app.inject({ method: 'POST', url: '/sync/contacts/push', payload: 'rows=1' });
    expect(notJson.statusCode).toBe(415);
    const badUser = await pushRows(app, 'contacts', [{ newDocumentState: doc }], 'x'.repeat(41));
    expect([badUser.status, (badUser.body as unknown as { field: string }).field]).toEqual([400, 'x-user-id']);
    expect(await countRows(db, 'contacts')).toBe(0);
  });

  it('refuses a body over the limit with 413', async () => {
    const db = await postgres.open();
    const app = await startServer(db);
    const doc = { ...sampleDoc(getEntity('contact'), 'c1'), description: 'x'.repeat(BODY_LIMIT) };
    const reply = await post<{ error: string }>(app, '/sync/contacts/push', { rows: [{ newDocumentState: doc }] });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toMatch(/too large/);
    expect(await countRows(db, 'contacts')).toBe(0);
  });

  it('wakes an open stream after a push commits, once per collection', async () => {
    const db = await postgres.open();
    const app = await startServer(db, { pingIntervalMs: 100 });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(`${address}/sync/stream`);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.next(/^: connected/);
    await stream.next(/^: ping/);
    const task = getEntity('task');
    await pushRows(app, 'tasks', [{ newDocumentState: sampleDoc(task, 't1') }]);
    expect(await stream.next(/^data:/)).toBe('data: {"collection":"tasks"}');
    // A replay writes nothing, so it wakes nobody; the next real write does.
    await pushRows(app, 'tasks', [{ newDocumentState: sampleDoc(task, 't1') }]);
    await pushRows(app, 'contacts', [{ newDocumentState: sampleDoc(getEntity('contact'), 'c1') }]);
    expect(await stream.next(/^data:/)).toBe('data: {"collection":"contacts"}');
  });

  it('announces a commit only once pulls can see it (an older transaction still running holds it back)', async () => {
    const test = await postgres.open();
    const app = await startServer(test, { pingIntervalMs: 60_000 });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(`${address}/sync/stream`);
    await stream.next(/^: connected/);
    const contact = getEntity('contact');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A writer that took its txid first and commits last.
    const older = test.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()');
      await held;
    });
    await pushRows(app, 'contacts', [{ newDocumentState: sampleDoc(contact, 'c1') }]);
    await expect(stream.next(/^data:/, 300)).rejects.toThrow(/within 300 ms/);
    const pulled = await pullPage(app, 'contacts', null, 10);
    expect(pulled.body.documents).toEqual([]);
    release();
    await older;
    expect(await stream.next(/^data:/)).toBe('data: {"collection":"contacts"}');
    expect((await pullPage(app, 'contacts', null, 10)).body.documents.map((d) => d.id)).toEqual(['c1']);
  });
});

describe('change feed', () => {
  it('coalesces the notifications of one tick into one event per collection', async () => {
    const feed = new ChangeFeed();
    const events: string[] = [];
    const unsubscribe = feed.subscribe((e) => events.push(e.collection));
    for (let i = 0; i < 100; i++) feed.notify(i % 2 ? 'tasks' : 'contacts');
    expect(events).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.sort()).toEqual(['contacts', 'tasks']);
    unsubscribe();
    feed.notify('tasks');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toHaveLength(2);
  });
});
