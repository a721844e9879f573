import type { CollectionName } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import type { ChangeFeed } from './change-feed';

/**
 * Announces a commit on the change feed only once a pull can see it. A pull serves rows below the
 * oldest running transaction (see pull.ts), so right after a commit another transaction still in
 * flight (a concurrent push, even one that ends in a conflict or a no-op; a writer in another
 * database of the cluster) can hold the row back. A device woken then would pull nothing and wait
 * for the next event, which may never come. So: remember the highest txid committed per collection
 * and poll the horizon until it has passed, then notify.
 */
export class HorizonNotifier {
  private readonly pending = new Map<CollectionName, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;

  constructor(
    private readonly db: Queryable,
    private readonly feed: ChangeFeed,
    private readonly pollMs = 20,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Call after the transaction that wrote `txid` in `collection` committed. */
  committed(collection: CollectionName, txid: string): void {
    if (this.closed) return;
    const value = BigInt(txid);
    if ((this.pending.get(collection) ?? -1n) < value) this.pending.set(collection, value);
    this.schedule(0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private schedule(delay: number): void {
    if (this.running || this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, delay);
  }

  private async check(): Promise<void> {
    this.running = true;
    try {
      const { rows } = await this.db.query<{ xmin: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
      );
      const horizon = BigInt(rows[0]?.xmin ?? '0');
      for (const [collection, txid] of this.pending) {
        if (txid < horizon) {
          this.pending.delete(collection);
          this.feed.notify(collection);
        }
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
    if (this.pending.size > 0) this.schedule(this.pollMs);
  }
}
