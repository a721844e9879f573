import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addNote } from '../../../../../src-renderer/features/timeline/notes.service';
import {
  addSocialProfile,
  handleOf,
  normaliseProfileUrl,
  platformOf,
} from '../../../../../src-renderer/features/timeline/social-profiles.service';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function problemsOf(write: Promise<unknown>): Promise<{ field: string; problem: string }[]> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).problems];
}

describe('social profile URLs', () => {
  it.each([
    ['https://www.linkedin.com/in/ada-lovelace/', 'linkedin', 'ada-lovelace'],
    ['https://x.com/ada', 'twitter', 'ada'],
    ['https://twitter.com/ada', 'twitter', 'ada'],
    ['https://github.com/octocat', 'github', 'octocat'],
    ['https://www.youtube.com/@adalovelace', 'youtube', 'adalovelace'],
    ['https://mastodon.social/@ada', 'other', 'ada'],
    // Look-alike hosts are not the network.
    ['https://linkedin.com.evil.example/in/ada', 'other', 'ada'],
    ['https://notgithub.com/ada', 'other', 'ada'],
  ])('%s is %s, handle %s', (url, platform, handle) => {
    expect(platformOf(url)).toBe(platform);
    expect(handleOf(url)).toBe(handle);
  });

  it('adds https:// to a bare host/path and leaves anything else as typed', () => {
    expect(normaliseProfileUrl('  linkedin.com/in/ada ')).toBe('https://linkedin.com/in/ada');
    expect(normaliseProfileUrl('ftp://files.example/ada')).toBe('ftp://files.example/ada');
    expect(normaliseProfileUrl('not a profile')).toBe('not a profile');
  });
});

describe('addSocialProfile', () => {
  it('adds a profile with its platform and handle taken from the URL', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' });
    const profile = await addSocialProfile(t.repos, {
      subjectType: 'contact',
      subjectId: contact.id,
      url: 'linkedin.com/in/ada-lovelace',
    });
    expect(profile).toMatchObject({
      subjectType: 'contact',
      subjectId: contact.id,
      url: 'https://linkedin.com/in/ada-lovelace',
      platform: 'linkedin',
      handle: 'ada-lovelace',
    });
    expect(await t.repos.socialProfile.list({ where: { subjectId: contact.id } })).toHaveLength(1);
  });

  it.each([
    ['not a profile', 'must be a valid http(s) URL'],
    ['javascript:alert(1)', 'must be a valid http(s) URL'],
    ['ftp://files.example/ada', 'must be a valid http(s) URL'],
    ['   ', 'is required'],
  ])('refuses %j naming the url field, and writes nothing', async (url, problem) => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' });
    const problems = await problemsOf(
      addSocialProfile(t.repos, { subjectType: 'contact', subjectId: contact.id, url }),
    );
    expect(problems).toEqual([{ field: 'url', problem }]);
    expect(await t.repos.socialProfile.count()).toBe(0);
  });

  it('refuses the same URL twice on one record, but not on another', async () => {
    const a = await t.repos.company.create({ name: 'Acme' });
    const b = await t.repos.company.create({ name: 'Beta' });
    const url = 'https://github.com/acme';
    await addSocialProfile(t.repos, { subjectType: 'company', subjectId: a.id, url });
    const problems = await problemsOf(
      addSocialProfile(t.repos, { subjectType: 'company', subjectId: a.id, url: 'HTTPS://GITHUB.COM/acme' }),
    );
    expect(problems).toEqual([{ field: 'url', problem: 'is already on this record' }]);
    await addSocialProfile(t.repos, { subjectType: 'company', subjectId: b.id, url });
    expect(await t.repos.socialProfile.count()).toBe(2);
  });
});

describe('addNote', () => {
  it('adds a trimmed note about the record', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' });
    const note = await addNote(t.repos, { subjectType: 'contact', subjectId: contact.id, body: '  Likes tea \n' });
    expect(note).toMatchObject({ subjectId: contact.id, body: 'Likes tea', noteType: 'general', pinned: false });
  });

  it('refuses a blank note naming the body field, and writes nothing', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' });
    const problems = await problemsOf(
      addNote(t.repos, { subjectType: 'contact', subjectId: contact.id, body: ' \n ' }),
    );
    expect(problems).toEqual([{ field: 'body', problem: 'is required' }]);
    expect(await t.repos.note.count()).toBe(0);
  });

  it('refuses a note on no record (the registry requires subjectId)', async () => {
    const problems = await problemsOf(addNote(t.repos, { subjectType: 'contact', subjectId: '', body: 'Orphan' }));
    expect(problems.map((p) => p.field)).toContain('subjectId');
    expect(await t.repos.note.count()).toBe(0);
  });
});
