import { describe, expect, it } from 'vitest';
import { cronProblem, currentPeriod } from '../../../../sync-server/src/automation/schedule';

describe('cron schedules', () => {
  it.each(['0 8 * * 1', '*/15 * * * *', '0 0 1 * *', '30 6 * * mon-fri'])('reads %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each(['', '   ', 'every monday', '0 99 * * 1', '0 8 * * 9', '61 * * * *'])(
    'refuses "%s" with an example',
    (cron) => {
      expect(cronProblem(cron)).toMatch(/e\.g\. 0 8 \* \* 1$/);
    },
  );

  it('takes the latest occurrence at or before now, in UTC, as the period', () => {
    expect(currentPeriod('0 8 * * 1', new Date('2026-04-08T12:00:00.000Z'))).toBe('2026-04-06T08:00:00.000Z');
    // Exactly on the occurrence: that occurrence, not the one before.
    expect(currentPeriod('0 8 * * 1', new Date('2026-04-06T08:00:00.000Z'))).toBe('2026-04-06T08:00:00.000Z');
    expect(currentPeriod('0 8 * * 1', new Date('2026-04-06T07:59:59.999Z'))).toBe('2026-03-30T08:00:00.000Z');
  });
});
