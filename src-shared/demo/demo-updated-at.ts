import type { DemoRecord } from './demo-record';

/**
 * Fields holding the time of something that happened to a record after it was written, which
 * wrote it again (a deal closed or moved, a task done, a lead scored or converted). Plans and
 * events of other records (dueAt, reminderAt, occurredAt) are left out: they are written with the
 * record, not later.
 */
const WRITTEN_AGAIN_AT = [
  'closedAt',
  'stageChangedAt',
  'convertedAt',
  'completedAt',
  'scoredAt',
  'lastActivityAt',
  'lastContactedAt',
  'consentAt',
  'researchedAt',
  'publishedAt',
  'lastSyncAt',
  'lastRunAt',
  'lastLoginAt',
] as const;

/**
 * When a demo record was last written: the latest of its creation and the times it holds of what
 * happened to it since, never after the data set's end. Without it the repository stamped the time
 * the demo was loaded, so every record was "Updated" today and every note "edited".
 */
export function demoUpdatedAt(record: DemoRecord, endMs: number): string {
  let latest = record.createdAt;
  let latestMs = Date.parse(latest);
  for (const field of WRITTEN_AGAIN_AT) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (ms > latestMs && ms <= endMs) {
      latest = value;
      latestMs = ms;
    }
  }
  return latest;
}
