import { combineLatest, from, map, type Observable, of, switchMap } from 'rxjs';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';

type Company = EntityRecord<Repositories['company']['entity']>;
type Research = EntityRecord<Repositories['companyResearch']['entity']>;

/** How far up a hierarchy is followed; a deeper chain (or a loop made by two offline edits) stops here. */
export const MAX_DEPTH = 12;

/**
 * The company's ancestors, root first, read one record at a time up the parent references.
 * A loop (A → B → A, possible when two devices re-parent offline) ends the walk where it repeats.
 */
export async function ancestorsOf(repos: Repositories, company: Company): Promise<Company[]> {
  const chain: Company[] = [];
  const seen = new Set([company.id]);
  let parentId = company.parentCompanyId;
  while (parentId && !seen.has(parentId) && chain.length < MAX_DEPTH) {
    seen.add(parentId);
    const parent = await repos.company.get(parentId);
    if (!parent || parent.isDeleted) break;
    chain.unshift(parent);
    parentId = parent.parentCompanyId;
  }
  return chain;
}

export interface Hierarchy {
  readonly ancestors: readonly Company[];
  readonly children: readonly Company[];
}

/** A company's place in its hierarchy, live: the chain above it and the companies directly below. */
export function observeHierarchy(repos: Repositories, companyId: string, limit = 100): Observable<Hierarchy> {
  const ancestors = repos.company
    .observeOne(companyId)
    .pipe(switchMap((company) => (company ? from(ancestorsOf(repos, company)) : of([]))));
  const children = repos.company.observe({ where: { parentCompanyId: companyId }, limit });
  return combineLatest([ancestors, children]).pipe(map(([a, c]) => ({ ancestors: a, children: c })));
}

/** The newest research first by when it was researched (not when the record reached this device). */
export function latestResearch(records: readonly Research[]): Research[] {
  return [...records].sort((a, b) =>
    a.researchedAt === b.researchedAt ? (a.id < b.id ? -1 : 1) : a.researchedAt < b.researchedAt ? 1 : -1,
  );
}

export interface ResearchSource {
  readonly label: string;
  readonly url?: string;
}

/** The sources a brief cites, from `insights.sources` (URLs, or {url, title}); none when it names none. */
export function researchSources(insights: unknown): ResearchSource[] {
  const raw = (insights as { sources?: unknown } | undefined)?.sources;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s): ResearchSource[] => {
    if (typeof s === 'string') return [{ label: s, ...(/^https?:\/\//.test(s) ? { url: s } : {}) }];
    if (s && typeof s === 'object') {
      const { url, title, name } = s as { url?: unknown; title?: unknown; name?: unknown };
      const link = typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
      const label = [title, name, url].find((v) => typeof v === 'string');
      return typeof label === 'string' ? [{ label, ...(link ? { url: link } : {}) }] : [];
    }
    return [];
  });
}

/** Who produced a brief: `insights.provider` when the generator recorded it. */
export function researchProvider(insights: unknown): string | undefined {
  const provider = (insights as { provider?: unknown } | undefined)?.provider;
  return typeof provider === 'string' && provider !== '' ? provider : undefined;
}
