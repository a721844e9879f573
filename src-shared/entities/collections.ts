import type { CollectionName } from '../schema/define-entity';

/** A document migration: return the document at the next version, or null to drop it. */
export type DocMigration = (doc: Record<string, unknown>) => Record<string, unknown> | null;

export interface CollectionVersion {
  /** RxDB schema version; bump with any change to a member entity's fields or indexes. */
  version: number;
  /** `migrations[n]` turns a version n-1 document into version n. */
  migrations: Record<number, DocMigration>;
}

/** The schema-version test fails when a collection's derived schema changes without a bump here. */
export const COLLECTION_VERSIONS: Record<CollectionName, CollectionVersion> = {
  users: { version: 0, migrations: {} },
  settings: { version: 0, migrations: {} },
  companies: { version: 0, migrations: {} },
  contacts: { version: 0, migrations: {} },
  leads: { version: 0, migrations: {} },
  deals: { version: 0, migrations: {} },
  activities: { version: 0, migrations: {} },
  tasks: { version: 0, migrations: {} },
  content: { version: 0, migrations: {} },
  research: { version: 0, migrations: {} },
  audit: { version: 0, migrations: {} },
};
