/**
 * Which content to send a lead or contact next: what engaged records like it engaged with. Records
 * are alike when they engaged with the same content (weighted by how rare that content is) or,
 * for a record with no history yet, when they share an attribute such as industry. Content the
 * record has already seen is never recommended.
 */

export interface Interaction {
  readonly subjectId: string;
  readonly contentId: string;
}

export interface RecommendationInput {
  readonly subjectId: string;
  readonly interactions: readonly Interaction[];
  /** Content that may be sent (published, not archived). */
  readonly available: readonly string[];
  /** Attributes of records (e.g. industry), for the cold start. */
  readonly attributes?: ReadonlyMap<string, string | undefined>;
  readonly limit?: number;
}

export interface Recommendation {
  readonly contentId: string;
  readonly score: number;
  readonly reason: string;
}

export function recommendContent(input: RecommendationInput): Recommendation[] {
  const limit = input.limit ?? 5;
  const available = new Set(input.available);
  const bySubject = new Map<string, Set<string>>();
  const audience = new Map<string, number>();
  for (const { subjectId, contentId } of input.interactions) {
    const seen = bySubject.get(subjectId) ?? new Set<string>();
    if (!seen.has(contentId)) audience.set(contentId, (audience.get(contentId) ?? 0) + 1);
    seen.add(contentId);
    bySubject.set(subjectId, seen);
  }
  const mine = bySubject.get(input.subjectId) ?? new Set<string>();
  const scores = new Map<string, { score: number; peers: number }>();
  const credit = (contentId: string, weight: number) => {
    if (mine.has(contentId) || !available.has(contentId)) return;
    const s = scores.get(contentId) ?? { score: 0, peers: 0 };
    s.score += weight;
    s.peers++;
    scores.set(contentId, s);
  };

  let reason: (peers: number) => string;
  if (mine.size > 0) {
    // Similarity: shared items, each weighted by 1/log(1 + its audience) so blockbusters count less.
    for (const [other, seen] of bySubject) {
      if (other === input.subjectId) continue;
      let similarity = 0;
      for (const c of seen) if (mine.has(c)) similarity += 1 / Math.log(1 + (audience.get(c) ?? 1));
      if (similarity === 0) continue;
      for (const c of seen) credit(c, similarity);
    }
    reason = (peers) => `Engaged ${peers} record${peers === 1 ? '' : 's'} with the same interests`;
  } else {
    const attribute = input.attributes?.get(input.subjectId);
    for (const [other, seen] of bySubject) {
      if (attribute !== undefined && input.attributes?.get(other) !== attribute) continue;
      for (const c of seen) credit(c, 1);
    }
    reason = (peers) =>
      attribute === undefined
        ? `Popular: engaged ${peers} record${peers === 1 ? '' : 's'}`
        : `Popular in ${attribute}: engaged ${peers} record${peers === 1 ? '' : 's'}`;
  }
  return [...scores]
    .sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([contentId, s]) => ({ contentId, score: s.score, reason: reason(s.peers) }));
}
