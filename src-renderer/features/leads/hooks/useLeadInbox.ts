import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { filter as keepIf, map, type Observable } from 'rxjs';
import type { LocalDatabase } from '../../../db/create-database';
import type { Repositories } from '../../../db/repositories';
import { COUNT_CAP, observeTotal, type PageSource } from '../../../ui/live-pages';
import { FIRST_PAGE_SIZE, useRevealTarget } from '../../../ui/usePagedList';
import { type InboxFilter, inboxQueries, type Lead, matchesInbox, observeInbox } from '../lead-inbox.queries';
import {
  INBOX_PAGE_SIZE,
  type InboxReader,
  type InboxSnapshot,
  openInbox,
  readAheadInbox,
} from '../lead-inbox-pages.queries';

/** Ids of the leads each write to the device's leads collection touches (edits, creations, sync). */
export function leadChanges(db: LocalDatabase): Observable<readonly string[]> {
  return db.rx.leads.eventBulks$.pipe(
    map((bulk) =>
      bulk.events
        .filter((event) => (event.documentData ?? event.previousDocumentData)?.kind === 'lead')
        .map((event) => event.documentId),
    ),
    keepIf((ids) => ids.length > 0),
  );
}

export interface LeadInbox {
  /** The leads read so far, in inbox order, live; undefined until the first page is there. */
  rows: readonly Lead[] | undefined;
  /** How many leads match (see totalCapped); undefined until counted. */
  total: number | undefined;
  /** More than `total` match: COUNT_CAP reached, or a source filter whose leads are not all read yet. */
  totalCapped: boolean;
  loadMore: () => void;
  /** The rows are still the previous filter's. */
  busy: boolean;
  /** Every lead of a lead list that passes the filters (what its export takes); undefined without a list. */
  listLeads: readonly Lead[] | undefined;
}

interface Shown {
  of: InboxFilter | undefined;
  rows: readonly Lead[] | undefined;
  hasMore: boolean;
}

/**
 * The inbox under `filter`, a page at a time. Without a list: InboxPages (the ranks of the score
 * order, each keyset-paged and live; openInbox), counted by the filter's index queries up to
 * COUNT_CAP ("10,000+"). A source is answered by no index, so its count would walk
 * every lead of the statuses: it shows the leads read so far, with a "+" while more may match.
 * With a list: the list's leads (observeListLeads, bounded by the list), shown a page at a time
 * from memory and counted exactly. The lead `selectedId` (the one open beside the inbox, perhaps by a
 * link) is read to, so its row is shown however far down it is.
 */
export function useLeadInbox(
  db: LocalDatabase,
  repos: Repositories,
  filter: InboxFilter,
  selectedId?: string,
): LeadInbox {
  const [shown, setShown] = useState<Shown>({ of: undefined, rows: undefined, hasMore: false });
  const [counted, setCounted] = useState<{ of: InboxFilter | undefined; total: number }>({ of: undefined, total: 0 });
  const [listLeads, setListLeads] = useState<{ of: InboxFilter; leads: readonly Lead[] } | undefined>(undefined);
  const [listShown, setListShown] = useState(0);
  const pages = useRef<InboxReader | undefined>(undefined);
  const changes$ = useMemo(() => leadChanges(db), [db]);

  useEffect(() => {
    if (filter.listId) return;
    const inbox = openInbox(repos.lead, filter, (s: InboxSnapshot) =>
      setShown({ of: filter, rows: s.rows, hasMore: s.hasMore }),
    );
    pages.current = inbox;
    return () => {
      inbox.close();
      pages.current = undefined;
    };
  }, [repos, filter]);

  useEffect(() => {
    if (!filter.listId) return;
    setListShown(FIRST_PAGE_SIZE);
    const subscription = observeInbox(repos, filter, changes$).subscribe((leads) =>
      setListLeads({ of: filter, leads }),
    );
    return () => subscription.unsubscribe();
  }, [repos, filter, changes$]);

  // The selected lead's row, if the filter shows it: read to (a new filter's reader too), or a list shown to it.
  const target = useRevealTarget(repos.lead, selectedId, (lead) => matchesInbox(lead, filter));
  const targetId = target?.id;
  const targetIndex = useMemo(
    () => (targetId && listLeads?.of === filter ? listLeads.leads.findIndex((l) => l.id === targetId) : -1),
    [targetId, listLeads, filter],
  );
  useEffect(() => {
    if (!filter.listId) pages.current?.reveal(target);
  }, [filter, target]);
  useEffect(() => {
    if (targetIndex >= 0) setListShown((n) => Math.max(n, targetIndex + 1));
  }, [targetIndex]);

  // Counted at once, beside the first page (LivePages waits 300 ms after it): the inbox's first
  // page is several small reads, one per score rank, and its header has always shown the count
  // with the rows. A count reads at most COUNT_CAP + 1 index keys per status.
  useEffect(() => {
    if (filter.listId || filter.source) return;
    const source = repos.lead as unknown as PageSource<Lead>;
    const subscription = observeTotal(source, { where: inboxQueries(filter) }, COUNT_CAP).subscribe((total) =>
      setCounted({ of: filter, total }),
    );
    return () => subscription.unsubscribe();
  }, [repos, filter]);

  // The other status choices' first pages, read while idle once this filter's rows are shown.
  const shownOf = shown.of === filter && shown.rows !== undefined;
  useEffect(() => (shownOf ? readAheadInbox(repos.lead, filter) : undefined), [repos, filter, shownOf]);

  const loadMore = useCallback(() => {
    if (filter.listId) setListShown((n) => n + INBOX_PAGE_SIZE);
    else pages.current?.loadMore();
  }, [filter.listId]);

  if (filter.listId) {
    const leads = listLeads?.of === filter ? listLeads.leads : undefined;
    return {
      // A page at a time from memory; the previous list's rows while this one is read.
      rows: listLeads?.leads.slice(0, listShown),
      total: leads?.length,
      totalCapped: false,
      loadMore,
      busy: leads === undefined,
      listLeads: leads,
    };
  }
  const current = shown.of === filter;
  const rows = shown.rows;
  if (filter.source) {
    const total = current && rows ? rows.length : undefined;
    return { rows, total, totalCapped: current && shown.hasMore, loadMore, busy: !current, listLeads: undefined };
  }
  const total = counted.of === filter ? Math.min(counted.total, COUNT_CAP) : undefined;
  return {
    rows,
    total,
    totalCapped: counted.of === filter && counted.total > COUNT_CAP,
    loadMore,
    busy: !current || rows === undefined,
    listLeads: undefined,
  };
}
