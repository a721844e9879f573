import { contactEntity } from '../../../src-shared/entities/contact.entity';
import { leadEntity } from '../../../src-shared/entities/lead.entity';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { rowToWireDoc } from '../sync/row-codec';
import { selectForUpdate } from '../sync/row-writer';

/** Whose data a request is about: a contact or a lead (the people the CRM holds). */
export const SUBJECT_KINDS = ['contact', 'lead'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface Subject {
  kind: SubjectKind;
  id: string;
}

const ID = /^[A-Za-z0-9_.:@-]{1,40}$/;

export function entityOfKind(kind: SubjectKind): EntityDef {
  return kind === 'contact' ? contactEntity : leadEntity;
}

/** The subject named by a request or command line, checked: a 400 naming the field at fault. */
export function parseSubject(kind: unknown, id: unknown): Subject {
  if (typeof kind !== 'string' || !(SUBJECT_KINDS as readonly string[]).includes(kind)) {
    throw new HttpError(400, `kind: "${String(kind).slice(0, 40)}" is not a subject kind; use contact or lead`, 'kind');
  }
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new HttpError(400, 'id: must be 1 to 40 letters, digits or _.:@-', 'id');
  }
  return { kind: kind as SubjectKind, id };
}

async function rowOf(tx: Queryable, entity: EntityDef, id: string, lock: boolean) {
  if (lock) return selectForUpdate(tx, entity, id);
  const { rows } = await tx.query<{ doc: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE t.id = $1`,
    [id],
  );
  return rows[0] === undefined ? undefined : (rowToWireDoc(entity, rows[0].doc) as Record<string, unknown>);
}

/** The subject's current row (locked for an erasure, not for an export); a 404 naming it when there is none. */
export async function loadSubject(tx: Queryable, subject: Subject, lock = true): Promise<Record<string, unknown>> {
  const doc = await rowOf(tx, entityOfKind(subject.kind), subject.id, lock);
  if (doc === undefined || doc._deleted === true) {
    const other = subject.kind === 'contact' ? leadEntity : contactEntity;
    const elsewhere = await rowOf(tx, other, subject.id, lock);
    const hint = elsewhere === undefined ? '' : ` (${subject.id} is a ${other.name})`;
    throw new HttpError(404, `id: no ${subject.kind} ${subject.id} on the server${hint}`, 'id');
  }
  return doc;
}

/**
 * The same person under their other kind: a contact converted from a lead is the lead's person, and
 * a lead converted into a contact is the contact's. Both are erased and exported together.
 */
export async function linkedSubjects(
  tx: Queryable,
  subject: Subject,
  doc: Readonly<Record<string, unknown>>,
): Promise<Subject[]> {
  const found = new Map<string, Subject>([[subject.id, subject]]);
  const add = (kind: SubjectKind, id: unknown) => {
    if (typeof id === 'string' && id !== '' && !found.has(id)) found.set(id, { kind, id });
  };
  if (subject.kind === 'contact') {
    add('lead', doc.convertedFromLeadId);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM leads WHERE converted_contact_id = $1', [
      subject.id,
    ]);
    for (const row of rows) add('lead', row.id);
  } else {
    add('contact', doc.convertedContactId);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM contacts WHERE converted_from_lead_id = $1', [
      subject.id,
    ]);
    for (const row of rows) add('contact', row.id);
  }
  return [...found.values()];
}

export { PERSON_REFS, type PersonRef } from './person-refs';
