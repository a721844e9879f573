import type { Database, Queryable } from '../db/database';
import { PollingLoop } from '../polling-loop';
import { lockAgainstErasure } from '../privacy/erasure-lock';
import { type DateReachedReport, dateReachedTick } from './date-reached';
import { InvalidWorkflowError, type Job, type JobResult, runJob } from './run-job';
import { scheduleTick, type TickReport } from './scheduler';
import { type Delivery, deliverWebhook } from './webhooks';

/**
 * The automation worker: drains the outbox (`automation_jobs`) and ticks the scheduler, on a timer
 * once started. A job is claimed with FOR UPDATE SKIP LOCKED, so workers of several server
 * instances share the queue and never run one job twice; it is run under a savepoint in the same
 * transaction that marks it done and logs the run in `workflow_runs`. A run that throws is rolled
 * back to the savepoint (nothing of it written), logged 'failed' with the reason, and retried later
 * with a doubling delay until `maxAttempts`; then the job stays 'failed' for an administrator.
 */

export interface AutomationOptions {
  db: Database;
  now?: () => Date;
  newId?: () => string;
  /** Between timer rounds (scheduler tick + draining the outbox). */
  pollMs?: number;
  /** Between scans for reached dates (dateReached workflows): each scans its kind's table. */
  dateReachedEveryMs?: number;
  /** Runs of one job before it is left 'failed'. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles it. */
  retryDelayMs?: number;
  /** Jobs run at once (each on its own connection); at most the database's parallelism. */
  concurrency?: number;
  /** Told after a run's writes committed, per collection, with the highest txid (the change feed). */
  onCommitted?(collection: string, txid: string): void;
  onError?(error: unknown): void;
  /** A webhook call's timeout (webhooks.ts); `fetch` for tests. */
  webhookTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface JobOutcome {
  jobId: string;
  outcome: 'planned' | 'skipped' | 'failed';
  reason?: string;
}

const CLAIM = `SELECT id::text AS id, workflow_id, entity_kind, record_id, event, period, before_doc, after_doc, attempts
FROM automation_jobs WHERE status = 'pending' AND run_after <= $1::timestamptz
  AND ($2::bigint IS NULL OR id = $2::bigint)
ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED`;

const LOG_RUN = `INSERT INTO workflow_runs
  (job_id, workflow_id, entity_kind, record_id, event, period, outcome, reason, actions, attempt, ran_at, workflow_version)
VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11::timestamptz, $12)`;

/**
 * Deadlock (40P01) and serialization failure (40001): the database aborted the run for what
 * another transaction did, not for the workflow. Likely beside the audit chain, whose head row every
 * audit insert locks until commit (1796006174780_audit_chain.ts): a writer holding the head that
 * waits for a row the run locked closes a cycle. Tried again at once, a few times, before counting
 * as a failed attempt.
 */
const TRANSIENT = new Set(['40P01', '40001']);
const TRANSIENT_TRIES = 5;

function isTransient(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && TRANSIENT.has(code);
}

/** A short, jittered wait, so two victims do not collide again in step. */
const pause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));

export class AutomationWorker {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly loop: PollingLoop;
  private idCount = 0;
  private lastDateScan: number | undefined;

  constructor(private readonly options: AutomationOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => `srv_wf_${Date.now().toString(36)}_${(++this.idCount).toString(36)}`);
    this.loop = new PollingLoop(() => this.tickAndDrain(), options.pollMs ?? 1000, options.onError);
  }

  /** Runs rounds every `pollMs` until `stop()`. */
  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: the scheduler's tick, every due job, then the webhook calls they queued. */
  async tickAndDrain(): Promise<{
    tick: TickReport & { dateReached: DateReachedReport[] };
    jobs: JobOutcome[];
    webhooks: Delivery[];
  }> {
    const tick = await this.tick();
    const jobs = await this.drain();
    return { tick, jobs, webhooks: await this.deliverWebhooks() };
  }

  /** Sends the due webhook calls, one at a time, at most `limit` of them; their outcomes. */
  async deliverWebhooks(limit = 50): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    // A stop waits for the round: it ends after the call in flight.
    while (deliveries.length < limit && !this.loop.closing) {
      const delivery = await deliverWebhook(this.options.db, {
        now: this.now(),
        ...(this.options.webhookTimeoutMs ? { timeoutMs: this.options.webhookTimeoutMs } : {}),
        ...(this.options.maxAttempts ? { maxAttempts: this.options.maxAttempts } : {}),
        ...(this.options.retryDelayMs ? { retryDelayMs: this.options.retryDelayMs } : {}),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      if (delivery === undefined) break;
      deliveries.push(delivery);
    }
    return deliveries;
  }

  /** Scheduled workflows' periods, and (at most every `dateReachedEveryMs`, a minute by default) reached dates. */
  async tick(): Promise<TickReport & { dateReached: DateReachedReport[] }> {
    const now = this.now();
    const report = await scheduleTick(this.options.db, now);
    const every = this.options.dateReachedEveryMs ?? 60_000;
    if (this.lastDateScan !== undefined && now.getTime() - this.lastDateScan < every) {
      return { ...report, dateReached: [] };
    }
    this.lastDateScan = now.getTime();
    return { ...report, dateReached: await dateReachedTick(this.options.db, now) };
  }

  /** Runs due jobs until none is left, `concurrency` at a time; their outcomes. */
  async drain(): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    const lanes = Math.max(1, Math.min(this.options.concurrency ?? 4, this.options.db.parallelism));
    const lane = async () => {
      for (let outcome = await this.runNext(); outcome; outcome = await this.runNext()) outcomes.push(outcome);
    };
    // Every lane settles before an error is reported: none is left running unobserved.
    const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
    return outcomes;
  }

  /** Claims and runs one due job (that one, given its id); undefined when none is due. */
  async runNext(jobId?: string): Promise<JobOutcome | undefined> {
    // A deadlock outside the run's savepoint (claiming, marking done, logging) aborts the whole
    // transaction: nothing of it stays, the job is still pending, and it is claimed again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.claimAndRun(jobId);
      } catch (error) {
        if (!isTransient(error) || attempt >= TRANSIENT_TRIES) throw error;
        await pause(attempt);
      }
    }
  }

  private async claimAndRun(jobId: string | undefined): Promise<JobOutcome | undefined> {
    const now = this.now();
    const committed = new Map<string, string>();
    const outcome = await this.options.db.transaction(async (tx) => {
      // Before the job's row lock and outside the run's savepoint, whose rollback would release it:
      // the run's writes are ordered against erasures (privacy/erasure-lock.ts), which scrub job rows.
      await lockAgainstErasure(tx);
      const job = (await tx.query<Job>(CLAIM, [now.toISOString(), jobId ?? null])).rows[0];
      if (job === undefined) return undefined;
      let result: JobResult;
      for (let attempt = 1; ; attempt++) {
        await tx.query('SAVEPOINT automation_run');
        try {
          result = await runJob(tx, job, now, this.newId);
          await tx.query('RELEASE SAVEPOINT automation_run');
          break;
        } catch (error) {
          // Undoes the run's writes and releases the locks it took (the deadlock's other side goes on).
          await tx.query('ROLLBACK TO SAVEPOINT automation_run');
          if (isTransient(error) && attempt < TRANSIENT_TRIES) {
            await pause(attempt);
            continue;
          }
          return this.failed(tx, job, now, error);
        }
      }
      // The record's snapshot is dropped once run: the outbox keeps no personal data it no longer needs.
      await tx.query(
        `UPDATE automation_jobs SET status = 'done', attempts = attempts + 1, done_at = $2::timestamptz, last_error = NULL,
           before_doc = NULL, after_doc = '{}'::jsonb
         WHERE id = $1::bigint`,
        [job.id, now.toISOString()],
      );
      await this.log(tx, job, now, result.outcome, result.reason, result.actions, result.version);
      for (const [collection, txid] of result.committed) committed.set(collection, txid);
      return { jobId: job.id, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
    });
    for (const [collection, txid] of committed) this.options.onCommitted?.(collection, txid);
    return outcome;
  }

  private async failed(tx: Queryable, job: Job, now: Date, error: unknown): Promise<JobOutcome> {
    const attempt = job.attempts + 1;
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const final = error instanceof InvalidWorkflowError || attempt >= (this.options.maxAttempts ?? 5);
    const delay = (this.options.retryDelayMs ?? 30_000) * 2 ** (attempt - 1);
    await tx.query(
      `UPDATE automation_jobs SET status = $2, attempts = $3, last_error = $4, run_after = $5::timestamptz
       WHERE id = $1::bigint`,
      [job.id, final ? 'failed' : 'pending', attempt, reason, new Date(now.getTime() + delay).toISOString()],
    );
    await this.log(tx, job, now, 'failed', reason, []);
    this.options.onError?.(error);
    return { jobId: job.id, outcome: 'failed', reason };
  }

  private async log(
    tx: Queryable,
    job: Job,
    now: Date,
    outcome: JobOutcome['outcome'],
    reason: string | undefined,
    actions: readonly unknown[],
    version?: string,
  ): Promise<void> {
    await tx.query(LOG_RUN, [
      job.id,
      job.workflow_id,
      job.entity_kind,
      job.record_id,
      job.event,
      job.period,
      outcome,
      reason ?? null,
      JSON.stringify(actions),
      job.attempts + 1,
      now.toISOString(),
      version ?? null,
    ]);
  }
}
