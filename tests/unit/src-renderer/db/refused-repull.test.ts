import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RefusedRepull } from '../../../../src-renderer/db/refused-repull';
import type { SyncCheckpoint, WireDoc } from '../../../../src-shared/sync/protocol';

/** Just what RefusedRepull reads of an RxReplicationState: the meta storage's changes and cancel. */
function fakeState() {
  const meta$ = new Subject<{ events: { documentData: Record<string, unknown> }[] }>();
  const canceled$ = new BehaviorSubject(false);
  const state = {
    metaInstance: { changeStream: () => meta$.asObservable() },
    canceled$: canceled$.asObservable(),
    isStopped: () => canceled$.value,
  };
  /** RxDB stores `doc` as the master state of its id (what the upstream does after a push). */
  const stored = (doc: WireDoc) =>
    meta$.next({ events: [{ documentData: { isCheckpoint: '0', itemId: doc.id, docData: doc } }] });
  return { state, stored, canceled$, listeners: () => meta$.observed };
}

const cp = (txid: number, id = 'x', epoch = 'e'): SyncCheckpoint => ({ epoch, txid: String(txid), id });
const wire = (id: string, body = 'b'): WireDoc => ({ id, kind: 'note', body, _deleted: false });
const sameJson = (a: WireDoc, b: WireDoc) => JSON.stringify(a) === JSON.stringify(b);

/** A server of pages: each answer brings `next` documents and moves the checkpoint on by 10. */
function pager() {
  const asked: (SyncCheckpoint | undefined)[] = [];
  let next: string[] = [];
  let txid = 0;
  const fetch = async (checkpoint: SyncCheckpoint | undefined) => {
    asked.push(checkpoint);
    txid += 10;
    const documents = next.map((id) => wire(id));
    next = [];
    return { documents, checkpoint: cp(txid) };
  };
  const brings = (ids: string[]) => {
    next = ids;
  };
  return { asked, fetch, brings };
}

describe('RefusedRepull', () => {
  it('pulls again from before a page that brought a refused id, once RxDB has stored the push', async () => {
    const f = fakeState();
    const p = pager();
    const repull = new RefusedRepull(sameJson);
    const pull = repull.fetching(p.fetch);
    let resyncs = 0;

    const window = repull.pushStarted();
    p.brings(['other']);
    await pull(cp(5), 10); // during the push, without the refused id
    p.brings(['n1']);
    await pull(cp(10), 10); // the server's answer to the refused write, pulled too early
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(window, [wire('n1', 'mine')], f.state as any, () => resyncs++);
    expect(resyncs).toBe(0); // not before RxDB has stored the refused state
    f.stored(wire('n1', 'server')); // another meta write of the id (a downstream one) is not it
    expect(resyncs).toBe(0);
    f.stored(wire('n1', 'mine'));
    expect(resyncs).toBe(1);
    expect(f.listeners()).toBe(false);

    await pull(cp(20), 10);
    await pull(cp(30), 10);
    expect(p.asked).toEqual([cp(5), cp(10), cp(10), cp(30)]); // rewound once, to the page's start
  });

  it('leaves the pull alone when no page of the push brought a refused id, or none was refused', async () => {
    const f = fakeState();
    const p = pager();
    const repull = new RefusedRepull(sameJson);
    const pull = repull.fetching(p.fetch);
    let resyncs = 0;

    const accepted = repull.pushStarted();
    p.brings(['n1']);
    await pull(cp(5), 10);
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(accepted, [], f.state as any, () => resyncs++);
    expect(f.listeners()).toBe(false);

    const refused = repull.pushStarted();
    p.brings(['other']);
    await pull(cp(15), 10);
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(refused, [wire('n1')], f.state as any, () => resyncs++);
    f.stored(wire('n1'));
    // A page after the push was stored is written after it: RxDB applies it.
    p.brings(['n1']);
    await pull(cp(25), 10);
    expect(resyncs).toBe(0);
    expect(p.asked).toEqual([cp(5), cp(15), cp(25)]);
  });

  it('never rewinds forward, nor into another epoch, and forgets a push that failed or was stopped', async () => {
    const f = fakeState();
    const p = pager();
    const repull = new RefusedRepull(sameJson);
    const pull = repull.fetching(p.fetch);
    let resyncs = 0;

    const failed = repull.pushStarted();
    repull.pushFailed(failed);
    const window = repull.pushStarted();
    p.brings(['n1']);
    await pull(cp(50, 'x', 'old'), 10);
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(window, [wire('n1')], f.state as any, () => resyncs++);
    f.stored(wire('n1'));
    expect(resyncs).toBe(1);
    await pull(cp(60), 10); // the server's epoch changed meanwhile: no rewind across it
    expect(p.asked.at(-1)).toEqual(cp(60));

    const stopped = repull.pushStarted();
    p.brings(['n2']);
    await pull(cp(70), 10);
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(stopped, [wire('n2')], f.state as any, () => resyncs++);
    f.canceled$.next(true);
    expect(f.listeners()).toBe(false);
    f.stored(wire('n2'));
    expect(resyncs).toBe(1);
  });

  it('rewinds to the start when the page that brought the refused id was the first', async () => {
    const f = fakeState();
    const p = pager();
    const repull = new RefusedRepull(sameJson);
    const pull = repull.fetching(p.fetch);
    const window = repull.pushStarted();
    p.brings(['n1']);
    await pull(undefined, 10);
    // biome-ignore lint/suspicious/noExplicitAny: the fake carries only the fields RefusedRepull reads
    repull.answered(window, [wire('n1')], f.state as any, () => undefined);
    f.stored(wire('n1'));
    await pull(cp(10), 10);
    expect(p.asked).toEqual([undefined, undefined]);
  });
});
