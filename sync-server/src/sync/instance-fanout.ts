import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { COLLECTIONS, type CollectionName } from '../../../src-shared/schema/define-entity';
import { isCollectionName } from '../../../src-shared/sync/protocol';
import type { Queryable } from '../db/database';

/** The Postgres channel instances announce their commits on (PROTOCOL.md, "Several instances"). */
export const CHANGES_CHANNEL = 'crm_sync_changes';

/** A notification's payload: the instance that sent it and the collections it announced. */
export interface ChangesPayload {
  from: string;
  collections: CollectionName[];
}

export interface InstanceFanoutOptions {
  /** Sends the NOTIFY (a pooled query, after the commit and after the horizon passed it). */
  db: Queryable;
  /** A new, unconnected client for the LISTEN connection: its own, never one of the pool's. */
  newClient: () => pg.Client;
  /** Wakes this instance's streams for these collections (the change feed). */
  wake: (collections: readonly CollectionName[]) => void;
  /** Collections woken when notifications may have been missed (the LISTEN connection came back). */
  collections?: readonly CollectionName[];
  /** At most one NOTIFY per this many milliseconds; changes in between go out together. */
  windowMs?: number;
  /** First wait before connecting again; doubles per failure up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown, context: string) => void;
}

/**
 * Fans announced changes out between sync server instances on one database, through Postgres
 * LISTEN/NOTIFY. The horizon notifier announces a collection once a pull can see its commit, on
 * this instance's feed and here: a NOTIFY goes out on the channel (never inside the writing
 * transaction, so a push does not wait for it), coalesced so that a burst of writes sends at most
 * one per `windowMs` (the first at once, the rest at the end of the window, all collections in one
 * payload). Every instance LISTENs on a dedicated connection and wakes its own streams for the
 * collections another instance announced; a device then pulls as it would anyway, so a notification
 * is only a hint and the pull's no-skip horizon stays the source of truth. When the LISTEN
 * connection drops it is opened again with backoff, and every collection is woken once (a change
 * announced while it was down was missed).
 */
export class InstanceFanout {
  /** This instance's id, so that it ignores its own notifications (its streams were woken locally). */
  readonly instanceId = randomUUID();
  private readonly windowMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly collections: readonly CollectionName[];

  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connectFailures = 0;
  /** A change may have been announced while there was no LISTEN connection: wake all on connect. */
  private missed = false;
  private closed = false;

  private readonly outgoing = new Set<CollectionName>();
  private sendTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private sending: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private sendFailures = 0;

  /** Counters for logs and tests. */
  readonly stats = { sent: 0, received: 0, connects: 0, wakeAlls: 0 };

  constructor(private readonly options: InstanceFanoutOptions) {
    this.windowMs = options.windowMs ?? 5;
    this.minBackoffMs = options.minBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.collections = options.collections ?? COLLECTIONS;
  }

  /** Opens the LISTEN connection; resolves when it listens, or after a first failure (then retried). */
  async start(): Promise<void> {
    if (this.closed || this.client !== undefined) return;
    await this.connect();
  }

  /** Whether the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Call when a change in `collection` is visible to pulls (the horizon notifier announced it). */
  publish(collection: CollectionName): void {
    if (this.closed) return;
    this.outgoing.add(collection);
    this.scheduleSend();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.clearSendTimer();
    // What is queued goes out: the other instances' devices would otherwise wait for their next event.
    await this.sending;
    if (this.outgoing.size > 0) await this.send();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private clearSendTimer(): void {
    if (this.sendTimer === undefined) return;
    clearTimeout(this.sendTimer as NodeJS.Timeout);
    clearImmediate(this.sendTimer as NodeJS.Immediate);
    this.sendTimer = undefined;
  }

  private scheduleSend(): void {
    if (this.closed || this.sending !== undefined || this.sendTimer !== undefined || this.outgoing.size === 0) return;
    const backoff = this.sendFailures === 0 ? 0 : Math.min(this.maxBackoffMs, this.windowMs * 2 ** this.sendFailures);
    const wait = Math.max(backoff, this.lastSentAt + this.windowMs - performance.now());
    const run = () => {
      this.sendTimer = undefined;
      this.sending = this.send().finally(() => {
        this.sending = undefined;
        this.scheduleSend();
      });
    };
    // An immediate even when nothing holds it back: the announcements of one tick go out together.
    this.sendTimer = wait <= 0 ? setImmediate(run) : setTimeout(run, wait);
  }

  private async send(): Promise<void> {
    const collections = [...this.outgoing];
    this.outgoing.clear();
    this.lastSentAt = performance.now();
    const payload: ChangesPayload = { from: this.instanceId, collections };
    try {
      await this.options.db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(payload)]);
      this.stats.sent++;
      this.sendFailures = 0;
    } catch (error) {
      // Kept for the next try; a set, so a long outage queues each collection once.
      for (const collection of collections) this.outgoing.add(collection);
      this.sendFailures++;
      this.options.onError?.(error, 'notify');
    }
  }

  private received(payload: string | undefined): void {
    let parsed: Partial<ChangesPayload>;
    try {
      parsed = JSON.parse(payload ?? '') as Partial<ChangesPayload>;
    } catch {
      return; // Not ours: someone else NOTIFYing on the channel.
    }
    if (parsed.from === this.instanceId || !Array.isArray(parsed.collections)) return;
    const collections = parsed.collections.filter(
      (c): c is CollectionName => typeof c === 'string' && isCollectionName(c),
    );
    this.stats.received++;
    if (collections.length > 0) this.options.wake(collections);
  }

  private async connect(): Promise<void> {
    const client = this.options.newClient();
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.received(message.payload);
    });
    // A dropped connection (server restart, pg_terminate_backend, network) is reported as an error and an end.
    client.on('error', (error) => {
      this.options.onError?.(error, 'listen connection');
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.options.onError?.(error, 'listen connect');
      this.lost(client);
      return;
    }
    if (this.client !== client) return; // Lost or closed while connecting.
    this.connectFailures = 0;
    this.stats.connects++;
    if (this.missed) {
      this.missed = false;
      this.stats.wakeAlls++;
      this.options.wake(this.collections);
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return; // Already handled (an error is followed by an end).
    this.client = undefined;
    this.missed = true;
    client.end().catch(() => {});
    if (this.closed) return;
    const delay = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.connectFailures);
    this.connectFailures++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) void this.connect();
    }, delay);
  }
}
