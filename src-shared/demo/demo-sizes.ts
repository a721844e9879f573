import type { EntityName } from '../entities/registry';

export type DemoSize = 'small' | '100k';

/**
 * Entities whose record count is set directly. The others follow from their parents, so that their
 * counts can carry signal or stay consistent: group members (each rep in one group, each manager
 * leading theirs), exchange rates (one per quote currency and month), lead-list members (list sizes),
 * lead activities and content interactions (a lead's engagement), deal line items and stage history
 * (a deal's size and stage), attachments (about one email or meeting in seven).
 */
export type SizedEntity = Exclude<
  EntityName,
  | 'userGroupMember'
  | 'exchangeRate'
  | 'customFieldValue'
  | 'leadListMember'
  | 'leadActivity'
  | 'dealProduct'
  | 'dealStageHistory'
  | 'contentInteraction'
  | 'communicationAttachment'
  | 'auditLog'
  | 'consent'
  | 'retentionPolicy'
>;

export type DemoCounts = Readonly<Record<SizedEntity, number>>;

/** Settings-like entities (roles, currencies, catalogue, automations) stay the same size in both sets. */
const SETTINGS = {
  userRole: 3,
  currency: 4,
  product: 7,
  customField: 4,
  externalIntegration: 2,
  workflow: 2,
} as const;

export const DEMO_SIZES: Record<DemoSize, DemoCounts> = {
  small: {
    ...SETTINGS,
    user: 10,
    userGroup: 3,
    company: 150,
    companyResearch: 60,
    contact: 600,
    socialProfile: 400,
    leadList: 6,
    lead: 600,
    deal: 250,
    content: 30,
    communication: 1_200,
    task: 500,
    note: 400,
  },
  '100k': {
    ...SETTINGS,
    user: 50,
    userGroup: 6,
    company: 25_000,
    companyResearch: 10_000,
    contact: 100_000,
    socialProfile: 66_000,
    leadList: 40,
    lead: 100_000,
    deal: 42_000,
    content: 200,
    communication: 200_000,
    task: 83_000,
    note: 66_000,
  },
};

/** One admin; about one manager per ten users, at least two; the rest are reps. */
export function managerCount(users: number): number {
  return Math.max(2, Math.round(users / 10));
}
