import { CronExpressionParser } from 'cron-parser';

/**
 * Cron for scheduled workflows (the workflow's `schedule`), read by cron-parser in UTC: five fields
 * (minute hour day-of-month month day-of-week) or six with seconds first, as cron-parser reads them.
 */

/** Why `schedule` is not a cron expression this server can run; undefined when it is one. */
export function cronProblem(schedule: string): string | undefined {
  if (schedule.trim() === '') return 'must be a cron expression, e.g. 0 8 * * 1';
  try {
    CronExpressionParser.parse(schedule, { tz: 'UTC', strict: false });
    return undefined;
  } catch (error) {
    return `is not a cron expression (${error instanceof Error ? error.message : String(error)}), e.g. 0 8 * * 1`;
  }
}

/**
 * The period a scheduled workflow is due for at `now`: its latest occurrence at or before `now`,
 * as an ISO time. A run is idempotent per (workflow, record, period): however many ticks fall in
 * one period, and on however many instances, each record is run once for it.
 */
export function currentPeriod(schedule: string, now: Date): string {
  // cron-parser's prev() is strictly before currentDate: a tick exactly on the occurrence counts it.
  const expression = CronExpressionParser.parse(schedule, { tz: 'UTC', currentDate: new Date(now.getTime() + 1) });
  return expression.prev().toDate().toISOString();
}
