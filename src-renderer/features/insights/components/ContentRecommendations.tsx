import '../insights.css';
import { useEffect, useState } from 'react';
import { type Recommendation, recommendContent } from '../../../../src-shared/ai/content-recommendations';
import { useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import type { Repositories } from '../../../db/repositories';

interface Shown extends Recommendation {
  readonly title: string;
  readonly type: string;
}

/**
 * What to send a lead or contact next: content that engaged records like it (same content
 * engaged, or for a record with no history, the same industry), never what it has seen.
 */
export async function recommendationsFor(
  repos: Repositories,
  subjectType: 'lead' | 'contact',
  subjectId: string,
  limit = 3,
): Promise<Shown[]> {
  const [interactions, published] = await Promise.all([
    repos.contentInteraction.list(),
    repos.content.list({ where: { status: 'published' } }),
  ]);
  const peers = interactions.filter((i) => i.subjectType === subjectType);
  let attributes: Map<string, string | undefined> | undefined;
  if (subjectType === 'lead') {
    const ids = [...new Set([subjectId, ...peers.map((i) => i.subjectId)])];
    attributes = new Map((await repos.lead.getMany(ids)).map((l) => [l.id, l.industry]));
  }
  const byId = new Map(published.map((c) => [c.id, c]));
  return recommendContent({
    subjectId,
    interactions: peers,
    available: published.map((c) => c.id),
    ...(attributes ? { attributes } : {}),
    limit,
  }).flatMap((r) => {
    const item = byId.get(r.contentId);
    return item ? [{ ...r, title: item.title, type: item.type }] : [];
  });
}

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The top three pieces of content to send next, each with why; each opens the content item. */
export function ContentRecommendations({
  subjectType,
  subjectId,
  className,
}: {
  subjectType: 'lead' | 'contact';
  subjectId: string;
  className?: string;
}) {
  const repos = useRepos();
  const open = useNavigation((s) => s.open);
  const [items, setItems] = useState<Shown[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setItems(undefined);
    void recommendationsFor(repos, subjectType, subjectId).then((r) => live && setItems(r));
    return () => {
      live = false;
    };
  }, [repos, subjectType, subjectId]);
  return (
    <section className={`section insight-card content-recs ${className ?? ''}`} aria-label="Recommended content">
      <h3>Send next</h3>
      {items === undefined ? (
        <p className="muted">Finding content…</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing to recommend yet: no published content engaged similar records.</p>
      ) : (
        <ol className="insight-recs">
          {items.map((r) => (
            <li key={r.contentId}>
              <button type="button" className="link-button" onClick={() => open('content', r.contentId)}>
                {r.title}
              </button>
              <span className="badge">{words(r.type)}</span>
              <span className="muted insight-why">{r.reason}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
