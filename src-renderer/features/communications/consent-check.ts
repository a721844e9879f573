import { consentNeed, consentRefusal, type PersonRef } from '../../../src-shared/consent/consent-rules';
import { communicationEntity } from '../../../src-shared/entities/content.entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';

/** The person's name as the refusal shows it: first and last name, else the kind and id. */
async function nameOf(repos: Repositories, person: PersonRef): Promise<string> {
  const record = person.kind === 'contact' ? await repos.contact.get(person.id) : await repos.lead.get(person.id);
  const name = [record?.firstName, record?.lastName].filter(Boolean).join(' ');
  return name === '' ? `${person.kind} ${person.id}` : name;
}

/**
 * Refuses, before anything is written, a communication its person has not consented to on its
 * channel (src-shared/consent/consent-rules.ts), from the consents on this device: it holds offline
 * too. The server checks the same rule on push, so a device that skipped this could not store it.
 */
export async function assertConsent(repos: Repositories, communication: Readonly<Record<string, unknown>>) {
  const need = consentNeed(communication);
  if (need === undefined) return;
  const records = [];
  const names = new Map<string, string>();
  for (const person of need.people) {
    records.push(...(await repos.consent.list({ where: { subjectId: person.id } })));
    names.set(person.id, await nameOf(repos, person));
  }
  const refusal = consentRefusal(communication, records, (p) => names.get(p.id) ?? p.id);
  if (refusal) throw new ValidationError(communicationEntity.name, [refusal]);
}
