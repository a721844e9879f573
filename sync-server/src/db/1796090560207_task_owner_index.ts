import { createIndexStatement, type RegistryAddition } from './1796004409111_list_indexes';
import type { Migration } from './migrate';

/**
 * The index Task v2 adds to the registry: the owner alone, so the Tasks screen's All view under
 * "My tasks" with any status (its default) reads a page of one index range instead of walking
 * every task (collections.ts, tasks v2). Written out here rather than read from the registry, so
 * the statement never changes once applied (HOUSE-STYLE: append-only); `registryBefore` takes it
 * out of the registry for the first migration.
 */
export const TASK_OWNER_INDEX_ADDED: RegistryAddition = {
  indexes: { task: [['ownerId', 'isDeleted', 'newest']] },
  derived: {},
};

const createIndex = (fields: readonly string[]) => createIndexStatement('tasks', fields);

/** Adds the owner index to databases old and new alike. Idempotent; nothing to restamp or pull. */
export const taskOwnerIndexMigration: Migration = {
  id: '1796090560207_task_owner_index',
  statements: () => (TASK_OWNER_INDEX_ADDED.indexes.task ?? []).map(createIndex),
};
