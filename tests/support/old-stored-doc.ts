import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';

/**
 * Documents as an older version of the app stored them, for the collection migration tests: ids
 * `old-001`, `old-002`, …, each created a second after the one before, from `at`, by user-rep-1.
 */
export function oldStoredDocs(at: string): (kind: string, fields: Record<string, unknown>) => StoredDoc {
  let n = 0;
  return (kind, fields) => {
    const createdAt = new Date(Date.parse(at) + ++n * 1000).toISOString();
    return {
      id: `old-${String(n).padStart(3, '0')}`,
      kind,
      ownerId: 'user-rep-1',
      createdAt,
      updatedAt: createdAt,
      createdBy: 'user-rep-1',
      updatedBy: 'user-rep-1',
      isDeleted: false,
      newest: NEWEST_MAX - Date.parse(createdAt),
      ...fields,
    } as StoredDoc;
  };
}
