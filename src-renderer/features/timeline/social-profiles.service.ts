import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';

type Profile = EntityRecord<Repositories['socialProfile']['entity']>;
export type SocialPlatform = Profile['platform'];
export type ProfileSubjectType = Profile['subjectType'];

export interface NewSocialProfile {
  subjectType: ProfileSubjectType;
  subjectId: string;
  /** As typed: `linkedin.com/in/ada` gets its https:// added. */
  url: string;
  /** Default: from the URL's host. */
  platform?: SocialPlatform;
  /** Default: the URL's last path segment. */
  handle?: string;
}

const HOSTS: readonly [RegExp, SocialPlatform][] = [
  [/(^|\.)linkedin\.com$/, 'linkedin'],
  [/(^|\.)(twitter|x)\.com$/, 'twitter'],
  [/(^|\.)(facebook|fb)\.com$/, 'facebook'],
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)github\.com$/, 'github'],
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'youtube'],
  [/(^|\.)tiktok\.com$/, 'tiktok'],
];

/** The network a profile URL belongs to, from its host; 'other' when unknown or not a URL. */
export function platformOf(url: string): SocialPlatform {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? 'other';
  } catch {
    return 'other';
  }
}

/** The handle a profile URL names: its last path segment without an @ (`/in/ada-l/` → `ada-l`). */
export function handleOf(url: string): string | undefined {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    const last = segments.at(-1)?.replace(/^@/, '');
    return last ? decodeURIComponent(last).slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

/** A typed address as a URL: a bare `host/path` gets https://; anything with a scheme stays as typed. */
export function normaliseProfileUrl(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  return /^[\w-]+(\.[\w-]+)+(\/|$)/.test(trimmed) ? `https://${trimmed}` : trimmed;
}

/**
 * Adds a social profile to a contact, company or lead. The repository validates the record (a URL
 * that is not http(s) is refused, naming `url`); the same URL twice on one record is refused too.
 */
export async function addSocialProfile(repos: Repositories, input: NewSocialProfile): Promise<Profile> {
  const url = normaliseProfileUrl(input.url);
  if (url === '') throw new ValidationError('socialProfile', [{ field: 'url', problem: 'is required' }]);
  const existing = await repos.socialProfile.list({ where: { subjectId: input.subjectId } });
  if (existing.some((p) => p.url.toLowerCase() === url.toLowerCase())) {
    throw new ValidationError('socialProfile', [{ field: 'url', problem: 'is already on this record' }]);
  }
  const handle = input.handle?.trim() || handleOf(url);
  return repos.socialProfile.create({
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    url,
    platform: input.platform ?? platformOf(url),
    ...(handle ? { handle } : {}),
  });
}
