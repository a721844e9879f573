import {
  type ConsentFacts,
  consentNeed,
  consentRefusal,
  needsConsentCheck,
  type PersonRef,
} from '../../../src-shared/consent/consent-rules';
import { communicationEntity } from '../../../src-shared/entities/content.entity';
import type { Queryable } from '../db/database';
import type { WriteGate } from '../sync/write-access';

/**
 * The push side of the consent rule (src-shared/consent/consent-rules.ts): a communication whose
 * person has not consented to its channel, by the consents on the SERVER, is refused with the
 * device's own message, so a device that skipped its check (or an old build) cannot store one.
 * Wraps the scope gate: loads the people's consents and names with the batch, then refuses per
 * document. Administrators are held to it too; only new communications and changes of type,
 * direction, status or people are checked (an edit of an old email's notes is not).
 *
 * Consents and communications live in different collections, which a device pushes independently:
 * a consent given offline may arrive after the email logged with it. That email is refused, set
 * aside on the device with the reason, and goes through when retried (README "Consent").
 */

const CONSENTS = `SELECT id, subject_id AS "subjectId", channel, status,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
FROM consents WHERE subject_id = ANY($1::text[]) AND NOT is_deleted AND NOT sync_removed`;

const NAMES = `SELECT id, concat_ws(' ', first_name, last_name) AS name FROM contacts WHERE id = ANY($1::text[])
UNION ALL SELECT id, concat_ws(' ', first_name, last_name) FROM leads WHERE id = ANY($1::text[])`;

export function withConsentCheck(inner: WriteGate): WriteGate {
  const loaded = new Set<string>();
  const consents: ConsentFacts[] = [];
  const names = new Map<string, string>();
  const nameOf = (person: PersonRef) => names.get(person.id) || `${person.kind} ${person.id}`;

  async function loadPeople(tx: Queryable, ids: readonly string[]) {
    const wanted = ids.filter((id) => !loaded.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) loaded.add(id);
    consents.push(...(await tx.query<ConsentFacts>(CONSENTS, [wanted])).rows);
    for (const row of (await tx.query<{ id: string; name: string }>(NAMES, [wanted])).rows) names.set(row.id, row.name);
  }

  return {
    async load(tx, docs) {
      await inner.load(tx, docs);
      const people = new Set<string>();
      for (const { entity, doc } of docs) {
        if (entity.name !== communicationEntity.name) continue;
        for (const person of consentNeed(doc)?.people ?? []) people.add(person.id);
      }
      await loadPeople(tx, [...people]);
    },
    mayWrite(entity, before, after) {
      const decision = inner.mayWrite(entity, before, after);
      if (!decision.allowed || entity.name !== communicationEntity.name || !needsConsentCheck(before, after)) {
        return decision;
      }
      const refusal = consentRefusal(after, consents, nameOf);
      return refusal ? { allowed: false, field: refusal.field, reason: refusal.problem } : decision;
    },
    mayRead: (entity, doc) => inner.mayRead(entity, doc),
  };
}
