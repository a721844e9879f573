import { createIndexStatement, type RegistryAddition } from './1796004409111_list_indexes';
import type { Migration } from './migrate';

/**
 * The indexes Communication v1 and Note v1 add to the registry: the communications list's filters
 * (type, direction, status) and the notes list's (noteType), so a device reads a filter's first
 * page from an index instead of walking the kind (collections.ts, activities v2). Written out here
 * rather than read from the registry, so the statements never change once applied (HOUSE-STYLE:
 * append-only); `registryBefore` takes them out of the registry for the first migration.
 */
export const ACTIVITY_FILTER_INDEXES_ADDED: RegistryAddition = {
  indexes: {
    communication: [
      ['type', 'isDeleted', 'newest'],
      ['direction', 'isDeleted', 'newest'],
      ['status', 'isDeleted', 'newest'],
    ],
    note: [['noteType', 'isDeleted', 'newest']],
  },
  derived: {},
};

const TABLES: Record<string, string> = {
  communication: 'communications',
  note: 'notes',
};

const createIndex = (entity: string, fields: readonly string[]) =>
  createIndexStatement(TABLES[entity] as string, fields);

/** Adds the filter indexes to databases old and new alike. Idempotent; nothing to restamp or pull. */
export const activityFilterIndexesMigration: Migration = {
  id: '1796081080604_activity_filter_indexes',
  statements: () =>
    Object.entries(ACTIVITY_FILTER_INDEXES_ADDED.indexes).flatMap(([entity, indexes]) =>
      indexes.map((fields) => createIndex(entity, fields)),
    ),
};
