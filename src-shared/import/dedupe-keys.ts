/**
 * What makes an imported row "the same record" as one already stored, per entity, strongest key
 * first: contacts and leads by email; companies by domain, then by name; deals by name within
 * their company. A row matches the first of its keys that an existing record also has.
 */

export const IMPORT_ENTITIES = ['company', 'contact', 'lead', 'deal'] as const;
export type ImportEntityName = (typeof IMPORT_ENTITIES)[number];

export const isImportEntity = (name: string): name is ImportEntityName =>
  (IMPORT_ENTITIES as readonly string[]).includes(name);

const squash = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** "https://www.Acme.com/about" and "acme.com" are one domain. */
export function normaliseDomain(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim().length > 0 ? value : undefined;

/** The dedupe keys of a record or of an imported row's values, strongest first (may be empty). */
export function dedupeKeys(entity: string, values: Readonly<Record<string, unknown>>): string[] {
  switch (entity) {
    case 'contact':
    case 'lead': {
      const email = text(values.email);
      return email ? [`email:${squash(email)}`] : [];
    }
    case 'company': {
      const keys: string[] = [];
      const domain = text(values.domain) ?? text(values.website);
      if (domain) keys.push(`domain:${normaliseDomain(domain)}`);
      const name = text(values.name);
      if (name) keys.push(`name:${squash(name)}`);
      return keys;
    }
    case 'deal': {
      const name = text(values.name);
      const company = text(values.companyId) ?? '';
      return name ? [`deal:${squash(name)}|${company}`] : [];
    }
    default:
      return [];
  }
}

/** Existing records' keys → id; a key held by several records points at the first (oldest listed). */
export function indexExisting(
  entity: string,
  records: Iterable<Readonly<Record<string, unknown>>>,
  into: Map<string, string> = new Map(),
): Map<string, string> {
  for (const record of records) {
    if (record.isDeleted === true || typeof record.id !== 'string') continue;
    for (const key of dedupeKeys(entity, record)) if (!into.has(key)) into.set(key, record.id);
  }
  return into;
}

/** Lookup of companies by id, domain or name, for a "Company" column on contacts and deals. */
export function companyLookup(
  companies: Iterable<Readonly<Record<string, unknown>>>,
): (text: string) => string | undefined {
  const ids = new Set<string>();
  const keys = new Map<string, string>();
  for (const company of companies) {
    if (company.isDeleted === true || typeof company.id !== 'string') continue;
    ids.add(company.id);
    for (const key of dedupeKeys('company', company)) if (!keys.has(key)) keys.set(key, company.id);
  }
  return (raw) => {
    const value = raw.trim();
    if (ids.has(value)) return value;
    return keys.get(`name:${squash(value)}`) ?? keys.get(`domain:${normaliseDomain(value)}`);
  };
}
