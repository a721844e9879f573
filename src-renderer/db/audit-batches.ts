import type { RxCollection } from 'rxdb';
import { listsAny, narrowBatchEntry } from '../../src-shared/audit/audit-changes';

type Doc = Record<string, unknown> & { id: string };

/** Batch entries read at a time: each holds up to AUDIT_BATCH_SIZE record changes. */
const PAGE = 100;

/**
 * This device's batch entries (one per chunk of a bulk write, audit-storage.ts) that list a change
 * of any record in `ids`, each narrowed to those records' changes. A batch entry is indexed under
 * its first record only (`entityId`), the rest of its records sit in its encrypted `records`, so a
 * record's trail, the audit log's Record filter and a person's data bundle would otherwise miss the
 * record's creation by an import. The server answers the same question in SQL (audit.service.ts);
 * this is the device's answer, offline included.
 *
 * It reads every batch entry (the `action+newest` index, a page at a time): a 100k-record import
 * wrote 400 of them.
 */
export async function batchEntriesListing(audit: RxCollection, ids: ReadonlySet<string>): Promise<Doc[]> {
  const found: Doc[] = [];
  if (ids.size === 0) return found;
  for (let skip = 0; ; skip += PAGE) {
    const docs = await audit
      .find({ selector: { action: 'batch' }, sort: [{ newest: 'asc' }, { id: 'asc' }], skip, limit: PAGE })
      .exec();
    for (const doc of docs) {
      const entry = doc.toJSON() as Doc;
      if (listsAny(entry, ids)) found.push(narrowBatchEntry(entry, ids));
    }
    if (docs.length < PAGE) return found;
  }
}
