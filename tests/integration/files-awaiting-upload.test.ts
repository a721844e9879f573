import { createHash } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ATTACHMENT_STATUS, whereIs } from '../../src-renderer/files/attachment-status';
import { FileStore } from '../../src-renderer/files/file-store';
import { FileNotUploadedError, FileSync, FileUnavailableError } from '../../src-renderer/files/file-sync';
import { doc, ORG_USERS, type OrgUser, seed, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * A device asks for an attachment whose bytes the device that attached it has not uploaded yet
 * (the server answers 404 'not uploaded yet'): it says it is waiting for the other device, asks
 * again by itself with a growing wait, and has the file once the other device uploads it.
 */

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PHOTO = Buffer.from('\x89PNG the site photo from the field day');

// Real Postgres only: the file routes' behaviour on PGlite is covered by files.test.ts.
describe.each(BACKENDS.filter((b) => b.name === 'Postgres'))('an attachment not uploaded yet, on $name', (backend) => {
  it('waits for the other device instead of failing, retries later and then has the file', async () => {
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
      const store = new FileStore(`${name}-${Math.random()}`, {
        indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange },
      });
      onTestFinished(() => store.delete());
      return store;
    };
    let time = 1_000_000;
    const now = () => time;

    // The rep attached the photo offline: the record reached the server, the bytes did not.
    const repStore = device('rep');
    const ref = await repStore.add(new File([PHOTO], 'site.png', { type: 'image/png' }));
    const rep = { ...ORG_USERS.repA1 };
    const by = { ownerId: rep.id, createdBy: rep.id, updatedBy: rep.id };
    await seed(db, 'activities', [
      doc('communication', 'com_1', { ...by, type: 'meeting', subjectType: 'contact', subjectId: 'c_a1' }),
      doc('communicationAttachment', 'att_1', {
        ...by,
        communicationId: 'com_1',
        fileName: 'site.png',
        mimeType: 'image/png',
        sizeBytes: PHOTO.length,
        sha256: ref.sha256,
        storageKey: `sha256/${ref.sha256}`,
      }),
    ]);

    const managerStore = device('manager');
    const manager = new FileSync(managerStore, () => ({ baseUrl, fetch: asUser('mgrA') }), { now });
    const changes: string[] = [];
    const subscription = manager.changes$.subscribe((s) => changes.push(s));
    onTestFinished(() => subscription.unsubscribe());
    const where = async () => whereIs(await managerStore.get(ref.sha256), true, manager.isAwaitingUpload(ref.sha256));

    expect(await where()).toBe('server');
    const error = await manager.open(ref.sha256, 'image/png').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotUploadedError);
    expect((error as FileNotUploadedError).retryable).toBe(true);
    expect(changes).toEqual([ref.sha256]);
    expect(await where()).toBe('awaiting-other');
    expect(ATTACHMENT_STATUS[await where()].text).toBe('Waiting for the other device to upload');

    // Not due yet; then due, but the rep has still not uploaded: the wait doubles.
    expect(await manager.retryAwaiting()).toEqual([]);
    time += 2000;
    expect(await manager.retryAwaiting()).toEqual([]);
    expect(await where()).toBe('awaiting-other');
    time += 2000;
    expect(await manager.retryAwaiting()).toEqual([]);

    const repSync = new FileSync(repStore, () => ({ baseUrl, fetch: asUser('repA1') }), { now });
    expect((await repSync.uploadPending()).uploaded).toEqual([ref.sha256]);
    time += 2000;
    expect(await manager.retryAwaiting()).toEqual([ref.sha256]);
    expect(Buffer.from((await managerStore.get(ref.sha256))?.bytes ?? new ArrayBuffer(0)).equals(PHOTO)).toBe(true);
    expect(manager.isAwaitingUpload(ref.sha256)).toBe(false);
    expect(await where()).toBe('local');
    expect(changes.at(-1)).toBe(ref.sha256);
  });

  it('a refusal is an error, not a wait: someone outside the attachment’s scope', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const hash = sha(PHOTO);
    const store = new FileStore(`outsider-${Math.random()}`, {
      indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange },
    });
    onTestFinished(() => store.delete());
    const outsider = new FileSync(store, () => ({
      baseUrl,
      fetch: (input, init) => fetch(input, { ...init, headers: { 'x-user-id': ORG_USERS.repB.id } }),
    }));
    const error = await outsider.open(hash, 'image/png').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileUnavailableError);
    expect(error).not.toBeInstanceOf(FileNotUploadedError);
    expect(outsider.isAwaitingUpload(hash)).toBe(false);
  });
});

describe('whereIs', () => {
  it.each([
    [undefined, true, false, 'server'],
    [undefined, true, true, 'awaiting-other'],
    [{ uploaded: 0 }, true, false, 'waiting-upload'],
    [{ uploaded: 0 }, false, false, 'local'],
    [{ uploaded: 1 }, true, true, 'local'],
  ] as const)('%o signed in %s awaiting %s → %s', (stored, signedIn, awaiting, expected) => {
    expect(whereIs(stored, signedIn, awaiting)).toBe(expected);
  });
});
