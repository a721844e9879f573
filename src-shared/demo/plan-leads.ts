import type { LEAD_SOURCES } from '../entities/enums';
import { DAY_MS, type DemoContext } from './demo-context';
import { conversionProbability, LEAD_ENGAGEMENT, LEAD_SOURCE_MIX } from './demo-signal';
import { pickOwner } from './plan-users';
import { weightTable } from './random';

export type LeadSource = (typeof LEAD_SOURCES)[number];
export type OpenLeadStatus = 'new' | 'contacted' | 'nurturing' | 'qualified' | 'unqualified' | 'lost';

export interface LeadProfile {
  index: number;
  source: LeadSource;
  /** Hidden 0–1 engagement; observable only through activity and interaction counts. */
  engagement: number;
  createdMs: number;
  /** When it converted, if it would convert and had the time to; see `conversions` for the final say. */
  convertsAtMs: number | undefined;
  /** Status when not converted. */
  openStatus: OpenLeadStatus;
  /**
   * When a lead that did not convert was lost or disqualified (its `openStatus`): recorded as a
   * status change, the point in time its engagement is read as of (lead-engagement.ts).
   */
  closedAtMs: number | undefined;
  activityCount: number;
  interactionCount: number;
  ownerIndex: number;
}

const SOURCE_MIX = weightTable(LEAD_SOURCE_MIX);

function openStatusOf(u: number, engagement: number, ageDays: number): OpenLeadStatus {
  if (ageDays < 14) return u < 0.7 ? 'new' : 'contacted';
  if (engagement > 0.6) return u < 0.4 ? 'qualified' : u < 0.8 ? 'nurturing' : 'contacted';
  if (engagement > 0.3) return u < 0.4 ? 'nurturing' : u < 0.7 ? 'contacted' : u < 0.85 ? 'unqualified' : 'lost';
  return u < 0.35 ? 'unqualified' : u < 0.65 ? 'lost' : u < 0.85 ? 'nurturing' : 'contacted';
}

/**
 * When a lead that will be lost or disqualified is closed: 3 weeks to 4 months after it came in,
 * drawn whatever its age, as a conversion's delay is. One whose time has not come by the data set's
 * end is still open (nurtured or contacted): a recent lead is never closed early, which would crowd
 * its touches into its last weeks and teach the frequency feature that recent touches mean lost.
 * Its own stream, so every other fact of the lead stays as it was.
 */
function closing(
  ctx: DemoContext,
  index: number,
  status: OpenLeadStatus,
  engagement: number,
  createdMs: number,
): { openStatus: OpenLeadStatus; closedAtMs: number | undefined } {
  if (status !== 'lost' && status !== 'unqualified') return { openStatus: status, closedAtMs: undefined };
  const rand = ctx.stream('lead.close').at(index).rand;
  const closedAtMs = Math.round(createdMs + (21 + rand.next() * 99) * DAY_MS);
  if (closedAtMs < ctx.clock.nowMs - DAY_MS) return { openStatus: status, closedAtMs };
  return { openStatus: engagement > 0.3 ? 'nurturing' : 'contacted', closedAtMs: undefined };
}

/** The hidden facts of lead `index`, a pure function of (seed, index): cheap, so callers recompute it. */
export function leadProfile(ctx: DemoContext, index: number): LeadProfile {
  const { clock } = ctx;
  const rand = ctx.stream('lead.plan').at(index).rand;
  const source = rand.weighted(SOURCE_MIX);
  const engagement = rand.next();
  const createdMs = Math.round(clock.startMs + 3 * DAY_MS + rand.next() * (clock.nowMs - clock.startMs - 4 * DAY_MS));
  // Engaged leads convert sooner: 4 to 70 days.
  const delayMs = (4 + (1 - engagement) * 50 + rand.next() * 16) * DAY_MS;
  const converts = rand.chance(conversionProbability(source, engagement));
  const convertsAtMs = converts && createdMs + delayMs < clock.nowMs - DAY_MS ? createdMs + delayMs : undefined;
  const status = openStatusOf(rand.next(), engagement, (clock.nowMs - createdMs) / DAY_MS);
  const { openStatus, closedAtMs } = closing(ctx, index, status, engagement, createdMs);
  return {
    index,
    source,
    engagement,
    createdMs,
    convertsAtMs: convertsAtMs === undefined ? undefined : Math.round(convertsAtMs),
    openStatus,
    closedAtMs,
    activityCount: LEAD_ENGAGEMENT.activities(engagement, rand.next()),
    interactionCount: LEAD_ENGAGEMENT.interactions(engagement, rand.next()),
    ownerIndex: pickOwner(ctx, rand),
  };
}

/** How a lead's story ended, if it has: converted, or lost or disqualified at `closedAtMs`. */
export function leadEnding(profile: LeadProfile, converted: boolean): 'converted' | 'lost' | 'unqualified' | undefined {
  if (converted) return profile.convertsAtMs === undefined ? undefined : 'converted';
  if (profile.closedAtMs === undefined) return undefined;
  return profile.openStatus === 'lost' || profile.openStatus === 'unqualified' ? profile.openStatus : undefined;
}

/** When a lead's story ends: its conversion or loss, or, while open, up to four months after it came in. */
export function leadEndMs(ctx: DemoContext, profile: LeadProfile, converted: boolean): number {
  if (converted && profile.convertsAtMs !== undefined) return profile.convertsAtMs;
  if (!converted && profile.closedAtMs !== undefined) return profile.closedAtMs;
  return Math.min(ctx.clock.nowMs - 60_000, profile.createdMs + 120 * DAY_MS);
}

/**
 * `count` strictly increasing times in (from, to): one per equal slot, jittered within it, so a lead's
 * activities (or a deal's stage moves) come in order without sorting.
 */
export function spreadTimes(u: () => number, from: number, to: number, count: number): number[] {
  const slot = (to - from) / Math.max(1, count);
  return Array.from({ length: count }, (_, m) => Math.round(from + slot * (m + 0.1 + 0.8 * u())));
}

/** The times of lead `index`'s activities, shared by the lead (lastActivityAt) and its activities. */
export function leadActivityTimes(ctx: DemoContext, profile: LeadProfile, converted: boolean): number[] {
  const rand = ctx.stream('lead.times').at(profile.index).rand;
  const end = leadEndMs(ctx, profile, converted);
  const times = spreadTimes(() => rand.next(), profile.createdMs, end, profile.activityCount);
  // A converted or lost lead's last activity is that status change itself.
  if (converted || leadEnding(profile, converted) !== undefined) times[times.length - 1] = end;
  return times;
}
