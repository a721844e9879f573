import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { communicationAttachmentEntity, communicationEntity } from '../../../src-shared/entities/content.entity';
import { dealEntity } from '../../../src-shared/entities/deal.entity';
import { ENTITIES } from '../../../src-shared/entities/registry';
import { type CollectionName, type EntityDef, NEWEST_MAX, withDerived } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { Database, Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { rowToWireDoc } from '../sync/row-codec';
import { insertRow, updateRow } from '../sync/row-writer';
import { SERVER_DEVICE } from '../sync/server-audit';
import { redactAudit } from './audit-redaction';
import { lockForErasure } from './erasure-lock';
import { anonymised, likePatterns, markersOf, namePartsOf, removed, type Stamp, scrubbed } from './erasure-plan';
import { scrubServerTables } from './server-tables';
import { entityOfKind, linkedSubjects, loadSubject, PERSON_REFS, type Subject } from './subject';

/**
 * Erasure of a person (GDPR Art. 17), in ONE transaction, every record write through the row writer
 * so each row gets a new sync txid and every device receives the anonymised or removed state at its
 * next pull, also a device that was offline when it happened (sync-server/README.md, "Erasure"):
 * 1. the person, and the same person under their other kind (lead ⇄ converted contact), anonymised;
 * 2. every record that references them (notes, communications, activities, interactions, social
 *    profiles, tasks, list memberships) and the attachments of those communications removed
 *    (tombstones stripped of their values); communications from or to their e-mail address too;
 * 3. deals that reference them keep their values, less any mention of the person;
 * 4. any other record (not users or settings) that mentions them (their e-mail, phone, full name…)
 *    scrubbed of the mention; the server-only tables (job queues, delivery logs) likewise;
 * 5. the bytes of the removed attachments deleted unless another live attachment names them;
 * 6. audit entries about those records, or mentioning the person, redacted in place with the chain's
 *    consent (audit-redaction.ts); the erasure's own audit entry (who, when, why) lists every record
 *    touched and every redaction;
 * 7. the person's ids and the removed records' ids listed in erased_records, which the push path
 *    refuses for good (erasure-guard.ts).
 */

export interface ErasureRequest {
  subject: Subject;
  reason: string;
  actorId: string;
  now: () => Date;
  newId: () => string;
}

export interface ErasureReport {
  subjects: Subject[];
  erasedAt: string;
  auditEntryId: string;
  anonymised: number;
  removed: number;
  scrubbed: number;
  auditRedacted: number;
  filesDeleted: number;
  serverRowsScrubbed: number;
  /** The collections written, with the last txid: the caller wakes their pullers. */
  written: { collection: CollectionName; txid: string }[];
}

export const MAX_REASON = 400;

export function checkReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new HttpError(
      400,
      'reason: is required: say why the person is erased (e.g. "request of 2026-05-01")',
      'reason',
    );
  }
  if (reason.length > MAX_REASON)
    throw new HttpError(400, `reason: must be at most ${MAX_REASON} characters`, 'reason');
  return reason.trim();
}

type Action = 'anonymise' | 'remove' | 'scrub';

interface Planned {
  entity: EntityDef;
  doc: Record<string, unknown>;
  action: Action;
  /** Referenced the person: their name parts go too, not only the identifying values. */
  byReference?: boolean;
}

/** Entities never swept for mentions: people of the team and the organisation's settings. */
const SWEPT: readonly EntityDef[] = ENTITIES.filter(
  (e) => e.storage === 'document' && e !== auditLogEntity && e.collection !== 'users' && e.collection !== 'settings',
);

async function rowsWhere(tx: Queryable, entity: EntityDef, where: string, params: unknown[]) {
  const { rows } = await tx.query<{ doc: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE ${where} ORDER BY t.id FOR UPDATE`,
    params,
  );
  return rows.map((r) => rowToWireDoc(entity, r.doc) as Record<string, unknown>);
}

async function plan(tx: Queryable, subjects: readonly Subject[], markers: readonly string[]) {
  const planned = new Map<string, Planned>();
  const ids = subjects.map((s) => s.id);
  for (const s of subjects) {
    const entity = entityOfKind(s.kind);
    for (const doc of await rowsWhere(tx, entity, 't.id = $1', [s.id]))
      planned.set(s.id, { entity, doc, action: 'anonymise' });
  }
  for (const ref of PERSON_REFS) {
    if (ref.entity.name === 'contact' || ref.entity.name === 'lead') continue;
    for (const doc of await rowsWhere(tx, ref.entity, `t.${quoted(ref.column)} = ANY($1::text[])`, [ids])) {
      if (planned.has(doc.id as string)) continue;
      const action = ref.entity === dealEntity ? 'scrub' : 'remove';
      planned.set(doc.id as string, { entity: ref.entity, doc, action, byReference: true });
    }
  }
  const emails = markers.filter((m) => m.includes('@'));
  if (emails.length > 0) {
    const where = `lower(t.from_address) = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest(t.to_addresses) AS a WHERE lower(a) = ANY($1::text[]))`;
    for (const doc of await rowsWhere(tx, communicationEntity, where, [emails])) {
      planned.set(doc.id as string, { entity: communicationEntity, doc, action: 'remove' });
    }
  }
  const communications = [...planned.values()]
    .filter((p) => p.entity === communicationEntity && p.action === 'remove')
    .map((p) => p.doc.id);
  for (const doc of await rowsWhere(tx, communicationAttachmentEntity, 't.communication_id = ANY($1::text[])', [
    communications,
  ])) {
    planned.set(doc.id as string, { entity: communicationAttachmentEntity, doc, action: 'remove' });
  }
  if (markers.length > 0) {
    const patterns = likePatterns(markers);
    for (const entity of SWEPT) {
      for (const doc of await rowsWhere(tx, entity, 'lower(to_jsonb(t)::text) LIKE ANY($1::text[])', [patterns])) {
        if (!planned.has(doc.id as string)) planned.set(doc.id as string, { entity, doc, action: 'scrub' });
      }
    }
  }
  return [...planned.values()];
}

function outcome(p: Planned, markers: readonly string[], stamp: Stamp): Record<string, unknown> | undefined {
  const { entity, doc } = p;
  let next: Record<string, unknown> | undefined;
  if (p.action === 'anonymise') next = anonymised(entity, doc, stamp);
  else if (p.action === 'remove') next = removed(entity, doc, stamp);
  else next = scrubbed(doc, markers, stamp);
  if (next === undefined) return undefined;
  next = withDerived(entity, next);
  const { _deleted, ...record } = next;
  let problems = validateRecord(entity, record);
  if (p.action === 'scrub' && problems.length > 0) {
    // A scrubbed value that no longer fits its field (an e-mail address with "[erased]" in it): the
    // field goes when it may, so a mention never stops the erasure.
    for (const problem of problems) if (entity.allFields[problem.field]?.required !== true) delete next[problem.field];
    const { _deleted: _, ...again } = next;
    problems = validateRecord(entity, again);
  }
  if (problems.length > 0) {
    // A bug of the plan, not of the caller: the transaction rolls back and nothing is half-erased.
    const detail = problems.map((x) => `${x.field} ${x.problem}`).join('; ');
    throw new Error(`erasure: the ${p.action} of ${entity.name} ${String(doc.id)} is invalid: ${detail}`);
  }
  return next;
}

async function deleteFiles(tx: Queryable, hashes: readonly string[]): Promise<number> {
  if (hashes.length === 0) return 0;
  const { rows } = await tx.query(
    `DELETE FROM file_blobs AS b WHERE b.sha256 = ANY($1::text[]) AND NOT EXISTS (
       SELECT 1 FROM communication_attachments AS a WHERE a.sha256 = b.sha256 AND NOT a.sync_removed)
     RETURNING 1`,
    [hashes],
  );
  return rows.length;
}

export async function eraseSubject(db: Database, request: ErasureRequest): Promise<ErasureReport> {
  const reason = checkReason(request.reason);
  return db.transaction(async (tx) => {
    // First: waits for the pushes in flight (the plan below then sees what they wrote) and keeps new
    // ones waiting until this commits; serialises erasures too (erasure-lock.ts).
    await lockForErasure(tx);
    const done = await tx.query<{ erased_at: Date }>('SELECT erased_at FROM erased_subjects WHERE id = $1', [
      request.subject.id,
    ]);
    if (done.rows[0]) {
      throw new HttpError(
        409,
        `id: ${request.subject.kind} ${request.subject.id} was erased already, on ${done.rows[0].erased_at.toISOString()}`,
        'id',
      );
    }
    const doc = await loadSubject(tx, request.subject);
    const subjects = await linkedSubjects(tx, request.subject, doc);
    const markers = new Set<string>();
    const nameParts = new Set<string>();
    for (const s of subjects) {
      const entity = entityOfKind(s.kind);
      for (const d of await rowsWhere(tx, entity, 't.id = $1', [s.id])) {
        for (const m of markersOf(entity, d)) markers.add(m);
        for (const m of namePartsOf(d)) nameParts.add(m);
      }
    }
    const referenceMarkers = [...new Set([...markers, ...nameParts])];
    const at = request.now();
    const stamp: Stamp = { at: at.toISOString(), by: request.actorId };
    const planned = await plan(tx, subjects, [...markers]);

    const written = new Map<CollectionName, string>();
    const records: Record<string, unknown>[] = [];
    const counts = { anonymise: 0, remove: 0, scrub: 0 };
    const hashes: string[] = [];
    const erasedIds: { id: string; kind: string }[] = [];
    const referencing = new Set<string>();
    for (const p of planned) {
      const next = outcome(p, p.byReference ? referenceMarkers : [...markers], stamp);
      if (next === undefined) continue;
      const txid = await updateRow(tx, p.entity, next, { erasing: true });
      written.set(p.entity.collection as CollectionName, txid);
      counts[p.action]++;
      records.push({ id: p.doc.id, kind: p.entity.name, action: p.action });
      if (p.action !== 'scrub') erasedIds.push({ id: String(p.doc.id), kind: p.entity.name });
      else if (p.byReference) referencing.add(String(p.doc.id));
      if (p.entity === communicationAttachmentEntity && typeof p.doc.sha256 === 'string') hashes.push(p.doc.sha256);
    }

    const entryId = request.newId();
    const redactions = await redactAudit(tx, {
      erasedIds: new Set(erasedIds.map((e) => e.id)),
      markers: [...markers],
      referencing,
      referenceMarkers,
      erasureEntryId: entryId,
    });
    const entry = {
      id: entryId,
      kind: auditLogEntity.name,
      ownerId: request.actorId,
      createdAt: stamp.at,
      updatedAt: stamp.at,
      createdBy: request.actorId,
      updatedBy: request.actorId,
      isDeleted: false,
      newest: NEWEST_MAX - at.getTime(),
      at: stamp.at,
      actorId: request.actorId,
      deviceId: SERVER_DEVICE,
      source: 'server',
      action: 'purge',
      collectionName: entityOfKind(request.subject.kind).collection,
      entityKind: request.subject.kind,
      entityId: request.subject.id,
      recordCount: Math.max(1, records.length + redactions.length),
      records: [...records, ...redactions],
      reason: `erasure (GDPR Art. 17): ${reason}`,
    };
    const problems = validateRecord(auditLogEntity, entry);
    if (problems.length > 0) throw new Error(`erasure audit entry is invalid: ${JSON.stringify(problems)}`);
    await insertRow(tx, auditLogEntity, { ...entry, _deleted: false });

    for (const s of subjects) {
      await tx.query(
        'INSERT INTO erased_subjects (id, kind, erased_at, erased_by, reason, audit_entry_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [s.id, s.kind, at, request.actorId, reason, entryId],
      );
    }
    await tx.query(
      `INSERT INTO erased_records (id, kind, subject_id)
       SELECT r.id, r.kind, $2 FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text) ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(erasedIds), request.subject.id],
    );
    const filesDeleted = await deleteFiles(tx, hashes);
    const serverRowsScrubbed = await scrubServerTables(tx, [...markers]);
    return {
      subjects,
      erasedAt: stamp.at,
      auditEntryId: entryId,
      anonymised: counts.anonymise,
      removed: counts.remove,
      scrubbed: counts.scrub,
      auditRedacted: redactions.length,
      filesDeleted,
      serverRowsScrubbed,
      written: [...written].map(([collection, txid]) => ({ collection, txid })),
    };
  });
}
