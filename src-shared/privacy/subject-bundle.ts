/**
 * The data-subject access bundle (GDPR Art. 15 and 20): everything held about one person, machine
 * readable. Built by the server (sync-server/src/privacy/export.service.ts) and, on a device, merged
 * with what that device holds and has not synced yet (src-renderer/features/privacy). Written as
 * `bundle.json` plus one CSV per entity (`csvFiles`).
 */

export const BUNDLE_FORMAT = 'fieldcrm-subject-bundle/1';

export interface BundleAttachment {
  id: string;
  communicationId: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  /** The bytes' SHA-256: GET /files/:sha256 on the server, `files/<sha256>` beside the CLI's bundle. */
  sha256?: string;
  /** Whether the server holds the bytes. */
  bytesOnServer: boolean;
}

export interface SubjectBundle {
  format: typeof BUNDLE_FORMAT;
  subject: { kind: 'contact' | 'lead'; id: string };
  /** The same person under their other kind (a lead and the contact it was converted into). */
  linked: { kind: 'contact' | 'lead'; id: string }[];
  generatedAt: string;
  generatedBy: string;
  /** Where the records come from: the server, or the server and this device's unsynced changes. */
  sources: ('server' | 'device')[];
  /** Said when the bundle is not complete, e.g. made offline from the device alone. */
  note?: string;
  /** Records by entity name (the person's own rows first), as the sync protocol carries them. */
  records: Record<string, Record<string, unknown>[]>;
  attachments: BundleAttachment[];
  /** Audit entries about any of the records, oldest first. */
  audit: Record<string, unknown>[];
}

/** A CSV cell per RFC 4180; objects as JSON; a leading = + - @ neutralised (CSV injection, OWASP). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = ['id'];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `<entity>.csv` per entity with records, `attachments.csv` and `audit.csv`; names sorted. */
export function csvFiles(bundle: SubjectBundle): { name: string; text: string }[] {
  const files = Object.entries(bundle.records)
    .filter(([, rows]) => rows.length > 0)
    .map(([entity, rows]) => ({ name: `${entity}.csv`, text: toCsv(rows) }));
  if (bundle.attachments.length > 0) {
    files.push({ name: 'attachments.csv', text: toCsv(bundle.attachments as unknown as Record<string, unknown>[]) });
  }
  if (bundle.audit.length > 0) files.push({ name: 'audit.csv', text: toCsv(bundle.audit) });
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The server's bundle with a device's records laid over it: a record the device holds in a newer
 * state (changed offline, not yet pushed) replaces the server's, one the server does not have is
 * added. `local` holds only records about the person (the caller selects them).
 */
export function withDeviceRecords(
  bundle: SubjectBundle,
  local: Record<string, Record<string, unknown>[]>,
  note?: string,
): SubjectBundle {
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const [entity, rows] of Object.entries(bundle.records)) records[entity] = [...rows];
  for (const [entity, rows] of Object.entries(local)) {
    const list = records[entity] ?? [];
    for (const row of rows) {
      const at = list.findIndex((r) => r.id === row.id);
      if (at === -1) list.push(row);
      else if (String(row.updatedAt ?? '') > String(list[at]?.updatedAt ?? '')) list[at] = row;
    }
    records[entity] = list;
  }
  const sources = bundle.sources.includes('device') ? bundle.sources : [...bundle.sources, 'device' as const];
  return { ...bundle, records, sources, ...(note ? { note } : {}) };
}

/** A field of an entity that can point at a person: a ref to a contact or a lead, or an any-kind subject ref. */
export interface PersonRefField {
  entity: string;
  collection: string;
  field: string;
}

/** Every person reference of the registry's document entities (the person's own kinds left out). */
export function personRefFields(
  entities: readonly {
    name: string;
    storage: string;
    collection?: string;
    fields: Record<string, { type: string; ref?: string }>;
  }[],
): PersonRefField[] {
  return entities
    .filter((e) => e.storage === 'document' && e.collection !== undefined && e.name !== 'contact' && e.name !== 'lead')
    .flatMap((e) =>
      Object.entries(e.fields)
        .filter(
          ([, spec]) => spec.type === 'ref' && (spec.ref === 'contact' || spec.ref === 'lead' || spec.ref === '*'),
        )
        .map(([field]) => ({ entity: e.name, collection: String(e.collection), field })),
    );
}

/** The ids of the person under both kinds: a contact and the lead it was converted from, or the reverse. */
export function personIds(kind: 'contact' | 'lead', person: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!person) return [];
  const ids = [String(person.id)];
  const other = kind === 'contact' ? person.convertedFromLeadId : person.convertedContactId;
  if (typeof other === 'string' && other !== '') ids.push(other);
  return ids;
}
