import type { RetentionTarget } from '../../../src-shared/entities/privacy.entity';
import { getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';

/**
 * What a policy's age is measured from, per target: when a communication or activity happened,
 * when a lead or contact last changed (a lead worked on last week is not old), when a note was
 * written, and when an audit entry was made.
 */
export const AGE_FIELD: Readonly<Record<RetentionTarget, string>> = {
  lead: 'updatedAt',
  contact: 'updatedAt',
  communication: 'occurredAt',
  leadActivity: 'occurredAt',
  note: 'createdAt',
  auditLog: 'at',
};

export function targetEntity(target: RetentionTarget): EntityDef {
  return getEntity(target);
}

/** The policy's cut-off: `now` minus the age, in calendar days, months or years (UTC). */
export function cutoffOf(now: Date, age: number, unit: string): Date {
  const cutoff = new Date(now.getTime());
  if (unit === 'years') cutoff.setUTCFullYear(cutoff.getUTCFullYear() - age);
  else if (unit === 'months') cutoff.setUTCMonth(cutoff.getUTCMonth() - age);
  else cutoff.setUTCDate(cutoff.getUTCDate() - age);
  return cutoff;
}
