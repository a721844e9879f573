import { BehaviorSubject, bufferTime, filter, merge, type Observable, type Subscription } from 'rxjs';
import type { Classifier } from '../../../src-shared/ai/classifier';
import type { LocalDatabase } from '../../db/create-database';
import type { Repositories } from '../../db/repositories';
import {
  loadLeadModel,
  observeLeadModel,
  type RescoreProgress,
  readEngagement,
  rescoreLeads,
  saveLeadModel,
  scorableLeadIds,
  trainLeadModel,
  yieldToIdle,
} from './lead-model';
import type { RescoreContext } from './lead-scores';

export interface LeadScoringState {
  /** The model in use; undefined until trained once on this device. */
  readonly model?: Classifier;
  readonly training: boolean;
  /** How far a retrain is: reading the history, training, then scoring and writing the open leads. */
  readonly progress?: { readonly phase: 'reading' | 'training' } | RescoreProgress;
  /** Leads re-scored by the last retrain (written: changed and owned here). */
  readonly lastRun?: { readonly at: string; readonly scored: number; readonly written: number };
  readonly error?: string;
}

export interface LeadScoringOptions {
  readonly db: LocalDatabase;
  readonly repos: Repositories;
  readonly context: RescoreContext;
  readonly now?: () => Date;
  /** Changes are gathered this long before the leads they touch are re-scored. */
  readonly debounceMs?: number;
  /** First look at the schedule after start (startup work first), then every `checkEveryMs`. */
  readonly firstCheckMs?: number;
  readonly checkEveryMs?: number;
  /** A model older than this is retrained by the schedule. */
  readonly maxAgeMs?: number;
}

const HOUR_MS = 3_600_000;

interface ChangeEvent {
  documentData?: Record<string, unknown>;
  previousDocumentData?: Record<string, unknown>;
}

/** What a score write changes on a lead (with the stamps every write sets and RxDB's own fields). */
const SCORE_WRITE_FIELDS = new Set([
  'score',
  'scoreFactors',
  'rating',
  'scoredAt',
  'scoreRank',
  'updatedAt',
  'updatedBy',
]);

/** Whether a lead change is only a score written (here or synced in): nothing a re-score would read. */
function onlyScoreChanged(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (k.startsWith('_') || SCORE_WRITE_FIELDS.has(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) return false;
  }
  return true;
}

/**
 * The lead a change of the leads or activities collection is about, if any. A lead change that
 * only wrote its score is about none: a retrain's own writes would otherwise queue a re-read of
 * every lead it just scored.
 */
export function leadIdOfChange(event: ChangeEvent): string | undefined {
  const d = event.documentData;
  if (!d) return undefined;
  if (d.kind === 'lead' && typeof d.id === 'string') {
    const before = event.previousDocumentData;
    return before && onlyScoreChanged(before, d) ? undefined : d.id;
  }
  if (d.kind === 'leadActivity' && typeof d.leadId === 'string') return d.leadId;
  if (d.kind === 'contentInteraction' && d.subjectType === 'lead' && typeof d.subjectId === 'string')
    return d.subjectId;
  return undefined;
}

/** Whether the schedule should retrain now: no model yet, or one older than `maxAgeMs`. */
export function retrainDue(model: Pick<Classifier, 'trainedAt'> | undefined, now: Date, maxAgeMs: number): boolean {
  if (!model) return true;
  const trained = Date.parse(model.trainedAt);
  return !Number.isFinite(trained) || now.getTime() - trained >= maxAgeMs;
}

/**
 * Keeps lead scores current on this device: retrains on demand and on a schedule (in idle time,
 * chunked), and re-scores a lead shortly after it or its activities change. Writes follow
 * rescoreDecision: only the owner's device, only when something changed.
 */
export class LeadScoringService {
  readonly state$ = new BehaviorSubject<LeadScoringState>({ training: false });
  private readonly subscriptions: Subscription[] = [];
  private timers: ReturnType<typeof setTimeout>[] = [];
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly options: LeadScoringOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get state(): LeadScoringState {
    return this.state$.value;
  }

  private patch(next: Partial<LeadScoringState>) {
    this.state$.next({ ...this.state$.value, ...next });
  }

  async start(): Promise<void> {
    const { db } = this.options;
    this.patch({ model: await loadLeadModel(db.rx) });
    this.subscriptions.push(observeLeadModel(db.rx, (model) => this.patch({ model })));
    const changes = merge(db.rx.leads.$ as Observable<ChangeEvent>, db.rx.activities.$ as Observable<ChangeEvent>);
    this.subscriptions.push(
      changes
        .pipe(
          bufferTime(this.options.debounceMs ?? 1500),
          filter((events) => events.length > 0),
        )
        .subscribe((events) => {
          const ids = [...new Set(events.map(leadIdOfChange).filter((id): id is string => id !== undefined))];
          if (ids.length > 0) void this.rescore(ids);
        }),
    );
    this.schedule(this.options.firstCheckMs ?? 10 * 60_000);
  }

  private schedule(delay: number) {
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      void yieldToIdle().then(() => {
        if (retrainDue(this.state.model, this.now(), this.options.maxAgeMs ?? 24 * HOUR_MS)) void this.retrain();
      });
      this.schedule(this.options.checkEveryMs ?? HOUR_MS);
    }, delay);
    this.timers.push(timer);
  }

  /** One job at a time: a retrain and a re-score never interleave their writes. */
  private queue(job: () => Promise<void>): Promise<void> {
    this.running = this.running.then(job, job);
    return this.running;
  }

  /** Re-scores these leads with the current model; nothing before a first training. */
  rescore(leadIds: readonly string[]): Promise<void> {
    return this.queue(async () => {
      const model = this.state.model;
      if (!model) return;
      await rescoreLeads(this.options.repos, model, leadIds, this.options.context, { now: this.now });
    });
  }

  /** Trains from the local history, keeps the model, and re-scores the open leads this device owns. */
  retrain(): Promise<void> {
    return this.queue(async () => {
      this.patch({ training: true, error: undefined, progress: { phase: 'reading' } });
      try {
        const { repos, db, context } = this.options;
        // Every lead's engagement, read once: the closed leads train on it, the open ones are scored from it.
        const engagement = await readEngagement(repos);
        this.patch({ progress: { phase: 'training' } });
        const model = await trainLeadModel(repos, this.now(), engagement);
        await saveLeadModel(db.rx, model);
        this.patch({ model });
        const ids = await scorableLeadIds(repos, context);
        const written = await rescoreLeads(repos, model, ids, context, {
          now: this.now,
          engagement,
          onProgress: (progress) => this.patch({ progress }),
        });
        this.patch({ lastRun: { at: this.now().toISOString(), scored: ids.length, written } });
      } catch (error) {
        this.patch({ error: error instanceof Error ? error.message : String(error) });
      } finally {
        this.patch({ training: false, progress: undefined });
      }
    });
  }

  /** Resolves when the queued work is done (tests). */
  idle(): Promise<void> {
    return this.running;
  }

  stop(): void {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    for (const t of this.timers.splice(0)) clearTimeout(t);
  }
}
