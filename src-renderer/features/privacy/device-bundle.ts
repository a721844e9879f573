import { narrowBatchEntry } from '../../../src-shared/audit/audit-changes';
import { ENTITIES } from '../../../src-shared/entities/registry';
import {
  BUNDLE_FORMAT,
  type BundleAttachment,
  personIds,
  personRefFields,
  type SubjectBundle,
  withDeviceRecords,
} from '../../../src-shared/privacy/subject-bundle';
import type { CollectionName } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import { batchEntriesListing } from '../../db/audit-batches';
import type { LocalDatabase } from '../../db/create-database';
import type { Replication } from '../../db/replication';
import { pendingDocs } from '../../sync/outbox';

/**
 * The device's part of a person's data bundle (GDPR Art. 15/20): what this device holds about them,
 * found by the same relations the server uses (sync-server/src/privacy/export.service.ts): their
 * record and their record under the other kind, records referencing them, those communications'
 * attachments, and the device's own audit entries about all of these. With the server's bundle,
 * only what the device has not synced yet (the outbox) is laid over it, since the rest is the
 * server's already; offline, the bundle is the device's alone and says so.
 */

type Doc = Record<string, unknown>;

const REFS = personRefFields(ENTITIES);

export const OFFLINE_NOTE =
  'Made on this device without the server: it holds only the data on this device (synced and not yet synced); the server may hold more.';

async function find(db: LocalDatabase, collection: string, selector: Record<string, unknown>): Promise<Doc[]> {
  const target = db.rx.collections[collection as CollectionName];
  if (!target) return [];
  const docs = await target.find({ selector }).exec();
  return docs.map((d) => d.toJSON() as Doc);
}

export interface DeviceRecords {
  records: Record<string, Doc[]>;
  audit: Doc[];
  linked: { kind: 'contact' | 'lead'; id: string }[];
}

/** Everything this device holds about the person, by entity name. */
export async function deviceRecordsAbout(
  db: LocalDatabase,
  kind: 'contact' | 'lead',
  id: string,
): Promise<DeviceRecords> {
  const records: Record<string, Doc[]> = {};
  const seen = new Set<string>();
  const add = (docs: readonly Doc[]) => {
    for (const doc of docs) {
      const key = String(doc.id);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = records[String(doc.kind)] ?? [];
      list.push(doc);
      records[String(doc.kind)] = list;
    }
  };
  const own = await find(db, kind === 'contact' ? 'contacts' : 'leads', { id });
  add(own);
  const ids = own.length > 0 ? personIds(kind, own[0]) : [id];
  const otherKind = kind === 'contact' ? 'lead' : 'contact';
  const linked = ids.filter((x) => x !== id).map((x) => ({ kind: otherKind, id: x }) as const);
  for (const other of linked) add(await find(db, `${other.kind}s`, { id: other.id }));
  for (const ref of REFS) {
    add(await find(db, ref.collection, { kind: ref.entity, [ref.field]: { $in: ids } }));
  }
  const communications = (records.communication ?? []).map((c) => String(c.id));
  if (communications.length > 0) {
    add(await find(db, 'activities', { kind: 'communicationAttachment', communicationId: { $in: communications } }));
  }
  // A batch entry is found by its first record's id and lists others: narrowed to this person's
  // records either way, and the batches that list them further down are found too.
  const about = [
    ...(await find(db, 'audit', { entityId: { $in: [...seen] } })),
    ...(await batchEntriesListing(db.rx.collections.audit, seen)),
  ];
  const audit = [...new Map(about.map((e) => [String(e.id), narrowBatchEntry(e, seen)])).values()];
  return { records, audit, linked };
}

/** Ids of the records this device changed and the server has not accepted yet; undefined while not syncing. */
export async function unsyncedIds(replication: Replication | undefined): Promise<Set<string> | undefined> {
  if (!replication) return undefined;
  const ids = new Set<string>();
  for (const [name, state] of replication.states) {
    const pending = await pendingDocs(name, state);
    if (pending === undefined) return undefined;
    for (const doc of pending) ids.add(doc.id);
  }
  return ids;
}

function attachmentsOf(records: Record<string, Doc[]>): BundleAttachment[] {
  return (records.communicationAttachment ?? []).map((a) => ({
    id: String(a.id),
    communicationId: String(a.communicationId),
    fileName: String(a.fileName),
    mimeType: String(a.mimeType),
    sizeBytes: Number(a.sizeBytes),
    ...(typeof a.sha256 === 'string' ? { sha256: a.sha256 } : {}),
    bytesOnServer: false,
  }));
}

export interface BundleInput {
  kind: 'contact' | 'lead';
  id: string;
  device: DeviceRecords;
  /** The server's bundle; undefined offline (or when the server refused). */
  server?: SubjectBundle;
  /** Unsynced ids (unsyncedIds); undefined: unknown, so every device record newer than the server's counts. */
  unsynced?: ReadonlySet<string>;
  userId: string;
  now: Date;
  /** Why the server's bundle is missing, when it is. */
  note?: string;
}

/** The bundle to download: the server's with the device's unsynced records, or the device's alone. */
export function bundleFor(input: BundleInput): SubjectBundle {
  const { device, server, unsynced } = input;
  if (server) {
    const pending: Record<string, Doc[]> = {};
    for (const [entity, docs] of Object.entries(device.records)) {
      const mine = unsynced ? docs.filter((d) => unsynced.has(String(d.id))) : docs;
      if (mine.length > 0) pending[entity] = mine;
    }
    const merged = withDeviceRecords(server, pending);
    const known = new Set(server.audit.map((e) => String(e.id)));
    const audit = [...server.audit, ...device.audit.filter((e) => !known.has(String(e.id)))];
    const attachments = [
      ...server.attachments,
      ...attachmentsOf(pending).filter((a) => !server.attachments.some((s) => s.id === a.id)),
    ];
    return { ...merged, audit, attachments };
  }
  // Without the server's part, a person this device does not hold would give an empty bundle that
  // reads as "we hold nothing about them": say instead that the id is unknown here.
  if ((device.records[input.kind] ?? []).length === 0) {
    throw new ValidationError(input.kind, [{ field: 'id', problem: `no ${input.kind} ${input.id} on this device` }]);
  }
  return {
    format: BUNDLE_FORMAT,
    subject: { kind: input.kind, id: input.id },
    linked: device.linked,
    generatedAt: input.now.toISOString(),
    generatedBy: input.userId,
    sources: ['device'],
    note: input.note ?? OFFLINE_NOTE,
    records: device.records,
    attachments: attachmentsOf(device.records),
    audit: device.audit,
  };
}
