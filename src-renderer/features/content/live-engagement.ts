import { BehaviorSubject, Observable, ReplaySubject, type Subscription, share, timer } from 'rxjs';
import type { LocalDatabase } from '../../db/create-database';
import { kindChanges, type RecordChange, scanKind } from '../../db/kind-records';
import type { Repositories } from '../../db/repositories';
import type { Interaction } from './content-engagement';
import { EngagementTally } from './engagement-tally';

type Plain = Record<string, unknown>;

/** Where the running totals read interactions: their count, a batched scan and their writes. */
export interface InteractionSource {
  count(): Promise<number>;
  scan(): AsyncIterable<readonly Plain[]>;
  changes(): Observable<readonly RecordChange[]>;
}

export interface EngagementState {
  /** 'counting' while the first scan runs: the tally holds what was read so far. */
  status: 'counting' | 'ready' | 'failed';
  /** Interactions counted, and (while counting) about how many there are. */
  counted: number;
  total: number;
  tally: EngagementTally;
  /** Goes up with every change of the tally (it is changed in place). */
  version: number;
}

/**
 * The engagement tally kept current: one scan of every interaction, then each write applied as it
 * comes. It listens before it scans and applies what was written meanwhile after, so no write is
 * lost, and the tally is keyed by interaction id, so none is counted twice.
 */
export class LiveEngagement {
  private readonly tally = new EngagementTally();
  private readonly subject: BehaviorSubject<EngagementState>;
  /** Writes seen while the scan runs, applied after it; undefined from then on. */
  private pending: (readonly RecordChange[])[] | undefined = [];
  private subscription: Subscription | undefined;
  private stopped = false;

  constructor(private readonly source: InteractionSource) {
    this.subject = new BehaviorSubject<EngagementState>({
      status: 'counting',
      counted: 0,
      total: 0,
      tally: this.tally,
      version: 0,
    });
  }

  get state$(): Observable<EngagementState> {
    return this.subject;
  }

  async start(): Promise<void> {
    this.subscription = this.source.changes().subscribe((changes) => {
      if (this.pending) {
        this.pending.push(changes);
        return;
      }
      this.put(changes);
      this.emit('ready');
    });
    try {
      const total = await this.source.count();
      this.emit('counting', total);
      for await (const batch of this.source.scan()) {
        if (this.stopped) return;
        for (const record of batch) this.tally.put(String(record.id), record as unknown as Interaction);
        this.emit('counting', Math.max(total, this.tally.size));
      }
      const held = this.pending ?? [];
      this.pending = undefined;
      for (const changes of held) this.put(changes);
      this.emit('ready');
    } catch (error) {
      console.warn('[content] engagement could not be counted', error);
      this.subscription?.unsubscribe();
      this.emit('failed');
    }
  }

  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subject.complete();
  }

  private put(changes: readonly RecordChange[]): void {
    for (const { id, record } of changes) this.tally.put(id, record as Interaction | undefined);
  }

  private emit(status: EngagementState['status'], total = this.tally.size): void {
    if (this.stopped) return;
    const { version } = this.subject.value;
    this.subject.next({ status, counted: this.tally.size, total, tally: this.tally, version: version + 1 });
  }
}

/** How long the totals are kept after the last screen showing them closes: coming back is instant. */
const ENGAGEMENT_LINGER_MS = 120_000;

const perDatabase = new WeakMap<LocalDatabase, Observable<EngagementState>>();

/** The database's live engagement, shared by every screen showing it, counted once per visit. */
export function engagementState$(db: LocalDatabase, repos: Repositories): Observable<EngagementState> {
  let shared = perDatabase.get(db);
  if (!shared) {
    shared = new Observable<EngagementState>((subscriber) => {
      const live = new LiveEngagement({
        count: () => repos.contentInteraction.count(),
        scan: () => scanKind(db, 'contentInteraction'),
        changes: () => kindChanges(db, 'contentInteraction'),
      });
      const subscription = live.state$.subscribe(subscriber);
      void live.start();
      return () => {
        subscription.unsubscribe();
        live.stop();
      };
    }).pipe(share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: () => timer(ENGAGEMENT_LINGER_MS) }));
    perDatabase.set(db, shared);
  }
  return shared;
}
