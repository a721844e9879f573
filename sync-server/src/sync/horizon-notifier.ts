import type { CollectionName } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import type { ChangeFeed } from './change-feed';

/**
 * Announces a commit on the change feed only once a pull can see it. A pull serves rows below the
 * oldest running transaction (see pull.ts), so right after a commit another transaction still in
 * flight (a concurrent push, even one that ends in a conflict or a no-op; a writer in another
 * database of the cluster) can hold the row back. A device woken then would pull nothing and wait
 * for the next event, which may never come. So: remember the highest txid committed per collection
 * and check the horizon until it has passed, then notify.
 *
 * The first check runs as soon as the commit is reported: usually nothing else is running and the
 * commit is announced at once. When something holds the horizon back it is most often another push
 * of the same moment (a device pushes its audit entries alongside the records), which ends within a
 * few milliseconds; so the checks back off from 1 ms, doubling up to `pollMs` (B6: a flat 20 ms
 * poll added up to 20 ms to a write's latency on the other device whenever two pushes overlapped).
 */
export class HorizonNotifier {
  private readonly pending = new Map<CollectionName, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private closed = false;
  /** A commit was reported after the running check read the horizon: check again at once. */
  private fresh = false;
  /** Checks in a row that announced nothing, for the back-off. */
  private misses = 0;

  constructor(
    private readonly db: Queryable,
    private readonly feed: Pick<ChangeFeed, 'notify'>,
    private readonly pollMs = 20,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Call after the transaction that wrote `txid` in `collection` committed. */
  committed(collection: CollectionName, txid: string): void {
    if (this.closed) return;
    const value = BigInt(txid);
    if ((this.pending.get(collection) ?? -1n) < value) this.pending.set(collection, value);
    this.fresh = true;
    this.misses = 0;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.schedule(0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.pending.clear();
  }

  private schedule(delay: number): void {
    if (this.running || this.timer !== undefined || this.immediate !== undefined || this.closed) return;
    const run = () => {
      this.timer = undefined;
      this.immediate = undefined;
      void this.check();
    };
    // setTimeout(0) waits at least 1 ms; the first check should not.
    if (delay <= 0) this.immediate = setImmediate(run);
    else this.timer = setTimeout(run, delay);
  }

  private async check(): Promise<void> {
    this.running = true;
    this.fresh = false;
    let announced = false;
    try {
      const { rows } = await this.db.query<{ xmin: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
      );
      const horizon = BigInt(rows[0]?.xmin ?? '0');
      for (const [collection, txid] of this.pending) {
        if (txid < horizon) {
          this.pending.delete(collection);
          this.feed.notify(collection);
          announced = true;
        }
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
    if (this.pending.size === 0) {
      this.misses = 0;
      return;
    }
    if (this.fresh) {
      this.misses = 0;
      this.schedule(0);
      return;
    }
    this.misses = announced ? 0 : this.misses + 1;
    this.schedule(Math.min(this.pollMs, 2 ** (this.misses - 1)));
  }
}
