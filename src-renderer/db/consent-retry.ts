import { consentNeed } from '../../src-shared/consent/consent-rules';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { PushResponse } from '../../src-shared/sync/protocol';
import type { SyncReviewStore } from './sync-review';

/**
 * Consents and communications sync in different collections, each pushed on its own, so an email
 * logged right after a consent given offline can reach the server before the consent does: the
 * server's consent check (sync-server/src/consent/consent-gate.ts) refuses it and the device sets
 * it aside. Nothing the user did was wrong, so nobody should have to press "Try again": once the
 * server has accepted a consent for a person, each communication to them set aside for a consent
 * refusal is sent again (`retryRejected`: audited, pushed again), once per record and session, so
 * a refusal that stands (the consent was a withdrawal, or another channel's) stays set aside.
 * Both orders are covered: the consent accepted after the refusal was recorded (the settings push
 * retries) or before (the activities push that brought the refusal retries).
 */

type Review = Pick<SyncReviewStore, 'list' | 'retryRejected'>;

/** What a push handler tells it after each push: the collection, the rows sent and the answer. */
export type AfterPush = (
  collection: CollectionName,
  rows: readonly { newDocumentState: unknown }[],
  response: PushResponse,
) => Promise<void>;

export function consentRetry(review: Review): AfterPush {
  /** People whose consent records the server accepted in this session. */
  const consented = new Set<string>();
  /** Rejection items already sent again automatically. */
  const retried = new Set<string>();

  async function retry(): Promise<void> {
    if (consented.size === 0) return;
    const { rejections } = await review.list();
    for (const item of rejections) {
      if (retried.has(item.id) || item.kind !== 'communication' || !/consent/.test(item.reason)) continue;
      if (item.field !== 'contactId' && item.field !== 'leadId') continue;
      if (!(consentNeed(item.rejected)?.people ?? []).some((p) => consented.has(p.id))) continue;
      retried.add(item.id);
      await review.retryRejected(item.id);
    }
  }

  return async (collection, rows, response) => {
    if (collection === 'settings') {
      const refused = new Set([...response.rejected.map((r) => r.id), ...response.conflicts.map((c) => c.id)]);
      let any = false;
      for (const { newDocumentState } of rows) {
        const doc = newDocumentState as Record<string, unknown>;
        if (doc.kind !== 'consent' || refused.has(String(doc.id)) || typeof doc.subjectId !== 'string') continue;
        consented.add(doc.subjectId);
        any = true;
      }
      if (any) await retry();
    } else if (collection === 'activities' && response.rejected.length > 0) {
      await retry();
    }
  };
}
