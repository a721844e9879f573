import type { CUSTOM_FIELD_TYPES, CUSTOMIZABLE_KINDS } from '../entities/enums';

export interface DemoCustomField {
  entityKind: (typeof CUSTOMIZABLE_KINDS)[number];
  key: string;
  label: string;
  fieldType: (typeof CUSTOM_FIELD_TYPES)[number];
  options?: readonly string[];
  description: string;
}

export const ACCOUNT_TIERS = ['Strategic', 'Enterprise', 'Mid-market', 'SMB'] as const;
export type AccountTier = (typeof ACCOUNT_TIERS)[number];
export const PREFERRED_CHANNELS = ['email', 'phone', 'linkedin', 'meeting'] as const;

/** One definition per customizable entity; the records fill their `customFields` maps from these keys. */
export const DEMO_CUSTOM_FIELDS: readonly DemoCustomField[] = [
  {
    entityKind: 'company',
    key: 'accountTier',
    label: 'Account tier',
    fieldType: 'enum',
    options: ACCOUNT_TIERS,
    description: 'Segment by head count: Strategic 5,000+, Enterprise 1,000+, Mid-market 100+.',
  },
  {
    entityKind: 'contact',
    key: 'preferredChannel',
    label: 'Preferred channel',
    fieldType: 'enum',
    options: PREFERRED_CHANNELS,
    description: 'How this person prefers to be reached.',
  },
  {
    entityKind: 'lead',
    key: 'budgetConfirmed',
    label: 'Budget confirmed',
    fieldType: 'boolean',
    description: 'The prospect has confirmed a budget for this purchase.',
  },
  {
    entityKind: 'deal',
    key: 'contractTermMonths',
    label: 'Contract term (months)',
    fieldType: 'integer',
    description: 'Length of the contract being negotiated.',
  },
];

export function tierOf(employees: number): AccountTier {
  if (employees >= 5000) return 'Strategic';
  if (employees >= 1000) return 'Enterprise';
  if (employees >= 100) return 'Mid-market';
  return 'SMB';
}
