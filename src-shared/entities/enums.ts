/** Value lists used by more than one entity. */
export const LEAD_SOURCES = [
  'website',
  'referral',
  'event',
  'webinar',
  'content',
  'paidAds',
  'social',
  'coldOutreach',
  'partner',
  'import',
  'other',
] as const;

export const DEAL_STAGES = [
  'prospecting',
  'qualification',
  'proposal',
  'negotiation',
  'closedWon',
  'closedLost',
] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

/** Default win probability per stage, used when a deal enters a stage. */
export const STAGE_PROBABILITY: Record<DealStage, number> = {
  prospecting: 10,
  qualification: 25,
  proposal: 50,
  negotiation: 75,
  closedWon: 100,
  closedLost: 0,
};

/** Records an activity, note, task or communication can be about. */
export const SUBJECT_TYPES = ['contact', 'company', 'lead', 'deal'] as const;

export const CUSTOMIZABLE_KINDS = ['contact', 'company', 'lead', 'deal'] as const;
export const CUSTOM_FIELD_TYPES = [
  'string',
  'text',
  'number',
  'integer',
  'boolean',
  'date',
  'enum',
  'url',
  'email',
] as const;
