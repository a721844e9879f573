import { currentConsent } from '../../../src-shared/consent/consent-rules';
import { CONSENT_CHANNELS, type ConsentChannel, type consentEntity } from '../../../src-shared/entities/privacy.entity';
import type { EntityInputOf, EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';

export type ConsentRecord = EntityRecord<typeof consentEntity>;
export type ConsentInput = EntityInputOf<typeof consentEntity>;

export interface ChannelConsent {
  channel: ConsentChannel;
  /** The latest record; undefined when the person never said anything on this channel. */
  current: ConsentRecord | undefined;
  /** Every record for the channel, newest first. */
  history: ConsentRecord[];
}

/** Per channel, the person's current state and its history, from their consent records. */
export function channelConsents(records: readonly ConsentRecord[], subjectId: string): ChannelConsent[] {
  return CONSENT_CHANNELS.map((channel) => {
    const current = currentConsent(records, subjectId, channel) as ConsentRecord | undefined;
    const history = records
      .filter((r) => r.subjectId === subjectId && r.channel === channel && !r.isDeleted)
      .sort((a, b) => (a.at === b.at ? b.createdAt.localeCompare(a.createdAt) : b.at.localeCompare(a.at)));
    return { channel, current, history };
  });
}

/**
 * Records a grant or a withdrawal as a new consent record (the history is never edited). Written
 * through the repository: validated (a grant on the basis of consent needs proof), stamped and audited.
 */
export function recordConsent(repos: Repositories, input: ConsentInput): Promise<ConsentRecord> {
  return repos.consent.create(input);
}

/** A withdrawal of what the person had granted on the channel: one click, same basis, no proof needed. */
export function withdrawInput(
  subject: { subjectType: 'contact' | 'lead'; subjectId: string },
  channel: ConsentChannel,
  at: string,
  source: string,
  previous?: ConsentRecord,
): ConsentInput {
  return {
    ...subject,
    channel,
    status: 'withdrawn',
    legalBasis: previous?.legalBasis ?? 'consent',
    source,
    at,
  };
}
