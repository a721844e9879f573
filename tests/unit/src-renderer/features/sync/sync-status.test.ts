import { describe, expect, it } from 'vitest';
import type { CollectionActivity } from '../../../../../src-renderer/db/replication';
import {
  describeSyncError,
  relativeTime,
  type SummaryInput,
  summarize,
} from '../../../../../src-renderer/features/sync/sync-status';
import type { PendingDoc } from '../../../../../src-renderer/sync/outbox';
import type { CollectionName } from '../../../../../src-shared/schema/define-entity';

const caughtUp = (over: Partial<CollectionActivity> = {}): CollectionActivity => ({
  received: 0,
  pushed: 0,
  caughtUp: true,
  ...over,
});
const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `d${i}` }) as PendingDoc);

function input(over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    demo: false,
    online: true,
    forcedOffline: false,
    running: true,
    active: false,
    activity: new Map<CollectionName, CollectionActivity>([
      ['contacts', caughtUp({ lastPullAt: 1_000 })],
      ['audit', caughtUp({ caughtUp: false, lastPushAt: 2_000 })],
    ]),
    outbox: new Map([
      ['contacts', docs(2)],
      ['audit', docs(5)],
    ]),
    ...over,
  };
}

describe('the sync summary', () => {
  it('counts pending record changes but not their audit entries, and takes the newest sync time', () => {
    expect(summarize(input())).toEqual({ phase: 'synced', pending: 2, lastSyncAt: 2_000, error: undefined });
  });

  it('puts what the user must know first: demo, forced offline, offline, paused, error, syncing', () => {
    const error = { message: '/sync/contacts/push: 500 boom', at: 3_000, direction: 'push' as const };
    const failing = new Map<CollectionName, CollectionActivity>([['contacts', caughtUp({ error })]]);
    expect(summarize(input({ demo: true, forcedOffline: true })).phase).toBe('demo');
    expect(summarize(input({ forcedOffline: true, online: false })).phase).toBe('forced-offline');
    expect(summarize(input({ online: false })).phase).toBe('offline');
    expect(summarize(input({ running: false })).phase).toBe('paused');
    expect(summarize(input({ activity: failing }))).toMatchObject({
      phase: 'error',
      error: 'The sync server failed (500)',
    });
    expect(summarize(input({ active: true })).phase).toBe('syncing');
    // A collection that has not caught up once is still downloading.
    const downloading = new Map<CollectionName, CollectionActivity>([['contacts', caughtUp({ caughtUp: false })]]);
    expect(summarize(input({ activity: downloading })).phase).toBe('syncing');
  });

  it('treats a network failure as offline even when the browser says online', () => {
    const error = { message: 'TypeError: Failed to fetch', at: 1, direction: 'pull' as const };
    const activity = new Map<CollectionName, CollectionActivity>([['deals', caughtUp({ error })]]);
    expect(summarize(input({ activity }))).toMatchObject({
      phase: 'offline',
      error: 'The sync server cannot be reached',
    });
  });

  it('says errors in words and keeps long ones short', () => {
    expect(describeSyncError('/sync/deals/pull: 401 {"error":"expired"}')).toBe('The server refused this sign-in');
    expect(describeSyncError('x'.repeat(300))).toHaveLength(138);
  });
});

describe('relative time', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    [undefined, 'never'],
    [now - 10_000, 'just now'],
    [now - 5 * 60_000, '5 min ago'],
    [now - 3 * 3_600_000, '3 h ago'],
  ])('%s → %s', (at, text) => {
    expect(relativeTime(at, now)).toBe(text);
  });
  it('gives the date after a day', () => {
    expect(relativeTime(now - 3 * 86_400_000, now)).toMatch(/27/);
  });
});
