import type { contentEntity, contentInteractionEntity } from '../../../src-shared/entities/content.entity';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { EngagementTally } from './engagement-tally';

export type Content = EntityRecord<typeof contentEntity>;
export type Interaction = EntityRecord<typeof contentInteractionEntity>;
export type InteractionType = Interaction['type'];

/** The counts a marketer reads first; watching a video or webinar counts as viewing it. */
export const ENGAGEMENT_KINDS = ['views', 'opens', 'downloads', 'clicks', 'shares', 'forms', 'reactions'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export const ENGAGEMENT_LABELS: Record<EngagementKind, string> = {
  views: 'Views',
  opens: 'Email opens',
  downloads: 'Downloads',
  clicks: 'Clicks',
  shares: 'Shares',
  forms: 'Form fills',
  reactions: 'Likes & comments',
};

export interface Engagement {
  total: number;
  counts: Record<EngagementKind, number>;
  /** Distinct leads and contacts who engaged. */
  people: number;
  lastAt?: string;
  /** Interactions per week, oldest first, the last bucket ending now. */
  weekly: number[];
}

export function emptyEngagement(weeks: number): Engagement {
  return {
    total: 0,
    counts: { views: 0, opens: 0, downloads: 0, clicks: 0, shares: 0, forms: 0, reactions: 0 },
    people: 0,
    weekly: Array.from({ length: weeks }, () => 0),
  };
}

/**
 * Engagement per content item from its interactions (deleted ones left out): counts by kind,
 * unique people (subjectType + subjectId), the last interaction and a weekly series for a sparkline.
 */
export function engagementByContent(
  interactions: readonly Interaction[],
  now: Date,
  weeks = 12,
): Map<string, Engagement> {
  const tally = new EngagementTally();
  for (const interaction of interactions) tally.put(interaction.id, interaction);
  return tally.snapshot(now, weeks);
}

export const CONTENT_SORTS = ['engagement', 'people', 'recent', 'newest', 'title'] as const;
export type ContentSort = (typeof CONTENT_SORTS)[number];

export const CONTENT_SORT_LABELS: Record<ContentSort, string> = {
  engagement: 'Most engagement',
  people: 'Most people reached',
  recent: 'Engaged most recently',
  newest: 'Newest published',
  title: 'Title A–Z',
};

export interface ContentFilter {
  type?: Content['type'] | '';
  status?: Content['status'] | '';
  text?: string;
}

export interface ContentRow {
  content: Content;
  engagement: Engagement;
}

/** The library as shown: filtered by type, status and words in title, topic or tags; sorted. */
export function libraryRows(
  content: readonly Content[],
  engagement: ReadonlyMap<string, Engagement>,
  filter: ContentFilter,
  sort: ContentSort,
  weeks = 12,
): ContentRow[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const rows = content
    .filter((c) => !c.isDeleted)
    .filter((c) => !filter.type || c.type === filter.type)
    .filter((c) => !filter.status || c.status === filter.status)
    .filter(
      (c) =>
        needle === '' ||
        [c.title, c.topic ?? '', ...(c.tags ?? [])].some((text) => text.toLowerCase().includes(needle)),
    )
    .map((c) => ({ content: c, engagement: engagement.get(c.id) ?? emptyEngagement(weeks) }));
  const byTitle = (a: ContentRow, b: ContentRow) => a.content.title.localeCompare(b.content.title);
  const compare: Record<ContentSort, (a: ContentRow, b: ContentRow) => number> = {
    engagement: (a, b) => b.engagement.total - a.engagement.total || byTitle(a, b),
    people: (a, b) => b.engagement.people - a.engagement.people || b.engagement.total - a.engagement.total,
    recent: (a, b) => (b.engagement.lastAt ?? '').localeCompare(a.engagement.lastAt ?? '') || byTitle(a, b),
    newest: (a, b) =>
      (b.content.publishedAt ?? b.content.createdAt).localeCompare(a.content.publishedAt ?? a.content.createdAt),
    title: byTitle,
  };
  return rows.sort(compare[sort]);
}

/** 8935726 → "8.5 MB". */
export function fileSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
