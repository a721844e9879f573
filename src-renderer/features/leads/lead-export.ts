import type { ExportFilter } from '../../../src-shared/export/export-meta';
import type { Equality } from '../../db/entity-repository';
import { type InboxFilter, inboxQueries, type Lead } from './lead-inbox.queries';

/** The inbox's columns as fields (the score's reasons are not a field and stay on screen). */
export const LEAD_EXPORT_COLUMNS = [
  'score',
  'firstName',
  'lastName',
  'jobTitle',
  'companyName',
  'email',
  'status',
  'source',
  'ownerId',
  'lastActivityAt',
] as const;

export interface LeadExport {
  readonly title: string;
  /** The filters as the list queries them (status, owner, source): exported, or only named in the file. */
  readonly where: Record<string, Equality>[];
  /** With a lead list: exactly its members that pass the other filters, in the inbox's order. */
  readonly ids?: readonly string[];
  readonly extraFilters?: readonly ExportFilter[];
}

/**
 * What the Leads screen exports. Without a list, the filters are index queries the export reads
 * itself. A list's membership is not a field of the lead (it is a leadListMember record), so with a
 * list selected the export takes every member with the other filters applied, as the inbox reads
 * them for a list (all of them, not the page on screen: useLeadInbox's `listLeads`), titled with the
 * list's name; undefined until the list and its members are loaded.
 */
export function leadExport(
  filter: InboxFilter,
  list: { readonly id: string; readonly name: string } | undefined,
  rows: readonly Pick<Lead, 'id'>[] | undefined,
): LeadExport | undefined {
  const where = inboxQueries(filter).map((w) => (filter.source ? { ...w, source: filter.source } : w));
  if (!filter.listId) return { title: 'Leads', where };
  if (list?.id !== filter.listId || rows === undefined) return undefined;
  return {
    title: list.name,
    where,
    ids: rows.map((r) => r.id),
    extraFilters: [{ label: 'Lead list', value: list.name }],
  };
}
