import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommunicationFilters } from '../../../../../src-renderer/features/communications/communications.store';
import {
  communicationListOptions,
  communicationReadAhead,
} from '../../../../../src-renderer/features/communications/components/CommunicationList';
import { FIRST_PAGE_SIZE, PREFETCH_MAX } from '../../../../../src-renderer/ui/usePagedList';
import { communicationEntity } from '../../../../../src-shared/entities/content.entity';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { readAhead, showList } from '../../../../support/read-ahead';
import { countReads } from '../../../../support/storage-reads';

const {
  type: TYPES,
  direction: DIRECTIONS,
  status: STATUSES,
} = {
  type: communicationEntity.fields.type.values,
  direction: communicationEntity.fields.direction.values,
  status: communicationEntity.fields.status.values,
};
const NONE: CommunicationFilters = { type: '', direction: '', status: '' };

describe('the communications list reads ahead the other values of its selects', () => {
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

  it('reads ahead each other value of each select, the others as chosen, in the order of the selects', () => {
    const chosen: CommunicationFilters = { type: 'call', direction: '', status: 'missed' };
    // '' is any value: no equality on that field.
    const where = (w: Record<string, string>) => ({
      where: Object.fromEntries(Object.entries(w).filter(([, v]) => v)),
    });
    expect(communicationReadAhead(chosen)).toEqual([
      ...['', ...TYPES].filter((type) => type !== 'call').map((type) => where({ type, status: 'missed' })),
      ...DIRECTIONS.map((direction) => where({ type: 'call', direction, status: 'missed' })),
      ...['', ...STATUSES].filter((status) => status !== 'missed').map((status) => where({ type: 'call', status })),
    ]);
    expect(communicationReadAhead(NONE)).toHaveLength(TYPES.length + DIRECTIONS.length + STATUSES.length);
  });

  it('once read ahead, a switch to any of the first PREFETCH_MAX choices reads no storage; one past the cap does', async () => {
    const list = await showList(t.repos.communication, communicationListOptions(NONE));
    expect(list.rows).toHaveLength(FIRST_PAGE_SIZE);
    await readAhead(t.repos.communication, communicationReadAhead(NONE));
    const reads = countReads(t, 'activities');
    list.close();
    // What choosing them asks (not the read-ahead's own list): every type and direction, the first statuses.
    const switches: CommunicationFilters[] = [
      ...TYPES.map((type) => ({ ...NONE, type })),
      ...DIRECTIONS.map((direction) => ({ ...NONE, direction })),
      ...STATUSES.slice(0, PREFETCH_MAX - TYPES.length - DIRECTIONS.length).map((status) => ({ ...NONE, status })),
    ];
    expect(switches).toHaveLength(PREFETCH_MAX);
    for (const filters of switches) {
      const choice = communicationListOptions(filters);
      const switched = await showList(t.repos.communication, choice);
      expect(reads, JSON.stringify(choice)).toEqual([]);
      const expected = await t.repos.communication.list({ where: choice.where, limit: FIRST_PAGE_SIZE });
      expect(switched.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      reads.length = 0;
      switched.close();
    }
    // The control: the last status is past the cap, so choosing it reads its first page.
    const past = await showList(t.repos.communication, communicationListOptions({ ...NONE, status: 'received' }));
    expect(reads).toHaveLength(1);
    past.close();
  });

  it('a filter chosen with others: switching one of them back to all is read ahead too', async () => {
    const chosen: CommunicationFilters = { type: 'email', direction: 'inbound', status: '' };
    const list = await showList(t.repos.communication, communicationListOptions(chosen));
    await readAhead(t.repos.communication, communicationReadAhead(chosen));
    const reads = countReads(t, 'activities');
    list.close();
    const anyType = await showList(t.repos.communication, communicationListOptions({ ...chosen, type: '' }));
    expect(reads).toEqual([]);
    anyType.close();
  });
});
