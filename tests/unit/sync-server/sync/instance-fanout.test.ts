import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CollectionName } from '../../../../src-shared/schema/define-entity';
import { CHANGES_CHANNEL, type ChangesPayload, InstanceFanout } from '../../../../sync-server/src/sync/instance-fanout';

/** A stand-in for the LISTEN connection: `deliver` plays a notification, `drop` a terminated backend. */
class FakeClient extends EventEmitter {
  ended = false;
  queries: string[] = [];
  constructor(private readonly failConnect = false) {
    super();
  }
  async connect() {
    if (this.failConnect) throw new Error('connection refused');
  }
  async query(sql: string) {
    this.queries.push(sql);
    return { rows: [] };
  }
  async end() {
    this.ended = true;
  }
  deliver(payload: string, channel = CHANGES_CHANNEL) {
    this.emit('notification', { channel, payload, processId: 1 });
  }
  drop() {
    this.emit('error', new Error('terminating connection due to administrator command'));
    this.emit('end');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(options: { windowMs?: number; failFirst?: number; failNotify?: number } = {}) {
  const clients: FakeClient[] = [];
  const sent: ChangesPayload[] = [];
  const woken: (readonly CollectionName[])[] = [];
  let failFirst = options.failFirst ?? 0;
  let failNotify = options.failNotify ?? 0;
  const fanout = new InstanceFanout({
    db: {
      async query<T>(sql: string, params: readonly unknown[] = []) {
        expect(sql).toBe('SELECT pg_notify($1, $2)');
        if (failNotify-- > 0) throw new Error('pool exhausted');
        sent.push(JSON.parse(String(params[1])) as ChangesPayload);
        return { rows: [] as T[] };
      },
    },
    newClient: () => {
      const client = new FakeClient(failFirst-- > 0);
      clients.push(client);
      return client as unknown as pg.Client;
    },
    wake: (collections) => woken.push(collections),
    collections: ['contacts', 'tasks'],
    windowMs: options.windowMs ?? 30,
    minBackoffMs: 5,
    maxBackoffMs: 20,
  });
  onTestFinished(() => fanout.close());
  return { fanout, clients, sent, woken };
}

describe('InstanceFanout', () => {
  it('sends one NOTIFY per window, the collections of the window together', async () => {
    const { fanout, sent } = setup({ windowMs: 40 });
    fanout.publish('contacts');
    fanout.publish('tasks');
    fanout.publish('contacts');
    await sleep(5);
    expect(sent.map((p) => p.collections)).toEqual([['contacts', 'tasks']]);
    // Within the window: held back and sent together at its end.
    for (let i = 0; i < 10; i++) fanout.publish(i % 2 ? 'deals' : 'contacts');
    await sleep(5);
    expect(sent).toHaveLength(1);
    await sleep(60);
    expect(sent.map((p) => p.collections)).toEqual([
      ['contacts', 'tasks'],
      ['contacts', 'deals'],
    ]);
    expect(new Set(sent.map((p) => p.from))).toEqual(new Set([fanout.instanceId]));
  });

  it('keeps what a failed NOTIFY carried for the next try', async () => {
    const { fanout, sent } = setup({ windowMs: 5, failNotify: 1 });
    fanout.publish('contacts');
    await expect.poll(() => sent.map((p) => p.collections), { timeout: 1000 }).toEqual([['contacts']]);
  });

  it('wakes its streams for the collections other instances announce, not its own or garbage', async () => {
    const { fanout, clients, woken } = setup();
    await fanout.start();
    const client = clients[0];
    expect(client?.queries).toEqual([`LISTEN ${CHANGES_CHANNEL}`]);
    client?.deliver(JSON.stringify({ from: fanout.instanceId, collections: ['contacts'] }));
    client?.deliver('not json');
    client?.deliver(JSON.stringify({ from: 'other', collections: 'contacts' }));
    client?.deliver(JSON.stringify({ from: 'other', collections: ['contacts'] }), 'another_channel');
    expect(woken).toEqual([]);
    client?.deliver(JSON.stringify({ from: 'other', collections: ['tasks', 'nope', 7, 'contacts'] }));
    expect(woken).toEqual([['tasks', 'contacts']]);
  });

  it('connects again with backoff when the LISTEN connection drops, then wakes every stream once', async () => {
    const { fanout, clients, woken } = setup({});
    await fanout.start();
    expect(fanout.listening).toBe(true);
    expect(woken).toEqual([]);
    clients[0]?.drop();
    expect(fanout.listening).toBe(false);
    expect(clients[0]?.ended).toBe(true);
    await expect.poll(() => fanout.listening, { timeout: 1000 }).toBe(true);
    expect(clients).toHaveLength(2);
    expect(woken).toEqual([['contacts', 'tasks']]);
    expect(fanout.stats).toMatchObject({ connects: 2, wakeAlls: 1 });
  });

  it('starts without the database and listens once it is reachable', async () => {
    const { fanout, clients, woken } = setup({ failFirst: 2 });
    await fanout.start();
    expect(fanout.listening).toBe(false);
    await expect.poll(() => fanout.listening, { timeout: 1000 }).toBe(true);
    expect(clients).toHaveLength(3);
    // Streams opened meanwhile may have missed another instance's changes.
    expect(woken).toEqual([['contacts', 'tasks']]);
  });

  it('closes: sends what is queued, stops listening and does not reconnect', async () => {
    const { fanout, clients, sent } = setup({ windowMs: 1000 });
    await fanout.start();
    fanout.publish('contacts');
    await sleep(5);
    fanout.publish('tasks');
    await fanout.close();
    expect(sent.map((p) => p.collections)).toEqual([['contacts'], ['tasks']]);
    expect(clients[0]?.ended).toBe(true);
    await sleep(30);
    expect(clients).toHaveLength(1);
  });
});
