import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addLeadToList,
  assignLead,
  createLeadList,
  logLeadActivity,
  removeLeadFromList,
} from '../../../../../src-renderer/features/leads/leads.service';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const ROLE = 'role-rep';
const user = (id: string, status: 'active' | 'invited' | 'disabled' = 'active') =>
  t.repos.user.create({ id, email: `${id}@example.com`, firstName: 'Ada', lastName: id, roleId: ROLE, status });
const newLead = () => t.repos.lead.create({ lastName: 'Lovelace', source: 'referral', ownerId: 'u-old' });

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  const { entity, problems } = error as ValidationError;
  return { entity, field: problems[0]?.field, problem: problems[0]?.problem };
}

const auditCount = () => t.db.rx.audit.count().exec();

describe('assignLead', () => {
  it('changes the owner to an active user', async () => {
    await user('u-new');
    const lead = await newLead();
    const assigned = await assignLead(t.repos, lead.id, 'u-new');
    expect(assigned.ownerId).toBe('u-new');
    expect((await t.repos.lead.require(lead.id)).ownerId).toBe('u-new');
  });

  it('refuses no user, an unknown user, a disabled user and a deleted lead, writing nothing', async () => {
    await user('u-off', 'disabled');
    await user('u-new');
    const lead = await newLead();
    const before = await auditCount();
    expect(await problemOf(assignLead(t.repos, lead.id, ''))).toMatchObject({ field: 'ownerId' });
    expect(await problemOf(assignLead(t.repos, lead.id, 'u-ghost'))).toMatchObject({
      field: 'ownerId',
      problem: '"u-ghost" is not a user',
    });
    expect((await problemOf(assignLead(t.repos, lead.id, 'u-off'))).problem).toMatch(/not an active user/);
    await t.repos.lead.softDelete(lead.id);
    const afterDelete = await auditCount();
    expect((await problemOf(assignLead(t.repos, lead.id, 'u-new'))).problem).toMatch(/deleted lead/);
    await expect(assignLead(t.repos, 'no-such-lead', 'u-new')).rejects.toThrow(/does not exist/);
    expect((await t.repos.lead.require(lead.id)).ownerId).toBe('u-old');
    expect(afterDelete - before).toBe(1);
    expect(await auditCount()).toBe(afterDelete);
  });

  it('writes nothing when the lead already has that owner', async () => {
    await user('u-old');
    const lead = await newLead();
    const before = await auditCount();
    await assignLead(t.repos, lead.id, 'u-old');
    expect(await auditCount()).toBe(before);
  });
});

describe('lead list membership', () => {
  it('adds once, removes, and restores the same membership when added again', async () => {
    const lead = await newLead();
    const list = await createLeadList(t.repos, { name: 'Summit booth' });
    const first = await addLeadToList(t.repos, lead.id, list.id, new Date('2026-11-02T10:00:00Z'));
    expect(first).toMatchObject({ leadId: lead.id, leadListId: list.id, addedAt: '2026-11-02T10:00:00.000Z' });
    expect(first.ownerId).toBe('u-old');
    expect((await addLeadToList(t.repos, lead.id, list.id)).id).toBe(first.id);
    expect(await removeLeadFromList(t.repos, lead.id, list.id)).toEqual([first.id]);
    expect(await t.repos.leadListMember.count({ where: { leadListId: list.id } })).toBe(0);
    expect(await removeLeadFromList(t.repos, lead.id, list.id)).toEqual([]);
    const again = await addLeadToList(t.repos, lead.id, list.id);
    expect(again.id).toBe(first.id);
    expect(await t.repos.leadListMember.count({ where: { leadListId: list.id } })).toBe(1);
    expect(await t.repos.leadListMember.count({ includeDeleted: true })).toBe(1);
  });

  it('refuses no list, an unknown or deleted list and a deleted lead', async () => {
    const lead = await newLead();
    const list = await createLeadList(t.repos, { name: 'Old list' });
    expect(await problemOf(addLeadToList(t.repos, lead.id, ''))).toMatchObject({ field: 'leadListId' });
    expect(await problemOf(addLeadToList(t.repos, lead.id, 'nope'))).toMatchObject({ field: 'leadListId' });
    await t.repos.leadList.softDelete(list.id);
    expect(await problemOf(addLeadToList(t.repos, lead.id, list.id))).toMatchObject({ field: 'leadListId' });
    const open = await createLeadList(t.repos, { name: 'Open list' });
    await t.repos.lead.softDelete(lead.id);
    expect(await problemOf(addLeadToList(t.repos, lead.id, open.id))).toMatchObject({ field: 'leadId' });
    expect(await t.repos.leadListMember.count({ includeDeleted: true })).toBe(0);
  });

  it('creates static lists and refuses an empty or taken name', async () => {
    const list = await createLeadList(t.repos, { name: '  Q1 webinar  ', purpose: 'event' });
    expect(list).toMatchObject({ name: 'Q1 webinar', type: 'static', purpose: 'event' });
    expect(await problemOf(createLeadList(t.repos, { name: '   ' }))).toMatchObject({ field: 'name' });
    expect(await problemOf(createLeadList(t.repos, { name: 'q1  WEBINAR' }))).toMatchObject({
      field: 'name',
      problem: '"q1  WEBINAR" is already a list',
    });
    expect(await problemOf(createLeadList(t.repos, { name: 'x'.repeat(121) }))).toMatchObject({ field: 'name' });
    expect(await t.repos.leadList.count()).toBe(1);
  });
});

describe('logLeadActivity', () => {
  it('adds to the timeline and moves the lead’s last activity forward, never back', async () => {
    const lead = await newLead();
    const call = await logLeadActivity(t.repos, lead.id, {
      type: 'call',
      subject: 'Discovery call',
      occurredAt: '2026-11-01T10:00:00.000Z',
    });
    expect(call).toMatchObject({ leadId: lead.id, ownerId: 'u-old' });
    expect((await t.repos.lead.require(lead.id)).lastActivityAt).toBe('2026-11-01T10:00:00.000Z');
    await logLeadActivity(t.repos, lead.id, { type: 'emailSent', occurredAt: '2026-10-01T10:00:00.000Z' });
    expect((await t.repos.lead.require(lead.id)).lastActivityAt).toBe('2026-11-01T10:00:00.000Z');
    expect(await t.repos.leadActivity.count({ where: { leadId: lead.id } })).toBe(2);
  });

  it('refuses a bad type, a missing time and a deleted lead, writing nothing', async () => {
    const lead = await newLead();
    expect(
      await problemOf(
        logLeadActivity(t.repos, lead.id, { type: 'telepathy', occurredAt: '2026-11-01T10:00:00Z' } as never),
      ),
    ).toMatchObject({ entity: 'leadActivity', field: 'type' });
    expect(await problemOf(logLeadActivity(t.repos, lead.id, { type: 'call' } as never))).toMatchObject({
      field: 'occurredAt',
    });
    await t.repos.lead.softDelete(lead.id);
    expect(
      await problemOf(logLeadActivity(t.repos, lead.id, { type: 'call', occurredAt: '2026-11-01T10:00:00Z' })),
    ).toMatchObject({ field: 'leadId' });
    expect(await t.repos.leadActivity.count({ includeDeleted: true })).toBe(0);
  });
});
