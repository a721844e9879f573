import { type CollectionName, withDerived } from '../schema/define-entity';
import { leadEntity } from './lead.entity';

/** A document migration: return the document at the next version, or null to drop it. */
export type DocMigration = (doc: Record<string, unknown>) => Record<string, unknown> | null;

export interface CollectionVersion {
  /** RxDB schema version; bump with any change to a member entity's fields or indexes. */
  version: number;
  /** `migrations[n]` turns a version n-1 document into version n. */
  migrations: Record<number, DocMigration>;
}

/** A version that only adds indexes: documents are unchanged (RxDB rebuilds the indexes as it copies them). */
const sameDoc: DocMigration = (doc) => doc;

/** The schema-version test fails when a collection's derived schema changes without a bump here. */
export const COLLECTION_VERSIONS: Record<CollectionName, CollectionVersion> = {
  // 1: personal fields encrypted on the device (field.ts `pii`); documents unchanged, storage encrypts on write.
  users: { version: 1, migrations: { 1: sameDoc } },
  // 1: consents and retention policies (privacy.entity.ts); existing documents unchanged.
  // 2: a consent's proof text encrypted on the device (field.ts `pii`).
  settings: { version: 2, migrations: { 1: sameDoc, 2: sameDoc } },
  // 1: indexes on parentCompanyId and type.
  companies: { version: 1, migrations: { 1: sameDoc } },
  // 1: indexes on companyId and lifecycleStage.
  // 2: personal fields encrypted on the device.
  contacts: { version: 2, migrations: { 1: sameDoc, 2: sameDoc } },
  // 1: leads store scoreRank (SCORE_MAX − score), indexed for highest-score-first lists.
  // 2: personal fields encrypted on the device.
  leads: {
    version: 2,
    migrations: { 1: (doc) => (doc.kind === leadEntity.name ? withDerived(leadEntity, doc) : doc), 2: sameDoc },
  },
  // 1: indexes on companyId and contactId.
  deals: { version: 1, migrations: { 1: sameDoc } },
  // 1: personal fields encrypted on the device (note and communication bodies, addresses).
  // 2: indexes on a communication's type, direction and status and a note's noteType (the lists' filters).
  activities: { version: 2, migrations: { 1: sameDoc, 2: sameDoc } },
  // 1: indexes on subjectId, and subjectId with status.
  // 2: an index on ownerId alone (the All view's default, my tasks of any status).
  tasks: { version: 2, migrations: { 1: sameDoc, 2: sameDoc } },
  content: { version: 0, migrations: {} },
  // 1: social profiles' url and handle encrypted on the device.
  research: { version: 1, migrations: { 1: sameDoc } },
  // 1: before/after values encrypted on the device.
  audit: { version: 1, migrations: { 1: sameDoc } },
};
