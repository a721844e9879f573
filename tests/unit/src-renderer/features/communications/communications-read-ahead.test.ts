import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommunicationFilters } from '../../../../../src-renderer/features/communications/communications.store';
import {
  communicationListOptions,
  communicationReadAhead,
} from '../../../../../src-renderer/features/communications/components/CommunicationList';
import { FIRST_PAGE_SIZE } from '../../../../../src-renderer/ui/usePagedList';
import { communicationEntity } from '../../../../../src-shared/entities/content.entity';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { readAhead, showList } from '../../../../support/read-ahead';
import { countReads } from '../../../../support/storage-reads';

const TYPES = communicationEntity.fields.type.values;
const DIRECTIONS = communicationEntity.fields.direction.values;
const STATUSES = communicationEntity.fields.status.values;
const NONE: CommunicationFilters = { type: '', direction: '', status: '' };
const CALLS: CommunicationFilters = { ...NONE, type: 'call' };

describe('the communications list reads ahead the choices of its selects that an index serves', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
    const contact = await t.repos.contact.create({ firstName: 'Ada' } as never);
    // Every type, direction and status, and more than a first page in all.
    for (let i = 0; i < 90; i++) {
      t.tick();
      await t.repos.communication.create({
        type: TYPES[i % TYPES.length],
        direction: DIRECTIONS[i % DIRECTIONS.length],
        status: STATUSES[(i >> 1) % STATUSES.length],
        subjectType: 'contact',
        subjectId: contact.id,
        subject: `Communication ${i}`,
        occurredAt: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString(),
      } as never);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it("reads ahead each select's values alone (an index each); two selects together walk, and are left out", () => {
    const repo = t.repos.communication;
    const alone = (key: keyof CommunicationFilters, values: readonly string[], but = '') =>
      values.filter((v) => v !== but).map((v) => communicationListOptions({ ...NONE, [key]: v }));
    expect(communicationReadAhead(repo, CALLS)).toEqual([
      communicationListOptions(NONE),
      ...alone('type', TYPES, 'call'),
    ]);
    expect(communicationReadAhead(repo, { ...NONE, status: 'missed' })).toEqual([
      communicationListOptions(NONE),
      ...alone('status', STATUSES, 'missed'),
    ]);
    expect(communicationReadAhead(repo, NONE)).toEqual([
      ...alone('type', TYPES),
      ...alone('direction', DIRECTIONS),
      ...alone('status', STATUSES),
    ]);
    expect(communicationReadAhead(repo, { ...CALLS, status: 'missed' })).toEqual([
      communicationListOptions({ ...NONE, status: 'missed' }),
      communicationListOptions(CALLS),
    ]);
  });

  it('once read ahead, going back from a type to all shows the list without a storage read', async () => {
    const list = await showList(t.repos.communication, communicationListOptions(CALLS));
    await readAhead(t.repos.communication, communicationReadAhead(t.repos.communication, CALLS));
    const reads = countReads(t, 'activities');
    list.close();
    const all = await showList(t.repos.communication, communicationListOptions(NONE));
    expect(reads).toEqual([]);
    const expected = await t.repos.communication.list({ limit: FIRST_PAGE_SIZE });
    expect(all.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(all.rows).toHaveLength(FIRST_PAGE_SIZE);
    all.close();
    // Another type was read ahead too: choosing it does not read either.
    const emails = await showList(t.repos.communication, communicationListOptions({ ...NONE, type: 'email' }));
    expect(reads).toEqual([]);
    emails.close();
    // A direction was not (from calls, only calls of a direction, which an index does not answer): it reads.
    const inbound = await showList(t.repos.communication, communicationListOptions({ ...NONE, direction: 'inbound' }));
    expect(reads).toHaveLength(1);
    inbound.close();
  });

  it('the control: without the read-ahead, going back to all reads storage', async () => {
    const list = await showList(t.repos.communication, communicationListOptions(CALLS));
    const reads = countReads(t, 'activities');
    list.close();
    const all = await showList(t.repos.communication, communicationListOptions(NONE));
    expect(reads).toEqual([FIRST_PAGE_SIZE]);
    all.close();
  });
});
