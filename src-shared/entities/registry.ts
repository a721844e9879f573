import { COLLECTIONS, type CollectionName, type EntityDef } from '../schema/define-entity';
import { userEntity, userGroupEntity, userGroupMemberEntity, userRoleEntity } from './access.entity';
import { auditLogEntity } from './audit.entity';
import { companyEntity, companyResearchEntity, socialProfileEntity } from './company.entity';
import { contactEntity } from './contact.entity';
import {
  communicationAttachmentEntity,
  communicationEntity,
  contentEntity,
  contentInteractionEntity,
} from './content.entity';
import {
  currencyEntity,
  dealEntity,
  dealProductEntity,
  dealStageHistoryEntity,
  exchangeRateEntity,
  productEntity,
} from './deal.entity';
import { customFieldEntity, customFieldValueEntity, externalIntegrationEntity } from './extension.entity';
import { leadActivityEntity, leadEntity, leadListEntity, leadListMemberEntity } from './lead.entity';
import { consentEntity, retentionPolicyEntity } from './privacy.entity';
import { noteEntity, taskEntity, workflowEntity } from './work.entity';

/** Every entity, in dependency order (a record's references come earlier), which imports follow. */
export const ENTITIES = [
  userRoleEntity,
  userEntity,
  userGroupEntity,
  userGroupMemberEntity,
  currencyEntity,
  exchangeRateEntity,
  productEntity,
  customFieldEntity,
  customFieldValueEntity,
  externalIntegrationEntity,
  workflowEntity,
  companyEntity,
  companyResearchEntity,
  contactEntity,
  socialProfileEntity,
  leadListEntity,
  leadEntity,
  leadListMemberEntity,
  leadActivityEntity,
  dealEntity,
  dealProductEntity,
  dealStageHistoryEntity,
  contentEntity,
  contentInteractionEntity,
  communicationEntity,
  communicationAttachmentEntity,
  taskEntity,
  noteEntity,
  consentEntity,
  retentionPolicyEntity,
  auditLogEntity,
] as const;

export type AnyEntity = (typeof ENTITIES)[number];
export type EntityName = AnyEntity['name'];
export type EntityByName<N extends EntityName> = Extract<AnyEntity, { name: N }>;
/** Entities stored as documents of their own (all but the embedded custom field values). */
export type DocumentEntityName = Exclude<AnyEntity, { storage: 'embedded' }>['name'];

const byName = new Map<string, EntityDef>(ENTITIES.map((e) => [e.name, e]));

export function getEntity<N extends EntityName>(name: N): EntityByName<N>;
export function getEntity(name: string): EntityDef;
export function getEntity(name: string): EntityDef {
  const entity = byName.get(name);
  if (!entity) throw new Error(`Unknown entity "${name}"`);
  return entity;
}

export function isEntityName(name: string): name is EntityName {
  return byName.has(name);
}

/** Entities stored as documents of their own, grouped by RxDB collection. */
export function entitiesOf(collection: CollectionName): EntityDef[] {
  return ENTITIES.filter((e) => e.storage === 'document' && e.collection === collection);
}

export const COLLECTION_ENTITIES: Record<CollectionName, EntityDef[]> = Object.fromEntries(
  COLLECTIONS.map((c) => [c, entitiesOf(c)]),
) as Record<CollectionName, EntityDef[]>;

/** Entities whose records carry a `customFields` map. */
export const CUSTOMIZABLE_ENTITIES = ENTITIES.filter((e) => 'customizable' in e && e.customizable === true);
