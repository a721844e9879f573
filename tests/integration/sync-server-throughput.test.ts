import { describe, expect, it } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import { BACKENDS, caughtUp, fullDoc, pullPage, pushRows, startServer } from './sync-server-fixtures';

/**
 * Throughput of the sync endpoints over in-process HTTP (fastify inject), printed for the record.
 * Floors are an order of magnitude under what this machine measures, so they only catch collapses.
 */
const ROWS = 10_000;
const PUSH_BATCH = 500;
const PULL_LIMIT = 1000;

describe.each(BACKENDS)('sync throughput on $name', (backend) => {
  it(`pushes and pulls ${ROWS} contacts`, async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const contact = getEntity('contact');
    const template = fullDoc(contact, 'x');
    const docs = Array.from({ length: ROWS }, (_, i) => ({ ...template, id: `ct_${String(i).padStart(6, '0')}` }));

    let started = performance.now();
    for (let i = 0; i < ROWS; i += PUSH_BATCH) {
      const rows = docs.slice(i, i + PUSH_BATCH).map((d) => ({ newDocumentState: d }));
      const reply = await pushRows(app, 'contacts', rows);
      expect(reply.body).toEqual({ conflicts: [], rejected: [] });
    }
    const pushSeconds = (performance.now() - started) / 1000;
    await caughtUp(db);

    started = performance.now();
    let pulled = 0;
    let checkpoint: SyncCheckpoint | null = null;
    for (;;) {
      const reply = await pullPage(app, 'contacts', checkpoint, PULL_LIMIT);
      if (reply.body.documents.length === 0) break;
      pulled += reply.body.documents.length;
      checkpoint = reply.body.checkpoint;
    }
    const pullSeconds = (performance.now() - started) / 1000;

    const bytes = JSON.stringify(template).length;
    console.log(
      JSON.stringify({
        backend: backend.name,
        rows: ROWS,
        docBytes: bytes,
        pushRowsPerSecond: Math.round(ROWS / pushSeconds),
        pushBatch: PUSH_BATCH,
        pullRowsPerSecond: Math.round(pulled / pullSeconds),
        pullLimit: PULL_LIMIT,
      }),
    );
    expect(pulled).toBe(ROWS);
    expect(ROWS / pushSeconds).toBeGreaterThan(50);
    expect(pulled / pullSeconds).toBeGreaterThan(500);
  });
});
