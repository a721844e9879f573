import { describe, expect, it } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import { BACKENDS, caughtUp, pullPage, pushRows, sampleDoc, startServer } from './sync-server-fixtures';

/**
 * A pull page comes from Postgres in parts of about 32 KB of documents each (pull.ts `pageParts`)
 * and goes out as one JSON body. Pages here hold 100 KB and more, so each is several parts: every
 * document must arrive once, whole and in (txid, id) order, with the checkpoint at the page's last
 * document, on the one-table statement (contacts, read in full) and the two-step one (deals: three tables).
 */

// About 1.5 KB of text per document, with characters of two, three and four bytes in UTF-8.
const LONG = `Met at the trade fair — café owner, 张伟 introduced us 🙂. ${'Follow up on the quarterly order. '.repeat(40)}`;

function contacts(count: number): WireDoc[] {
  return Array.from({ length: count }, (_, i) =>
    sampleDoc(getEntity('contact'), `c_${String(i).padStart(4, '0')}`, { description: `${i}: ${LONG}` }),
  );
}

function deals(count: number): WireDoc[] {
  return Array.from({ length: count }, (_, i) =>
    sampleDoc(getEntity('deal'), `d_${String(i).padStart(4, '0')}`, { description: `${i}: ${LONG}` }),
  );
}

async function pullInPages(app: Awaited<ReturnType<typeof startServer>>, collection: string, limit: number) {
  const pages: { ids: string[]; checkpoint: SyncCheckpoint; docs: WireDoc[] }[] = [];
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const page = await pullPage(app, collection, checkpoint, limit);
    expect(page.status).toBe(200);
    if (page.body.documents.length === 0) return pages;
    checkpoint = page.body.checkpoint;
    if (checkpoint === null) throw new Error('a page of documents without a checkpoint');
    pages.push({ ids: page.body.documents.map((d) => d.id), checkpoint, docs: page.body.documents });
  }
}

describe.each(BACKENDS)('pull pages of many parts ($name)', (backend) => {
  it.each([
    ['contacts', contacts],
    ['deals', deals],
  ] as const)(
    'serves every %s document once, whole and in order, across pages of several parts',
    async (collection, make) => {
      const db = await backend.open();
      const app = await startServer(db);
      const first = make(150);
      const second = make(260).slice(150);
      // Two transactions: the order is the first's ids, then the second's.
      for (const docs of [first, second]) {
        const reply = await pushRows(
          app,
          collection,
          docs.map((d) => ({ newDocumentState: d })),
        );
        expect(reply.body).toEqual({ conflicts: [], rejected: [] });
      }
      await caughtUp(db);

      const pages = await pullInPages(app, collection, 120);
      expect(pages.map((p) => p.ids.length)).toEqual([120, 120, 20]);
      const sent = [...first, ...second];
      expect(pages.flatMap((p) => p.ids)).toEqual(sent.map((d) => d.id));
      for (const page of pages) expect(page.checkpoint.id).toBe(page.ids.at(-1));
      const byId = new Map(pages.flatMap((p) => p.docs).map((d) => [d.id, d]));
      for (const doc of sent) expect(byId.get(doc.id)?.description).toBe(doc.description);
      // A page past the end is empty and keeps the checkpoint.
      const last = pages.at(-1)?.checkpoint ?? null;
      const after = await pullPage(app, collection, last, 120);
      expect(after.body).toEqual({ documents: [], checkpoint: last });
    },
  );
});
