import { createHash } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FileStore } from '../../src-renderer/files/file-store';
import { FileSync } from '../../src-renderer/files/file-sync';
import { MAX_FILE_BYTES } from '../../sync-server/src/files/files.routes';
import { doc, ORG_USERS, type OrgUser, seed, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * File bytes through PUT/GET /files/:sha256 (sync-server/src/files) on real Postgres and PGlite:
 * who may fetch a file follows the attachment records' scope (their parent communication's owner).
 * Organisation: team A (manager u_mgr_a, reps u_rep_a1, u_rep_a2), team B (u_mgr_b, u_rep_b).
 */

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const PROPOSAL = Buffer.from('%PDF-1.7 the proposal for Navy Labs, page 1 of 12');

function put(app: FastifyInstance, user: OrgUser, hash: string, body: Buffer, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'PUT',
    url: `/files/${hash}`,
    headers: { 'x-user-id': ORG_USERS[user].id, 'content-type': 'application/pdf', ...headers },
    payload: body,
  });
}

function get(app: FastifyInstance, user: OrgUser, hash: string) {
  return app.inject({ method: 'GET', url: `/files/${hash}`, headers: { 'x-user-id': ORG_USERS[user].id } });
}

/** A call logged by rep A1 on their contact, with the proposal attached (as their device pushes it). */
async function seedAttachment(db: Parameters<typeof seed>[0], hash = sha(PROPOSAL)) {
  const rep = ORG_USERS.repA1.id;
  const by = { ownerId: rep, createdBy: rep, updatedBy: rep };
  await seed(db, 'activities', [
    doc('communication', 'com_a1', {
      ...by,
      type: 'call',
      subjectType: 'contact',
      subjectId: 'c_a1',
      contactId: 'c_a1',
    }),
    doc('communicationAttachment', 'att_a1', {
      ...by,
      communicationId: 'com_a1',
      fileName: 'proposal.pdf',
      mimeType: 'application/pdf',
      sizeBytes: PROPOSAL.length,
      sha256: hash,
      storageKey: `sha256/${hash}`,
    }),
  ]);
}

describe.each(BACKENDS)('files on $name', (backend) => {
  it('stores an upload once and serves it to the uploader and their manager', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seedAttachment(db);
    const hash = sha(PROPOSAL);
    const first = await put(app, 'repA1', hash, PROPOSAL);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ sha256: hash, sizeBytes: PROPOSAL.length });
    // Already there: kept once, and answered as the first upload was, so that uploading bytes never
    // tells whether someone else (another team) uploaded them before.
    const again = await put(app, 'repA2', hash, PROPOSAL);
    expect([again.statusCode, again.json()]).toEqual([first.statusCode, first.json()]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM file_blobs');
    expect(rows[0]?.n).toBe(1);

    for (const user of ['repA1', 'mgrA', 'admin'] as const) {
      const reply = await get(app, user, hash);
      expect(reply.statusCode, user).toBe(200);
      expect(reply.headers['content-type']).toBe('application/pdf');
      expect(reply.rawPayload.equals(PROPOSAL)).toBe(true);
    }
  });

  it('refuses the file to users outside the attachment’s scope, without saying whether it exists', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seedAttachment(db);
    const hash = sha(PROPOSAL);
    await put(app, 'repA1', hash, PROPOSAL);
    for (const user of ['repB', 'mgrB', 'repA2'] as const) {
      const reply = await get(app, user, hash);
      expect(reply.statusCode, user).toBe(404);
      expect(reply.json()).toEqual({ error: `no attachment you may read refers to file ${hash}`, field: 'sha256' });
    }
    // Knowing the hash of uploaded bytes grants nothing either: no record of theirs names it.
    const other = Buffer.from('team B pricing sheet');
    expect((await put(app, 'repB', sha(other), other)).statusCode).toBe(201);
    expect((await get(app, 'repA1', sha(other))).statusCode).toBe(404);
    // A deleted attachment no longer opens the file.
    await db.query(`UPDATE communication_attachments SET is_deleted = true WHERE id = 'att_a1'`);
    expect((await get(app, 'repA1', hash)).statusCode).toBe(404);
  });

  it('refuses uploads from a role that may not attach files', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seed(db, 'settings', [
      doc('userRole', 'role_reader', { name: 'Reader', permissions: { '*': { read: 'all' } } }),
    ]);
    await seed(db, 'users', [
      doc('user', 'u_reader', { email: 'reader@example.com', roleId: 'role_reader', ownerId: 'u_reader' }),
    ]);
    const reply = await app.inject({
      method: 'PUT',
      url: `/files/${sha(PROPOSAL)}`,
      headers: { 'x-user-id': 'u_reader', 'content-type': 'application/pdf' },
      payload: PROPOSAL,
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json()).toEqual({ error: 'your role may not attach files' });
  });

  it('says when a readable attachment’s bytes have not been uploaded yet', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seedAttachment(db);
    const reply = await get(app, 'mgrA', sha(PROPOSAL));
    expect(reply.statusCode).toBe(404);
    expect(reply.json().error).toContain('has not been uploaded yet');
  });

  it('refuses bytes that do not hash to the URL, a malformed hash and an oversized file, with reasons', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const hash = sha(PROPOSAL);
    const tampered = await put(app, 'repA1', hash, Buffer.from('something else'));
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json()).toEqual({
      error: `the body's SHA-256 is ${sha('something else')}, not the ${hash} the URL names`,
      field: 'sha256',
    });
    const malformed = await put(app, 'repA1', 'ABC', PROPOSAL);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('sha256');
    expect((await get(app, 'repA1', 'not-a-hash')).statusCode).toBe(400);

    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 7);
    const oversized = await put(app, 'repA1', sha(big), big);
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toEqual({
      error: 'the file is 26,214,401 bytes; files can be at most 25 MB (26,214,400 bytes)',
      field: 'content-length',
    });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM file_blobs');
    expect(rows[0]?.n).toBe(0);
  });

  it('a device’s upload queue uploads over HTTP and another user’s device downloads and keeps the file', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const asUser =
      (user: OrgUser): typeof fetch =>
      (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('x-user-id', ORG_USERS[user].id);
        return fetch(input, { ...init, headers });
      };
    const device = (name: string) => {
      const store = new FileStore(name, { indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } });
      onTestFinished(() => store.delete());
      return store;
    };
    const repStore = device('rep-files');
    const ref = await repStore.add(new File([PROPOSAL], 'proposal.pdf', { type: 'application/pdf' }));
    await seedAttachment(db, ref.sha256);
    const rep = new FileSync(repStore, () => ({ baseUrl, fetch: asUser('repA1') }));
    expect(await rep.uploadPending()).toEqual({ uploaded: [ref.sha256], failed: [] });

    const managerStore = device('manager-files');
    const manager = new FileSync(managerStore, () => ({ baseUrl, fetch: asUser('mgrA') }));
    const opened = await manager.open(ref.sha256, 'application/pdf');
    expect(Buffer.from(opened.bytes).equals(PROPOSAL)).toBe(true);
    expect(await managerStore.get(ref.sha256)).toMatchObject({ uploaded: 1 });

    const outsider = new FileSync(device('outsider-files'), () => ({ baseUrl, fetch: asUser('repB') }));
    await expect(outsider.open(ref.sha256, 'application/pdf')).rejects.toThrow(
      `The server did not send the file (404: no attachment you may read refers to file ${ref.sha256}).`,
    );
  });
});
