import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Content,
  engagementByContent,
  fileSize,
  type Interaction,
  libraryRows,
} from '../../../../../src-renderer/features/content/content-engagement';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { interactionRecord } from '../../../../support/interaction-record';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

let seq = 0;
const interaction = (partial: Partial<Interaction>) =>
  interactionRecord(`i${++seq}`, { occurredAt: daysAgo(1), createdAt: daysAgo(1), updatedAt: daysAgo(1), ...partial });

function content(id: string, partial: Partial<Content> = {}): Content {
  return {
    id,
    kind: 'content',
    title: `Title ${id}`,
    type: 'blogPost',
    status: 'published',
    ownerId: 'u',
    createdAt: daysAgo(100),
    updatedAt: daysAgo(100),
    createdBy: 'u',
    updatedBy: 'u',
    isDeleted: false,
    newest: 0,
    ...partial,
  } as Content;
}

describe('engagementByContent', () => {
  it('counts by kind, unique people, the last engagement and a weekly series ending now', () => {
    const e = engagementByContent(
      [
        interaction({ type: 'view', occurredAt: daysAgo(1) }),
        interaction({ type: 'watch', occurredAt: daysAgo(2), subjectId: 'lead-2' }),
        interaction({ type: 'download', occurredAt: daysAgo(8) }),
        interaction({ type: 'click', occurredAt: daysAgo(9), subjectType: 'contact', subjectId: 'lead-1' }),
        interaction({ type: 'like', occurredAt: daysAgo(200) }),
        interaction({ type: 'formSubmit', occurredAt: daysAgo(0.5), isDeleted: true }),
        interaction({ contentId: 'c2', type: 'share', occurredAt: daysAgo(3) }),
      ],
      NOW,
      4,
    );
    expect(e.get('c1')).toEqual({
      total: 5,
      counts: { views: 2, opens: 0, downloads: 1, clicks: 1, shares: 0, forms: 0, reactions: 1 },
      people: 3, // lead-1, lead-2 and the contact with the same id are three people
      lastAt: daysAgo(1),
      weekly: [0, 0, 2, 2],
    });
    expect(e.get('c2')?.counts.shares).toBe(1);
    expect(e.has('c3')).toBe(false);
  });
});

describe('fileSize', () => {
  it('reads bytes as people do', () => {
    expect(fileSize(512)).toBe('512 bytes');
    expect(fileSize(8_935_726)).toBe('8.5 MB');
    expect(fileSize(40_000_000)).toBe('38 MB');
  });
});

describe('libraryRows', () => {
  const items = [
    content('a', { title: 'Alpha guide', type: 'ebook', tags: ['pipeline'] }),
    content('b', { title: 'Beta video', type: 'video', topic: 'Forecasting' }),
    content('c', { title: 'Gamma post', status: 'draft' }),
    content('d', { title: 'Deleted', isDeleted: true }),
  ];
  const engagement = engagementByContent(
    [
      interaction({ contentId: 'b', occurredAt: daysAgo(30) }),
      interaction({ contentId: 'b', subjectId: 'lead-9' }),
      interaction({ contentId: 'a', occurredAt: daysAgo(2) }),
    ],
    NOW,
  );

  it('sorts by engagement (items never engaged last) and by recency', () => {
    expect(libraryRows(items, engagement, {}, 'engagement').map((r) => r.content.id)).toEqual(['b', 'a', 'c']);
    expect(libraryRows(items, engagement, {}, 'recent').map((r) => r.content.id)).toEqual(['b', 'a', 'c']);
    expect(libraryRows(items, engagement, {}, 'title').map((r) => r.content.id)).toEqual(['a', 'b', 'c']);
    expect(libraryRows(items, engagement, {}, 'engagement')[2]?.engagement.total).toBe(0);
  });

  it('filters by type, status and words of the title, topic or tags', () => {
    expect(libraryRows(items, engagement, { type: 'video' }, 'engagement').map((r) => r.content.id)).toEqual(['b']);
    expect(libraryRows(items, engagement, { status: 'draft' }, 'engagement').map((r) => r.content.id)).toEqual(['c']);
    expect(libraryRows(items, engagement, { text: 'PIPE' }, 'engagement').map((r) => r.content.id)).toEqual(['a']);
    expect(libraryRows(items, engagement, { text: 'forecast' }, 'engagement').map((r) => r.content.id)).toEqual(['b']);
  });
});

describe('content writes (the library and its detail save through the repository)', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses content without a title or with a bad URL, and an interaction without its content', async () => {
    const fieldsOf = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).problems.map((x) => x.field);
    };
    expect(await fieldsOf(t.repos.content.create({ type: 'video', url: 'not a url' } as never))).toEqual([
      'title',
      'url',
    ]);
    expect(
      await fieldsOf(
        t.repos.contentInteraction.create({
          subjectType: 'lead',
          subjectId: 'l1',
          type: 'view',
          occurredAt: 'yesterday',
        } as never),
      ),
    ).toEqual(expect.arrayContaining(['contentId', 'occurredAt']));
    expect(await t.repos.content.count()).toBe(0);
  });
});
