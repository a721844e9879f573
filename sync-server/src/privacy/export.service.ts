import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { communicationAttachmentEntity, communicationEntity } from '../../../src-shared/entities/content.entity';
import { BUNDLE_FORMAT, type BundleAttachment, type SubjectBundle } from '../../../src-shared/privacy/subject-bundle';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Database, Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { rowToWireDoc } from '../sync/row-codec';
import { wireJsonSql } from '../sync/wire-json-sql';
import { markersOf } from './erasure-plan';
import { entityOfKind, linkedSubjects, loadSubject, PERSON_REFS, type Subject } from './subject';

/**
 * The access bundle of one person as the server holds it (GDPR Art. 15/20): their row (and their
 * row under their other kind), every record that references them (the same set erasure removes,
 * erasure.service.ts), communications from or to their e-mail, those communications' attachments
 * with the SHA-256 of their bytes, and every audit entry about any of these records. Removed
 * records (tombstones) are included: the server still holds them.
 */

/**
 * Every entity a bundle can hold records of: the person under both kinds, whatever references them,
 * their communications and attachments, and the audit log. Whoever exports must read each in full
 * (privacy.routes.ts): the bundle crosses every owner's records.
 */
export const BUNDLE_ENTITIES: readonly EntityDef[] = [
  ...new Set<EntityDef>([
    entityOfKind('contact'),
    entityOfKind('lead'),
    auditLogEntity,
    ...PERSON_REFS.map((ref) => ref.entity),
    communicationEntity,
    communicationAttachmentEntity,
  ]),
];

async function rowsWhere(tx: Queryable, entity: EntityDef, where: string, params: unknown[]) {
  const { rows } = await tx.query<{ doc: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE ${where} ORDER BY t.id`,
    params,
  );
  return rows.map((r) => rowToWireDoc(entity, r.doc) as Record<string, unknown>);
}

export async function exportSubject(
  db: Database,
  subject: Subject,
  generatedBy: string,
  now: Date,
): Promise<SubjectBundle> {
  return db.transaction(async (tx) => {
    // One snapshot for the whole bundle, so it is consistent with itself.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const doc = await loadSubject(tx, subject, false);
    const subjects = await linkedSubjects(tx, subject, doc);
    const records: Record<string, Record<string, unknown>[]> = {};
    const seen = new Set<string>();
    const add = (entity: EntityDef, docs: Record<string, unknown>[]) => {
      for (const d of docs) {
        if (seen.has(String(d.id))) continue;
        seen.add(String(d.id));
        const list = records[entity.name] ?? [];
        list.push(d);
        records[entity.name] = list;
      }
    };
    const emails: string[] = [];
    for (const s of subjects) {
      const entity = entityOfKind(s.kind);
      const rows = await rowsWhere(tx, entity, 't.id = $1', [s.id]);
      add(entity, rows);
      for (const r of rows) emails.push(...markersOf(entity, r).filter((m) => m.includes('@')));
    }
    const ids = subjects.map((s) => s.id);
    for (const ref of PERSON_REFS) {
      if (ref.entity.name === 'contact' || ref.entity.name === 'lead') continue;
      add(ref.entity, await rowsWhere(tx, ref.entity, `t.${quoted(ref.column)} = ANY($1::text[])`, [ids]));
    }
    if (emails.length > 0) {
      const where = `lower(t.from_address) = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest(t.to_addresses) AS a WHERE lower(a) = ANY($1::text[]))`;
      add(communicationEntity, await rowsWhere(tx, communicationEntity, where, [emails]));
    }
    const communications = (records[communicationEntity.name] ?? []).map((c) => c.id);
    const files = await rowsWhere(tx, communicationAttachmentEntity, 't.communication_id = ANY($1::text[])', [
      communications,
    ]);
    add(communicationAttachmentEntity, files);
    const attachments = await attachmentsOf(tx, files);
    const audit = await auditOf(tx, [...seen]);
    return {
      format: BUNDLE_FORMAT,
      subject: { kind: subject.kind, id: subject.id },
      linked: subjects.filter((s) => s.id !== subject.id),
      generatedAt: now.toISOString(),
      generatedBy,
      sources: ['server'],
      records,
      attachments,
      audit,
    } satisfies SubjectBundle;
  });
}

async function attachmentsOf(tx: Queryable, files: readonly Record<string, unknown>[]): Promise<BundleAttachment[]> {
  const hashes = files.map((f) => f.sha256).filter((h): h is string => typeof h === 'string');
  const { rows } = await tx.query<{ sha256: string }>('SELECT sha256 FROM file_blobs WHERE sha256 = ANY($1::text[])', [
    hashes,
  ]);
  const stored = new Set(rows.map((r) => r.sha256));
  return files.map((f) => ({
    id: String(f.id),
    communicationId: String(f.communicationId),
    fileName: String(f.fileName),
    mimeType: String(f.mimeType),
    sizeBytes: Number(f.sizeBytes),
    ...(typeof f.sha256 === 'string' ? { sha256: f.sha256 } : {}),
    bytesOnServer: typeof f.sha256 === 'string' && stored.has(f.sha256),
  }));
}

async function auditOf(tx: Queryable, ids: readonly string[]): Promise<Record<string, unknown>[]> {
  const { rows } = await tx.query<{ doc: string }>(
    `SELECT ${wireJsonSql(auditLogEntity, 'a')} AS doc FROM audit_log AS a
      WHERE a.entity_id = ANY($1::text[])
         OR (a.records IS NOT NULL AND jsonb_typeof(a.records) = 'array'
             AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.records) AS r WHERE r->>'id' = ANY($1::text[])))
      ORDER BY a.seq`,
    [ids],
  );
  return rows.map((r) => JSON.parse(r.doc) as Record<string, unknown>);
}

/** The bytes of one attachment, for the CLI's `files/` folder; undefined when the server lacks them. */
export async function fileBytes(db: Database, sha256: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ bytes: Buffer }>('SELECT bytes FROM file_blobs WHERE sha256 = $1', [sha256]);
  return rows[0]?.bytes;
}
