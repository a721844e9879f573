import type { ScreenId } from '../../app/navigation';

/** The kinds of record global search finds, in the order their groups are listed on a tie. */
export const SEARCH_KINDS = ['contact', 'company', 'lead', 'deal', 'note'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Where each kind's record opens. */
export const SCREEN_OF: Record<SearchKind, ScreenId> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
  note: 'notes',
};

export const GROUP_LABEL: Record<SearchKind, string> = {
  contact: 'Contacts',
  company: 'Companies',
  lead: 'Leads',
  deal: 'Deals',
  note: 'Notes',
};

/** What the index holds of one record: the searchable text and the two lines a result shows. */
export interface SearchDoc {
  /** `kind:id`: ids are unique per collection, not necessarily across them. */
  key: string;
  id: string;
  kind: SearchKind;
  /** The display name, weighted above the rest. */
  title: string;
  /** The second line of a result (job, company, stage…). */
  detail: string;
  /** Everything else worth finding the record by (email, phone, domain, note body…). */
  text: string;
}

type Plain = Record<string, unknown>;

/** A note's body is indexed up to here: enough to find it by what it is about, bounded for 100k notes. */
export const NOTE_BODY_PREFIX = 400;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const join = (sep: string, ...parts: unknown[]): string => parts.map(str).filter(Boolean).join(sep);

/** Phone numbers are indexed as their digits ("+1 555-0123" → 15550123): one term each, however they were typed. */
const digits = (value: unknown): string => str(value).replace(/\D/g, '');

const hostOf = (url: unknown): string =>
  str(url)
    .replace(/^https?:\/\/(www\.)?/i, '')
    .replace(/\/.*$/, '');

/** Money fields hold integer minor units (cents). */
const money = (amount: unknown, currency: unknown): string =>
  typeof amount === 'number'
    ? new Intl.NumberFormat('en', {
        style: 'currency',
        currency: str(currency) || 'USD',
        maximumFractionDigits: 0,
      }).format(amount / 100)
    : '';

const words = (camel: unknown): string =>
  str(camel)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());

/** Company names by id, for the contacts and deals that belong to one (kept by the index). */
export type CompanyNames = (id: string) => string | undefined;

/**
 * The search document of a live record of a searched kind; undefined for a soft-deleted one or a
 * kind search does not cover (so the index simply leaves it out).
 */
export function toSearchDoc(record: Plain, companyName: CompanyNames = () => undefined): SearchDoc | undefined {
  const kind = record.kind as SearchKind;
  const id = str(record.id);
  if (!id || record.isDeleted === true || !SEARCH_KINDS.includes(kind)) return undefined;
  const company = typeof record.companyId === 'string' ? (companyName(record.companyId) ?? '') : '';
  const base = { key: `${kind}:${id}`, id, kind };
  switch (kind) {
    case 'contact':
      return {
        ...base,
        title: join(' ', record.firstName, record.lastName) || str(record.email) || '(no name)',
        detail: join(' · ', record.jobTitle, company, record.email),
        text: join(
          ' ',
          record.email,
          record.phone,
          digits(record.phone),
          record.mobile,
          digits(record.mobile),
          company,
        ),
      };
    case 'company':
      return {
        ...base,
        title: str(record.name) || '(no name)',
        detail: join(' · ', record.industry, record.city, record.domain),
        text: join(' ', record.domain, hostOf(record.website), record.industry, record.city, digits(record.phone)),
      };
    case 'lead':
      return {
        ...base,
        title: join(' ', record.firstName, record.lastName) || '(no name)',
        detail: join(' · ', record.companyName, record.email, words(record.status)),
        text: join(' ', record.email, digits(record.phone), record.companyName, record.companyDomain),
      };
    case 'deal':
      return {
        ...base,
        title: str(record.name) || '(no name)',
        detail: join(' · ', company, words(record.stage), money(record.amount, record.currency)),
        text: company,
      };
    case 'note': {
      const body = str(record.body).slice(0, NOTE_BODY_PREFIX);
      return {
        ...base,
        title: str(record.title) || body.slice(0, 80).trim() || '(empty note)',
        detail: body.slice(0, 140),
        text: body,
      };
    }
  }
}
