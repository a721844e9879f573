import { describe, expect, it } from 'vitest';
import { pushInParts } from '../../../../src-renderer/db/push-parts';
import type { PushRequest, PushResponse, WireDoc } from '../../../../src-shared/sync/protocol';

const rows = (count: number): PushRequest['rows'] =>
  Array.from({ length: count }, (_, i) => ({
    newDocumentState: { id: `c${i}`, kind: 'contact', _deleted: false } as unknown as WireDoc,
  }));

/** A server that refuses every 7th document and answers every 5th with a conflict. */
function server() {
  const requests: string[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const push = async (part: PushRequest['rows']): Promise<PushResponse> => {
    requests.push(part.map((r) => r.newDocumentState.id));
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    const n = (r: PushRequest['rows'][number]) => Number(r.newDocumentState.id.slice(1));
    return {
      conflicts: part.filter((r) => n(r) % 5 === 0).map((r) => r.newDocumentState),
      rejected: part.filter((r) => n(r) % 7 === 0).map((r) => ({ id: r.newDocumentState.id, reason: 'no' })),
    };
  };
  return { push, requests, mostInFlight: () => mostInFlight };
}

describe('pushInParts', () => {
  it('sends a large batch as concurrent parts, every document once, and answers with their union', async () => {
    const s = server();
    const batch = rows(1000);
    const answer = await pushInParts(s.push, batch, 2);
    expect(s.requests.map((r) => r.length)).toEqual([500, 500]);
    expect(s.mostInFlight()).toBe(2);
    expect(s.requests.flat()).toEqual(batch.map((r) => r.newDocumentState.id));
    expect(answer.conflicts.map((c) => c.id)).toEqual(
      batch.filter((_, i) => i % 5 === 0).map((r) => r.newDocumentState.id),
    );
    expect(answer.rejected).toHaveLength(Math.ceil(1000 / 7));
  });

  it('sends a small batch, or one with requests 1, whole', async () => {
    for (const [count, requests] of [
      [499, 2],
      [1000, 1],
      [1, 4],
    ] as const) {
      const s = server();
      await pushInParts(s.push, rows(count), requests);
      expect(s.requests.map((r) => r.length)).toEqual([count]);
    }
  });

  it('fails the batch when a part fails, only after the other part has answered', async () => {
    let settled = false;
    const push = async (part: PushRequest['rows']): Promise<PushResponse> => {
      if (part[0]?.newDocumentState.id === 'c0') throw new Error('network down');
      await new Promise((resolve) => setTimeout(resolve, 20));
      settled = true;
      return { conflicts: [], rejected: [] };
    };
    await expect(pushInParts(push, rows(600), 2)).rejects.toThrow('network down');
    // RxDB sends the batch again whole; the part still in flight must not race with that retry.
    expect(settled).toBe(true);
  });
});
