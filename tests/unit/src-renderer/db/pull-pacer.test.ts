import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { PAGES_AHEAD, pacedPull } from '../../../../src-renderer/db/pull-pacer';
import type { SyncCheckpoint, WireDoc } from '../../../../src-shared/sync/protocol';

/** Just what the pacer reads of an RxReplicationState: the meta storage's changes, errors, cancel. */
function fakeState() {
  const meta$ = new Subject<{ events: { documentData: Record<string, unknown> }[] }>();
  const error$ = new Subject<unknown>();
  const canceled$ = new BehaviorSubject(false);
  const state = {
    metaInstance: { changeStream: () => meta$.asObservable() },
    error$: error$.asObservable(),
    canceled$: canceled$.asObservable(),
    isStopped: () => canceled$.value,
  };
  const wrote = (checkpoint: SyncCheckpoint) =>
    meta$.next({ events: [{ documentData: { isCheckpoint: '1', itemId: 'down', checkpointData: checkpoint } }] });
  return { state, wrote, error$, canceled$ };
}

const cp = (txid: number, id = 'x'): SyncCheckpoint => ({ epoch: 'e', txid: String(txid), id });
const doc = { id: 'a' } as unknown as WireDoc;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function pager() {
  const asked: (SyncCheckpoint | undefined)[] = [];
  let n = 0;
  const fetch = async (checkpoint: SyncCheckpoint | undefined) => {
    asked.push(checkpoint);
    n++;
    return { documents: [doc], checkpoint: cp(n * 10) };
  };
  return { asked, fetch };
}

describe('pacedPull', () => {
  it('fetches ahead of the writes by PAGES_AHEAD pages, then waits for the oldest to be written', async () => {
    const f = fakeState();
    const p = pager();
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields the pacer reads
    const pull = pacedPull(() => f.state as any, p.fetch);
    let last = (await pull(undefined, 10)).checkpoint;
    for (let i = 0; i < PAGES_AHEAD; i++) last = (await pull(last, 10)).checkpoint; // none written yet
    expect(last).toEqual(cp((PAGES_AHEAD + 1) * 10));
    let next = false;
    const pending = pull(last, 10).then(() => {
      next = true;
    });
    await tick();
    expect(next).toBe(false); // PAGES_AHEAD pages unwritten: waits
    f.wrote(cp(5));
    await tick();
    expect(next).toBe(false); // an older checkpoint is not page 1's
    f.wrote(cp(10));
    await pending;
    expect(p.asked).toHaveLength(PAGES_AHEAD + 2);
    expect(p.asked[0]).toBeUndefined();
    // A write past several pages (RxDB merged them) counts for all of them.
    f.wrote(cp((PAGES_AHEAD + 2) * 10));
    for (let i = 0; i <= PAGES_AHEAD; i++) await pull(cp(0), 10);
    expect(p.asked).toHaveLength(2 * PAGES_AHEAD + 3);
  });

  it('is released by a replication error, a cancel, and an epoch change', async () => {
    for (const release of ['error', 'cancel', 'epoch'] as const) {
      const f = fakeState();
      const p = pager();
      // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields the pacer reads
      const pull = pacedPull(() => f.state as any, p.fetch);
      for (let i = 0; i <= PAGES_AHEAD; i++) await pull(cp(i * 10), 10);
      let done = false;
      const pending = pull(cp(PAGES_AHEAD * 10), 10).then(() => {
        done = true;
      });
      await tick();
      expect(done).toBe(false);
      if (release === 'error') f.error$.next(new Error('write failed'));
      else if (release === 'cancel') f.canceled$.next(true);
      else f.wrote({ epoch: 'other', txid: '1', id: '' });
      await pending;
      expect(p.asked).toHaveLength(PAGES_AHEAD + 2);
    }
  });

  it('passes pages through unchanged and does not wait before the replication has started', async () => {
    const p = pager();
    const pull = pacedPull(() => undefined, p.fetch);
    for (let i = 0; i < 4; i++) expect((await pull(undefined, 10)).documents).toEqual([doc]);
  });
});
