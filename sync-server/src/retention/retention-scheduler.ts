import { cronProblem, currentPeriod } from '../automation/schedule';
import type { Database } from '../db/database';
import { type RunOptions, runRetention } from './retention-run';

/**
 * Runs the retention policies once per period of a cron schedule (UTC; `RETENTION_SCHEDULE`,
 * default every night at 03:00), as the automation scheduler does for workflows: each tick looks
 * at the current period and claims it in `sync_meta` with one conditional upsert, so of several
 * instances on one Postgres exactly one runs it, and a restart within the period does not run it again.
 */

export const DEFAULT_RETENTION_SCHEDULE = '0 3 * * *';

export interface RetentionSchedulerOptions {
  db: Database;
  schedule?: string;
  /** Between ticks. */
  pollMs?: number;
  now?: () => Date;
  onCommitted?: RunOptions['onCommitted'];
  onError?(error: unknown): void;
}

const CLAIM = `INSERT INTO sync_meta (key, value) VALUES ('retention_period', $1)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE sync_meta.value < EXCLUDED.value
RETURNING value`;

export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private readonly schedule: string;
  private readonly now: () => Date;

  constructor(private readonly options: RetentionSchedulerOptions) {
    this.schedule = options.schedule ?? DEFAULT_RETENTION_SCHEDULE;
    const problem = cronProblem(this.schedule);
    if (problem) throw new Error(`RETENTION_SCHEDULE ${problem}`);
    this.now = options.now ?? (() => new Date());
  }

  /** Claims the current period if no instance has, then runs the policies; whether it ran. */
  async runDue(): Promise<boolean> {
    const period = currentPeriod(this.schedule, this.now());
    const claimed = await this.options.db.query(CLAIM, [period]);
    if (claimed.rows.length === 0) return false;
    await runRetention(this.options.db, {
      dryRun: false,
      trigger: 'schedule',
      now: this.now,
      ...(this.options.onCommitted ? { onCommitted: this.options.onCommitted } : {}),
    });
    return true;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.tick = this.runDue()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error));
      this.timer = setTimeout(loop, this.options.pollMs ?? 60_000);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick;
  }
}
