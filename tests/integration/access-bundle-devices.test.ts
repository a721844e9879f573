import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gdprCommand } from '../../scripts/cli/gdpr.command';
import { startReplication } from '../../src-renderer/db/replication';
import { httpTransport, type SyncTransport } from '../../src-renderer/db/sync-transport';
import { bundleFor, deviceRecordsAbout, unsyncedIds } from '../../src-renderer/features/privacy';
import type { SubjectBundle } from '../../src-shared/privacy/subject-bundle';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { ValidationError } from '../../src-shared/schema/validation-error';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * The access bundle (GDPR Art. 15/20) when part of the person's data is not on the server yet
 * (issue 7): the administrator's laptop A holds Alice's contact, synced, and a note and a call it
 * wrote that the server has not received (their pushes held back). The bundle A makes, by the same
 * code as "Download data bundle" (src-renderer/features/privacy), holds the server's records AND
 * A's unsynced ones; B, a second device, does not invent them; the server's bundle and the CLI's
 * hold the audit entries with their values. Real Postgres, the real sync server, RxDB devices.
 */

const ADMIN = ORG_USERS.admin.id;
const CONTACT = 'c_a1';
const NEW_PHONE = '+44 7700 900417';
const COLLECTIONS: CollectionName[] = ['contacts', 'activities', 'settings', 'audit'];

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'crm-bundle-'));
beforeAll(async () => {
  server = await startTestServer('crm_bundle_devices', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
  vi.stubEnv('DATABASE_URL', server.pgUrl);
});

const devices: NodeDevice[] = [];
/** Opens the held pushes, so that stopping a replication does not wait on them. */
let release = () => {};
afterAll(async () => {
  vi.unstubAllEnvs();
  release();
  await closeDevices(devices);
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function device(deviceId: string): Promise<NodeDevice> {
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId: ADMIN, deviceId }),
    newId: () => `${deviceId}-${++seq}`,
  });
  const d: NodeDevice = { t };
  devices.push(d);
  return d;
}

/** The HTTP transport with every activities and audit push held until `release()`: online, not yet pushed. */
function heldBack(): SyncTransport {
  const inner = httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': ADMIN }) });
  const open = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...inner,
    async push(collection, body) {
      if (collection === 'activities' || collection === 'audit') await open;
      return inner.push(collection, body);
    },
  };
}

/** GET /privacy/subjects/…/export as the button does; the error body when refused. */
async function serverBundle(id: string): Promise<{ status: number; body: SubjectBundle & { error?: string } }> {
  const response = await fetch(`${server.url}/privacy/subjects/contact/${encodeURIComponent(id)}/export`, {
    headers: { 'x-user-id': ADMIN },
  });
  return { status: response.status, body: (await response.json()) as SubjectBundle & { error?: string } };
}

/** What "Download data bundle" builds on a device: the server's bundle (when it answers) with the device's part. */
async function deviceBundle(d: NodeDevice, id: string): Promise<SubjectBundle> {
  const records = await deviceRecordsAbout(d.t.db, 'contact', id);
  const fetched = d.sync ? await serverBundle(id) : undefined;
  const server = fetched?.status === 200 ? fetched.body : undefined;
  const unsynced = server ? await unsyncedIds(d.sync) : undefined;
  return bundleFor({
    kind: 'contact',
    id,
    device: records,
    ...(server ? { server } : {}),
    ...(unsynced ? { unsynced } : {}),
    ...(fetched && !server ? { note: `The server's part is missing (${fetched.body.error})` } : {}),
    userId: ADMIN,
    now: new Date('2026-11-01T10:00:00.000Z'),
  });
}

const ids = (bundle: SubjectBundle, entity: string) => (bundle.records[entity] ?? []).map((r) => String(r.id)).sort();

/** `npm run crm -- gdpr …` in this process, on the server's database (DATABASE_URL, set above); its stdout. */
async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await gdprCommand(args);
    return out.join('');
  } finally {
    spy.mockRestore();
  }
}

describe('the access bundle with data not yet on the server', () => {
  it('holds the server’s records and the device’s unsynced ones on A, and only the server’s on B', async () => {
    const a = await device('dev-a');
    const b = await device('dev-b');
    await syncDevice(server, a);
    // An edit that reaches the server: its audit entry carries the values.
    await a.t.repos.contact.update(CONTACT, { phone: NEW_PHONE });
    await syncDevice(server, a);

    // A stays online, but its activities and audit pushes do not get through yet.
    await offlineDevice(a);
    a.sync = startReplication(a.t.db, heldBack(), { batchSize: 100, retryTime: 200 });
    a.t.tick(60_000);
    const note = await a.t.repos.note.create({
      subjectType: 'contact',
      subjectId: CONTACT,
      body: 'Alice wants the renewal quote before Friday',
      noteType: 'call',
      pinned: false,
    });
    const call = await a.t.repos.communication.create({
      type: 'call',
      direction: 'inbound',
      status: 'completed',
      subjectType: 'contact',
      subjectId: CONTACT,
      contactId: CONTACT,
      occurredAt: '2026-11-01T09:01:00.000Z',
      outcome: 'Asked for the quote',
    } as never);
    const unsynced = await unsyncedIds(a.sync);
    expect(unsynced?.has(note.id)).toBe(true);
    expect(unsynced?.has(call.id)).toBe(true);
    const { rows: onServer } = await server.db.query('SELECT id FROM notes WHERE id = $1', [note.id]);
    expect(onServer).toEqual([]);

    const fromServer = await serverBundle(CONTACT);
    expect(fromServer.status).toBe(200);
    expect(ids(fromServer.body, 'note')).toEqual([]);
    // A's entry (authored on the device) and the server's own, both with the values.
    const edit = fromServer.body.audit.find((e) => e.entityId === CONTACT && e.deviceId === 'dev-a');
    expect(edit, JSON.stringify(fromServer.body.audit)).toMatchObject({
      actorId: ADMIN,
      source: 'local',
      changes: { phone: [null, NEW_PHONE] },
    });
    expect(fromServer.body.audit).toContainEqual(
      expect.objectContaining({ entityId: CONTACT, deviceId: 'server', changes: { phone: [null, NEW_PHONE] } }),
    );

    const onA = await deviceBundle(a, CONTACT);
    expect(onA.sources).toEqual(['server', 'device']);
    expect(ids(onA, 'contact')).toEqual([CONTACT]);
    expect(onA.records.contact?.[0]?.phone).toBe(NEW_PHONE);
    expect(ids(onA, 'note')).toEqual([note.id]);
    expect(onA.records.note?.[0]?.body).toBe('Alice wants the renewal quote before Friday');
    expect(ids(onA, 'communication')).toEqual([call.id]);
    // The server's audit entries, and A's own about the records it has not pushed.
    expect(onA.audit.map((e) => e.id)).toContain(edit?.id);
    expect(onA.audit.filter((e) => e.entityId === note.id).length).toBeGreaterThan(0);

    await syncDevice(server, b);
    const onB = await deviceBundle(b, CONTACT);
    expect(ids(onB, 'contact')).toEqual([CONTACT]);
    expect(onB.records.contact?.[0]?.phone).toBe(NEW_PHONE);
    expect(ids(onB, 'note')).toEqual([]);
    expect(ids(onB, 'communication')).toEqual([]);
    expect(onB.audit.some((e) => e.entityId === note.id || e.entityId === call.id)).toBe(false);
    // Offline, B's bundle is its own alone, says so, and still holds nothing of A's.
    await offlineDevice(b);
    const offlineB = await deviceBundle(b, CONTACT);
    expect(offlineB.sources).toEqual(['device']);
    expect(offlineB.note).toMatch(/without the server/);
    expect(ids(offlineB, 'note')).toEqual([]);

    // The CLI's bundle (the server's) holds the audit entry with its values too, in JSON and CSV.
    const out = join(dir, 'before-push');
    expect(await cli('export', 'contact', CONTACT, '--out', out)).toMatch(/^gdpr export: contact c_a1 → /);
    const written = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as SubjectBundle;
    expect(written.audit.map((e) => e.id)).toContain(edit?.id);
    expect(readFileSync(join(out, 'audit.csv'), 'utf8')).toContain(NEW_PHONE);
    expect(ids(written, 'note')).toEqual([]);

    // Once A's pushes go through, the server's bundle holds them: they were A's real data.
    release();
    await a.sync.awaitInSync();
    const later = await serverBundle(CONTACT);
    expect(ids(later.body, 'note')).toEqual([note.id]);
    expect(ids(later.body, 'communication')).toEqual([call.id]);
  });

  it('names an unknown person: the server, the CLI and a device refuse instead of an empty bundle', async () => {
    expect(await serverBundle('c_nobody')).toMatchObject({
      status: 404,
      body: { error: 'id: no contact c_nobody on the server' },
    });
    await expect(cli('export', 'contact', 'c_nobody', '--out', join(dir, 'nobody'))).rejects.toThrow(
      'id: no contact c_nobody on the server',
    );
    const d = await device('dev-c');
    await syncDevice(server, d);
    const online = await deviceBundle(d, 'c_nobody').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(online).toBeInstanceOf(ValidationError);
    expect(online).toMatchObject({ problems: [{ field: 'id', problem: expect.stringContaining('c_nobody') }] });
    await offlineDevice(d);
    await expect(deviceBundle(d, 'c_nobody')).rejects.toThrow(/c_nobody/);
  });
});
