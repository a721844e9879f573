import { narrowBatchEntry } from '../../../src-shared/audit/audit-changes';
import type { AuditDoc } from './server-audit.queries';

/**
 * Where an entry shown in the audit viewer comes from:
 * - 'synced': on this device and on the server;
 * - 'server': from the server only (another device's write, or the server's own entry);
 * - 'device': on this device; the server did not return it (already pushed, outside the page loaded
 *   or outside what the server shows this user) or the server's entries are not available;
 * - 'unsynced': on this device only, waiting in the outbox to be pushed.
 */
export type AuditOrigin = 'synced' | 'server' | 'device' | 'unsynced';

export interface MergedEntry {
  entry: AuditDoc;
  origin: AuditOrigin;
}

export interface AuditSource {
  entries: readonly AuditDoc[];
  /** Every matching entry is loaded (no older page to fetch). */
  complete: boolean;
}

export interface MergedAudit {
  entries: MergedEntry[];
  /** Older entries exist in a source that has more pages. */
  hasMore: boolean;
}

const at = (e: AuditDoc) => String(e.at ?? e.createdAt ?? '');

/** Newest first; equal times by id, descending (the server's order). */
export function compareAudit(a: AuditDoc, b: AuditDoc): number {
  const ta = at(a);
  const tb = at(b);
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/**
 * The device's entries and the server's as one list, newest first, deduplicated by id (an entry is
 * immutable, so both copies are the same entry; the local one is kept, whole). Each source is loaded
 * a page at a time: the list stops at the oldest entry of an incomplete source, so that no entry of
 * the other source appears before older ones of this source are loaded ("Show more" loads them).
 * `server` undefined: the server's entries are not available (offline, signed out, failed).
 */
export function mergeAudit(
  local: AuditSource,
  server: AuditSource | undefined,
  unpushed: ReadonlySet<string>,
): MergedAudit {
  const serverIds = new Set(server?.entries.map((e) => e.id));
  const byId = new Map<string, MergedEntry>();
  for (const entry of server?.entries ?? []) byId.set(entry.id, { entry, origin: 'server' });
  for (const entry of local.entries) {
    const origin: AuditOrigin = unpushed.has(entry.id) ? 'unsynced' : serverIds.has(entry.id) ? 'synced' : 'device';
    byId.set(entry.id, { entry, origin });
  }
  const all = [...byId.values()].sort((x, y) => compareAudit(x.entry, y.entry));
  // The newest of the incomplete sources' last entries: nothing older than it is known to be complete.
  const bounds = [local, server]
    .filter((s): s is AuditSource => s !== undefined && !s.complete && s.entries.length > 0)
    .map((s) => s.entries.reduce((oldest, e) => (compareAudit(e, oldest) > 0 ? e : oldest)));
  const bound = bounds.sort(compareAudit)[0];
  const entries = bound === undefined ? all : all.filter((m) => compareAudit(m.entry, bound) <= 0);
  const hasMore = !local.complete || (server !== undefined && !server.complete);
  return { entries, hasMore };
}

/** The words of an entry's origin, for its badge and tooltip. */
export function originText(origin: AuditOrigin, entry: AuditDoc): { label: string; title: string } {
  switch (origin) {
    case 'synced':
      return { label: 'Synced', title: 'Recorded on this device and on the server' };
    case 'server':
      return entry.source === 'server'
        ? { label: 'Server', title: 'Recorded by the server when it accepted a write; from the server\u2019s trail' }
        : {
            label: 'Another device',
            title: `Recorded on device ${String(entry.deviceId ?? '?')}; from the server\u2019s trail`,
          };
    case 'device':
      return { label: 'This device', title: 'Recorded on this device' };
    case 'unsynced':
      return { label: 'On this device only', title: 'Not pushed to the server yet: it goes with the next sync' };
  }
}

/**
 * The device's source for one record's trail: its page of entries found by `entityId` and the batch
 * entries that list the record further down (audit-batches.ts; all of them, found at once), each
 * narrowed to the record. While older pages are still to load, batch entries older than the page
 * wait for them, so the list never shows an entry before newer ones not yet loaded.
 */
export function recordSource(page: AuditSource, listed: readonly AuditDoc[], recordId: string): AuditSource {
  const ids = new Set([recordId]);
  const byId = new Map<string, AuditDoc>();
  for (const entry of page.entries) byId.set(entry.id, narrowBatchEntry(entry, ids));
  const oldest = page.entries.reduce<AuditDoc | undefined>(
    (last, e) => (last === undefined || compareAudit(e, last) > 0 ? e : last),
    undefined,
  );
  for (const entry of listed) {
    if (byId.has(entry.id)) continue;
    if (!page.complete && (oldest === undefined || compareAudit(entry, oldest) > 0)) continue;
    byId.set(entry.id, narrowBatchEntry(entry, ids));
  }
  return { entries: [...byId.values()].sort(compareAudit), complete: page.complete };
}
