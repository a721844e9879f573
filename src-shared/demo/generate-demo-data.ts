import type { EntityName } from '../entities/registry';
import { createContext, DEFAULT_NOW, DEFAULT_SEED, type DemoContext, type DemoEntity } from './demo-context';
import type { DemoRecord } from './demo-record';
import type { DemoSize } from './demo-sizes';
import { demoUpdatedAt } from './demo-updated-at';
import { groupMemberRecords, groupRecords, roleRecords, userRecords } from './records-access';
import { attachmentRecords, communicationRecords } from './records-communications';
import { companyRecords, researchRecords } from './records-companies';
import { contactRecords } from './records-contacts';
import { contentInteractionRecords, contentRecords } from './records-content';
import { dealProductRecords, dealRecords, dealStageHistoryRecords } from './records-deals';
import { leadActivityRecords } from './records-lead-activities';
import { leadListMemberRecords, leadListRecords } from './records-lead-lists';
import { leadRecords } from './records-leads';
import { consentRecords, retentionPolicyRecords } from './records-privacy';
import {
  currencyRecords,
  customFieldRecords,
  exchangeRateRecords,
  integrationRecords,
  productRecords,
  workflowRecords,
} from './records-settings';
import { socialProfileRecords } from './records-social';
import { noteRecords, taskRecords } from './records-work';

export type { DemoRecord } from './demo-record';
export * from './demo-signal';
export { DEMO_SIZES, type DemoCounts, type DemoSize } from './demo-sizes';

export interface DemoOptions {
  size: DemoSize;
  /** Default 42. */
  seed?: number;
  /** The moment the data set ends; default 2026-11-01T00:00:00.000Z, so output is stable. */
  now?: Date;
  /** Records per batch, default 1000. */
  batchSize?: number;
}

export interface DemoBatch {
  entity: EntityName;
  records: DemoRecord[];
}

type Step = readonly [DemoEntity, (ctx: DemoContext) => Iterable<DemoRecord>];

/**
 * The order batches come in: every record's references were yielded before it. This is the registry
 * order except that social profiles follow leads (a lead can have one). Cycles in the model:
 * - roles are owned by the admin user, who has a role: roles come first, their ownerId (the admin,
 *   user 0) is the one reference to a record yielded later;
 * - contact.convertedFromLeadId and lead.convertedDealId are left unset: the lead points at its
 *   contact and the deal at its lead instead.
 */
export const DEMO_ORDER: readonly Step[] = [
  ['userRole', roleRecords],
  ['user', userRecords],
  ['userGroup', groupRecords],
  ['userGroupMember', groupMemberRecords],
  ['currency', currencyRecords],
  ['exchangeRate', exchangeRateRecords],
  ['product', productRecords],
  ['customField', customFieldRecords],
  ['externalIntegration', integrationRecords],
  ['workflow', workflowRecords],
  ['retentionPolicy', retentionPolicyRecords],
  ['company', companyRecords],
  ['companyResearch', researchRecords],
  ['contact', contactRecords],
  ['leadList', leadListRecords],
  ['lead', leadRecords],
  ['socialProfile', socialProfileRecords],
  ['leadListMember', leadListMemberRecords],
  ['leadActivity', leadActivityRecords],
  ['deal', dealRecords],
  ['dealProduct', dealProductRecords],
  ['dealStageHistory', dealStageHistoryRecords],
  ['content', contentRecords],
  ['contentInteraction', contentInteractionRecords],
  // Before the communications, so a write path that checks consent (the server's push) accepts them.
  ['consent', consentRecords],
  ['communication', communicationRecords],
  ['communicationAttachment', attachmentRecords],
  ['task', taskRecords],
  ['note', noteRecords],
];

/**
 * A realistic CRM data set, streamed in batches of at most `batchSize` records in dependency order.
 * Deterministic: every record is a pure function of (seed, entity, index), so the same options give
 * the same output whatever the batch size. Lazy: only small per-record facts (company names, who
 * converted into whom) are held, never the records, so '100k' streams in constant memory per batch.
 */
export function* generateDemoData(options: DemoOptions): Generator<DemoBatch> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const ctx = createContext(options.size, options.seed ?? DEFAULT_SEED, options.now ?? new Date(DEFAULT_NOW));
  for (const [entity, records] of DEMO_ORDER) {
    let batch: DemoRecord[] = [];
    for (const record of records(ctx)) {
      record.updatedAt = demoUpdatedAt(record, ctx.clock.nowMs);
      batch.push(record);
      if (batch.length === batchSize) {
        yield { entity, records: batch };
        batch = [];
      }
    }
    if (batch.length > 0) yield { entity, records: batch };
  }
}
