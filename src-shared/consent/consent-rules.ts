import type { ConsentChannel } from '../entities/privacy.entity';

/**
 * When a communication needs the person's consent, and whether they have it: one rule for the
 * device (the communications write path) and the server (push), so neither can be talked past.
 *
 * - Only OUTBOUND communications on a consent channel (email, SMS, call → phone, letter → post; a
 *   meeting, chat or other has none) need it: an inbound call or email is the
 *   person reaching out, and logging it contacts nobody.
 * - Email and SMS are opt-in (ePrivacy Directive 2002/58/EC Art. 13: electronic direct marketing
 *   needs prior consent): no record is a no. Phone and post rest on legitimate interest until the
 *   person objects (GDPR Art. 21): only a withdrawal blocks them.
 * - A draft or a cancelled communication reaches nobody; it is checked when it becomes anything else.
 * - A grant on any legal basis (consent, contract, legitimate interest…) permits the channel; the
 *   latest record per channel is the channel's state.
 */

export type ConsentStatus = 'granted' | 'withdrawn';

/** What the rule reads of a consent record. */
export interface ConsentFacts {
  id: string;
  subjectId: string;
  channel: string;
  status: string;
  at: string;
  createdAt?: string;
  isDeleted?: boolean;
  _deleted?: boolean;
}

export interface PersonRef {
  kind: 'contact' | 'lead';
  id: string;
  /** The communication's field naming them, which a refusal names. */
  field: 'contactId' | 'leadId';
}

export interface ConsentNeed {
  channel: ConsentChannel;
  /** Opt-in channels need a grant; the others only must not be withdrawn. */
  optIn: boolean;
  people: PersonRef[];
}

/** The consent channel of each communication type that has one; meetings and other have none. */
export const CHANNEL_OF_TYPE: Readonly<Record<string, ConsentChannel>> = {
  email: 'email',
  sms: 'sms',
  call: 'phone',
  letter: 'post',
};

const OPT_IN: ReadonlySet<ConsentChannel> = new Set(['email', 'sms']);
const REACHES_NOBODY: ReadonlySet<string> = new Set(['draft', 'cancelled']);

/** The fields whose change makes an existing communication need the check again. */
const CHECKED_FIELDS = ['type', 'direction', 'status', 'contactId', 'leadId', 'subjectType', 'subjectId', 'isDeleted'];

/** The people a communication is addressed to: its contact and its lead. */
function peopleOf(comm: Readonly<Record<string, unknown>>): PersonRef[] {
  const people: PersonRef[] = [];
  const contactId = comm.contactId ?? (comm.subjectType === 'contact' ? comm.subjectId : undefined);
  const leadId = comm.leadId ?? (comm.subjectType === 'lead' ? comm.subjectId : undefined);
  if (typeof contactId === 'string' && contactId !== '')
    people.push({ kind: 'contact', id: contactId, field: 'contactId' });
  if (typeof leadId === 'string' && leadId !== '') people.push({ kind: 'lead', id: leadId, field: 'leadId' });
  return people;
}

/** What consent the communication needs; undefined when it needs none. */
export function consentNeed(comm: Readonly<Record<string, unknown>>): ConsentNeed | undefined {
  if (comm.direction !== 'outbound' || comm.isDeleted === true || comm._deleted === true) return undefined;
  if (typeof comm.status === 'string' && REACHES_NOBODY.has(comm.status)) return undefined;
  const channel = typeof comm.type === 'string' ? CHANNEL_OF_TYPE[comm.type] : undefined;
  if (channel === undefined) return undefined;
  const people = peopleOf(comm);
  return people.length === 0 ? undefined : { channel, optIn: OPT_IN.has(channel), people };
}

/**
 * Whether a write of `after` over `before` must be checked: a new communication, or one whose
 * type, direction, status or people changed. An edit of a note on an email logged while consent
 * was given is not refused because consent was withdrawn since.
 */
export function needsConsentCheck(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): boolean {
  if (before === undefined || before._deleted === true) return true;
  return CHECKED_FIELDS.some((field) => before[field] !== after[field]);
}

/** Newest statement first: by when the person decided, then when it was recorded, then id. */
function newer(a: ConsentFacts, b: ConsentFacts): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if ((a.createdAt ?? '') !== (b.createdAt ?? '')) return (a.createdAt ?? '') > (b.createdAt ?? '');
  return a.id > b.id;
}

/** The person's current record for the channel (the latest live one); undefined when there is none. */
export function currentConsent(records: readonly ConsentFacts[], subjectId: string, channel: string) {
  let latest: ConsentFacts | undefined;
  for (const r of records) {
    if (r.subjectId !== subjectId || r.channel !== channel || r.isDeleted === true || r._deleted === true) continue;
    if (latest === undefined || newer(r, latest)) latest = r;
  }
  return latest;
}

export interface ConsentRefusal {
  field: PersonRef['field'];
  problem: string;
}

const TYPE_WORD: Readonly<Record<string, string>> = { sms: 'SMS' };

/**
 * The first person the communication may not be sent to, as a refusal naming them and the channel;
 * undefined when it may go. `nameOf` gives a person's display name (the id when unknown).
 */
export function consentRefusal(
  comm: Readonly<Record<string, unknown>>,
  records: readonly ConsentFacts[],
  nameOf: (person: PersonRef) => string,
): ConsentRefusal | undefined {
  const need = consentNeed(comm);
  if (need === undefined) return undefined;
  const what = `an outbound ${TYPE_WORD[String(comm.type)] ?? String(comm.type)}`;
  for (const person of need.people) {
    const current = currentConsent(records, person.id, need.channel);
    const name = nameOf(person);
    if (current?.status === 'withdrawn') {
      return {
        field: person.field,
        problem: `${name} withdrew consent to ${need.channel} on ${current.at.slice(0, 10)}: ${what} to them is blocked`,
      };
    }
    if (current === undefined && need.optIn) {
      return {
        field: person.field,
        problem: `${name} has not given consent to ${need.channel}: ${what} to them is blocked until it is recorded`,
      };
    }
  }
  return undefined;
}
