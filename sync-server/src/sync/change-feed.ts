import type { CollectionName } from '../../../src-shared/schema/define-entity';
import type { StreamEvent } from '../../../src-shared/sync/protocol';

export type ChangeListener = (event: StreamEvent) => void;

/**
 * Tells open streams which collections changed. In-process: one server instance. Notifications of
 * one tick are coalesced, one event per collection, so a push of 2,000 documents wakes each device
 * once. Several instances on one database also feed it from Postgres LISTEN/NOTIFY (instance-fanout.ts).
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly pending = new Set<CollectionName>();
  private scheduled = false;

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Call after the change committed: a device that pulls on the event must see it. */
  notify(collection: CollectionName): void {
    this.pending.add(collection);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const collections = [...this.pending];
    this.pending.clear();
    for (const collection of collections) {
      for (const listener of this.listeners) listener({ collection });
    }
  }
}
