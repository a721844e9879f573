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
  return {
    index,
    source,
    engagement,
    createdMs,
    convertsAtMs: convertsAtMs === undefined ? undefined : Math.round(convertsAtMs),
    openStatus: openStatusOf(rand.next(), engagement, (clock.nowMs - createdMs) / DAY_MS),
    activityCount: LEAD_ENGAGEMENT.activities(engagement, rand.next()),
    interactionCount: LEAD_ENGAGEMENT.interactions(engagement, rand.next()),
    ownerIndex: pickOwner(ctx, rand),
  };
}

/** When a lead's story ends: its conversion, or up to four months after it came in. */
export function leadEndMs(ctx: DemoContext, profile: LeadProfile, converted: boolean): number {
  if (converted && profile.convertsAtMs !== undefined) return profile.convertsAtMs;
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
  // A converted lead's last activity is the conversion itself.
  if (converted) times[times.length - 1] = end;
  return times;
}
