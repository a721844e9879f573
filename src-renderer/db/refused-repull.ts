import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { Subscription } from 'rxjs';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import type { SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';

type State = RxReplicationState<StoredDoc, SyncCheckpoint>;
type Page = { documents: WireDoc[]; checkpoint: SyncCheckpoint | undefined };
type Fetch = (checkpoint: SyncCheckpoint | undefined, size: number) => Promise<Page>;
type IsEqual = (a: WireDoc, b: WireDoc) => boolean;

/** A page a pull fetched: where it started and the ids it brought. */
interface Fetched {
  from: SyncCheckpoint | undefined;
  ids: readonly string[];
}

/** One push, from its start until RxDB has stored its result (or it needs nothing more). */
export interface PushWindow {
  readonly pages: Fetched[];
}

/** Whether checkpoint `a` is before `b`; undefined is the start of time. Another epoch: not comparable. */
function before(a: SyncCheckpoint | undefined, b: SyncCheckpoint | undefined): boolean {
  if (a === undefined) return b !== undefined;
  if (b === undefined || a.epoch !== b.epoch) return false;
  const [ta, tb] = [BigInt(a.txid), BigInt(b.txid)];
  return ta !== tb ? ta < tb : a.id < b.id;
}

/**
 * A write the server refuses for good is answered by a newer server state the device must take:
 * the erasure guard's anonymised row or tombstone (sync-server/src/privacy/erasure-guard.ts), a
 * removed row's tombstone (resend-removed.ts). The server commits it before it answers the push.
 *
 * RxDB's downstream skips a pulled document while the device's copy differs from the master state
 * RxDB last stored for it (a local write still to push), and it stores the pushed state as that
 * master state only after the push handler has returned. A pull that ran in between (its request
 * after the server's commit, its page written before RxDB stored the push) skipped the server's
 * state and stored its checkpoint past it, so no later pull brought it: a note refused because its
 * person was erased stayed on the device for good (gdpr-erasure, once in CI). RxDB defers pulls a
 * change event asks for while it pushes, but not its first pull nor one already running.
 *
 * So the pages fetched while a push is open are noted; when the push had refusals, once RxDB has
 * stored its result (its replication meta announces it), the next pull starts again from the
 * earliest noted page that brought a refused id. Pulling a page again is harmless: RxDB ignores
 * documents it already holds. Rewinds happen only after refusals, which are rare.
 */
export class RefusedRepull {
  private readonly open = new Set<PushWindow>();
  /** Where the next pull starts instead, if earlier than asked; `{ to: undefined }`: from the start. */
  private rewind: { to: SyncCheckpoint | undefined } | undefined;

  constructor(private readonly isEqual: IsEqual) {}

  /** Wraps a page fetch: notes the page for the open pushes, and starts at the rewind point once. */
  fetching(fetch: Fetch): Fetch {
    return async (checkpoint, size) => {
      let from = checkpoint;
      if (this.rewind !== undefined) {
        if (before(this.rewind.to, checkpoint)) from = this.rewind.to;
        this.rewind = undefined;
      }
      const page = await fetch(from, size);
      if (this.open.size > 0 && page.documents.length > 0) {
        const fetched = { from, ids: page.documents.map((doc) => String(doc.id)) };
        for (const window of this.open) window.pages.push(fetched);
      }
      return page;
    };
  }

  /** At the start of a push, before its request is sent. */
  pushStarted(): PushWindow {
    const window: PushWindow = { pages: [] };
    this.open.add(window);
    return window;
  }

  /** The push failed: RxDB sends it again, with a window of its own. */
  pushFailed(window: PushWindow): void {
    this.open.delete(window);
  }

  /**
   * The server answered the push: with refusals (`refused`, the states sent), waits until RxDB has
   * stored them as the master states, then rewinds to the earliest page of the push's window that
   * brought one of their ids and asks for a pull (`resync`).
   */
  answered(window: PushWindow, refused: readonly WireDoc[], state: State | undefined, resync: () => void): void {
    if (refused.length === 0 || !state?.metaInstance) {
      this.open.delete(window);
      return;
    }
    const sent = new Map(refused.map((doc) => [String(doc.id), doc]));
    const settle = () => {
      subscription.unsubscribe();
      this.open.delete(window);
      const from = window.pages.filter((page) => page.ids.some((id) => sent.has(id))).map((page) => page.from);
      if (from.length === 0 || state.isStopped()) return;
      let to = this.rewind === undefined ? from[0] : this.rewind.to;
      for (const f of from) if (before(f, to)) to = f;
      this.rewind = { to };
      resync();
    };
    const subscription: Subscription = state.metaInstance.changeStream().subscribe((bulk) => {
      const stored = bulk.events.some((event) => {
        const meta = event.documentData;
        const doc = meta.isCheckpoint === '0' ? sent.get(meta.itemId) : undefined;
        return doc !== undefined && meta.docData !== undefined && this.isEqual(meta.docData as WireDoc, doc);
      });
      if (stored) settle();
    });
    // Stopped before RxDB stored the result: the push goes again when the replication restarts.
    subscription.add(
      state.canceled$.subscribe((canceled: boolean) => {
        if (canceled) {
          subscription.unsubscribe();
          this.open.delete(window);
        }
      }),
    );
  }
}
