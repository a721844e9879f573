/**
 * A lead's engagement as the lead scorer reads it: counts by kind, how recently the lead was last
 * touched and how often in the weeks before, all as of an explicit moment (the scoring time), so
 * training and tests never read the clock.
 *
 * Point in time: an open lead is read as of now; a closed lead as of when it closed (its
 * conversion, or the status change that lost it), with nothing that happened later. Without that,
 * "active recently" would teach the model the outcome itself (a converted lead's last activity is
 * its conversion). The status change that records the outcome is a count like any activity, but
 * never a touch for recency or frequency: it is the rep's act, not the lead's.
 */

const DAY_MS = 86_400_000;

/** The window of the frequency feature. */
export const RECENT_WINDOW_DAYS = 30;

export interface LeadEngagement {
  /** Lead activities of every kind. */
  activities: number;
  /** Content interactions (views, downloads…). */
  interactions: number;
  /** Calls, meetings and demos. */
  conversations: number;
  /** Emails replied to and forms submitted: the lead reaching out. */
  replies: number;
  /** Whole days from the last dated touch to the scoring time; undefined when none is dated. */
  daysSinceLastTouch?: number;
  /** Dated touches (activities and interactions) in the RECENT_WINDOW_DAYS before the scoring time. */
  recentTouches?: number;
}

export const NO_ENGAGEMENT: LeadEngagement = { activities: 0, interactions: 0, conversations: 0, replies: 0 };

/** What a lead's activity or content interaction tells the model: its kind (activities) and time. */
export interface LeadTouch {
  readonly type?: unknown;
  /** ISO time; a missing or unreadable time leaves the touch out of recency and frequency only. */
  readonly occurredAt?: unknown;
}

const CONVERSATION_TYPES = new Set(['call', 'meeting', 'demo']);
const REPLY_TYPES = new Set(['emailReplied', 'formSubmitted']);
const OUTCOME_TYPE = 'statusChanged';

/** Milliseconds since the epoch, or undefined for anything that is not a readable time. */
export function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

// A loop, not Math.max(...times): a spread of a long history can overflow the call stack.
const latest = (times: readonly number[]) => times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

/**
 * Counts a lead's activities and content interactions as of `asOf`: touches dated after it are
 * left out (they had not happened yet at the scoring time).
 */
export function engagementOf(
  activities: readonly LeadTouch[],
  interactions: readonly LeadTouch[],
  asOf: Date,
): LeadEngagement {
  const asOfMs = timeOf(asOf);
  const happened = (t: LeadTouch) => {
    const at = timeOf(t.occurredAt);
    return at === undefined || asOfMs === undefined || at <= asOfMs;
  };
  const acts = activities.filter(happened);
  const reads = interactions.filter(happened);
  const engagement: LeadEngagement = {
    activities: acts.length,
    interactions: reads.length,
    conversations: acts.filter((a) => CONVERSATION_TYPES.has(String(a.type))).length,
    replies: acts.filter((a) => REPLY_TYPES.has(String(a.type))).length,
  };
  // An unreadable scoring time leaves recency and frequency unknown rather than NaN.
  if (asOfMs === undefined) return engagement;
  const times = [...acts.filter((a) => a.type !== OUTCOME_TYPE), ...reads]
    .map((t) => timeOf(t.occurredAt))
    .filter((at): at is number => at !== undefined);
  const windowStart = asOfMs - RECENT_WINDOW_DAYS * DAY_MS;
  engagement.recentTouches = times.filter((at) => at > windowStart).length;
  if (times.length > 0) engagement.daysSinceLastTouch = Math.floor((asOfMs - latest(times)) / DAY_MS);
  return engagement;
}

/**
 * The moment a lead is read as of: now while it is open; when it closed once it has (its
 * conversion, or its last status change), never after now. A lost lead with no record of when it
 * was lost is read as of now, which overstates its silence; the reason is documented in the README.
 */
export function scoringTimeOf(
  lead: { readonly status?: unknown; readonly convertedAt?: unknown },
  activities: readonly LeadTouch[],
  now: Date,
): Date {
  const nowMs = now.getTime();
  if (lead.status !== 'converted' && lead.status !== 'lost' && lead.status !== 'unqualified') return now;
  const converted = lead.status === 'converted' ? timeOf(lead.convertedAt) : undefined;
  const statusTimes = activities
    .filter((a) => a.type === OUTCOME_TYPE)
    .map((a) => timeOf(a.occurredAt))
    .filter((at): at is number => at !== undefined);
  const closed = converted ?? (statusTimes.length > 0 ? latest(statusTimes) : undefined);
  return closed === undefined || !Number.isFinite(nowMs) || closed > nowMs ? now : new Date(closed);
}
