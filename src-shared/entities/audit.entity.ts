import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';

export const AUDIT_ACTIONS = ['insert', 'update', 'delete', 'restore', 'purge', 'batch', 'conflict', 'merge'] as const;

/**
 * One audit entry per written record, or one per chunk of a bulk write (`action: 'batch'`, the
 * per-record changes in `records`) so that auditing a 100k import costs hundreds of documents, not 100k.
 */
export const auditLogEntity = defineEntity({
  name: 'auditLog',
  label: 'Audit entry',
  plural: 'Audit log',
  description: 'Who changed what, where and when, with field-level before/after values.',
  table: 'audit_log',
  collection: 'audit',
  // 1: changes and records hold copies of personal data (encrypted on the device).
  version: 1,
  owner: 'creator',
  display: ['action', 'entityKind'],
  fields: {
    at: f.datetime({ required: true, label: 'When' }),
    actorId: f.ref('user', { required: true, label: 'Who' }),
    deviceId: f.string({ required: true, maxLength: 64, label: 'Device' }),
    source: f.enum(['local', 'server'], { required: true, label: 'Source' }),
    action: f.enum(AUDIT_ACTIONS, { required: true, label: 'Action' }),
    collectionName: f.string({ required: true, maxLength: 40, label: 'Collection' }),
    entityKind: f.string({ required: true, maxLength: 40, label: 'Entity' }),
    /** The record's id; for a batch, the first record's (all ids are in `records`). */
    entityId: f.string({ required: true, maxLength: 40, label: 'Record' }),
    /** `{ field: [before, after] }` for a single-record entry. */
    changes: f.json({ holdsPii: true, label: 'Changes' }),
    /** `[{ id, kind, action, changes }]` for a batch entry. */
    records: f.json({ holdsPii: true, label: 'Records' }),
    recordCount: f.integer({ required: true, min: 1, max: 1_000_000, label: 'Records' }),
    reason: f.string({ maxLength: 500, label: 'Reason' }),
  },
  indexes: [
    ['entityId', 'newest'],
    ['action', 'newest'],
    ['isDeleted', 'newest'],
  ],
});
