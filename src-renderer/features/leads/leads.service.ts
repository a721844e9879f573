import type { EntityByName } from '../../../src-shared/entities/registry';
import type { EntityInputOf, EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import type { Lead } from './lead-inbox.queries';

type LeadListMember = EntityRecord<EntityByName<'leadListMember'>>;
type LeadList = EntityRecord<EntityByName<'leadList'>>;
type LeadActivity = EntityRecord<EntityByName<'leadActivity'>>;

/** The lead, or a ValidationError naming `field` when it is deleted (nothing is done to deleted leads). */
async function liveLead(repos: Repositories, leadId: string, entity: string, field: string, doing: string) {
  const lead = await repos.lead.require(leadId);
  if (lead.isDeleted) throw new ValidationError(entity, [{ field, problem: `a deleted lead cannot be ${doing}` }]);
  return lead;
}

/**
 * Gives a lead to another user. The new owner must be an active user on this device; assigning
 * to the current owner changes nothing (no write, no audit entry).
 */
export async function assignLead(repos: Repositories, leadId: string, userId: string): Promise<Lead> {
  if (!userId.trim()) throw new ValidationError('lead', [{ field: 'ownerId', problem: 'is required: choose a user' }]);
  const user = await repos.user.get(userId);
  if (!user || user.isDeleted)
    throw new ValidationError('lead', [{ field: 'ownerId', problem: `"${userId}" is not a user` }]);
  if (user.status !== 'active')
    throw new ValidationError('lead', [
      { field: 'ownerId', problem: `${user.firstName} ${user.lastName} is not an active user (${user.status})` },
    ]);
  const lead = await liveLead(repos, leadId, 'lead', 'ownerId', 'assigned');
  if (lead.ownerId === userId) return lead;
  return repos.lead.update(leadId, { ownerId: userId });
}

/**
 * Puts a lead on a list. Already a member: the membership is returned as it is; a membership
 * removed earlier is restored rather than written twice (one row per lead and list).
 */
export async function addLeadToList(
  repos: Repositories,
  leadId: string,
  listId: string,
  at: Date = new Date(),
): Promise<LeadListMember> {
  const list = listId ? await repos.leadList.get(listId) : undefined;
  if (!list || list.isDeleted)
    throw new ValidationError('leadListMember', [{ field: 'leadListId', problem: 'is required: choose a list' }]);
  const lead = await liveLead(repos, leadId, 'leadListMember', 'leadId', 'added to a list');
  const rows = await repos.leadListMember.list({ where: { leadId }, includeDeleted: true });
  const mine = rows.filter((m) => m.leadListId === listId);
  const current = mine.find((m) => !m.isDeleted);
  if (current) return current;
  const removed = mine[0];
  if (removed) return repos.leadListMember.restore(removed.id);
  return repos.leadListMember.create({
    leadListId: listId,
    leadId,
    addedAt: at.toISOString(),
    // A membership belongs to its lead (owner rule 'parent'), as the demo data and the server have it.
    ownerId: lead.ownerId,
  });
}

/** Takes a lead off a list (soft delete, so it can be undone); returns the memberships removed. */
export async function removeLeadFromList(repos: Repositories, leadId: string, listId: string): Promise<string[]> {
  const rows = await repos.leadListMember.list({ where: { leadId } });
  const removed: string[] = [];
  for (const member of rows.filter((m) => m.leadListId === listId)) {
    await repos.leadListMember.softDelete(member.id);
    removed.push(member.id);
  }
  return removed;
}

/** A new static lead list; its name must be free among the lists on this device (case and spaces ignored). */
export async function createLeadList(
  repos: Repositories,
  input: EntityInputOf<EntityByName<'leadList'>>,
): Promise<LeadList> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name) {
    const key = name.toLowerCase().replace(/\s+/g, ' ');
    const lists = await repos.leadList.list();
    if (lists.some((l) => l.name.trim().toLowerCase().replace(/\s+/g, ' ') === key))
      throw new ValidationError('leadList', [{ field: 'name', problem: `"${name}" is already a list` }]);
  }
  return repos.leadList.create({ type: 'static', ...input, name });
}

export type ActivityInput = Omit<EntityInputOf<EntityByName<'leadActivity'>>, 'leadId'>;

/**
 * Logs a touchpoint on a lead's timeline and moves the lead's "last activity" forward. Both
 * writes or neither: if the lead cannot be updated, the activity is removed again.
 */
export async function logLeadActivity(
  repos: Repositories,
  leadId: string,
  input: ActivityInput,
): Promise<LeadActivity> {
  const lead = await liveLead(repos, leadId, 'leadActivity', 'leadId', 'given an activity');
  const activity = await repos.leadActivity.create({ ...input, leadId, ownerId: lead.ownerId });
  const later = lead.lastActivityAt === undefined || Date.parse(activity.occurredAt) > Date.parse(lead.lastActivityAt);
  if (later) {
    try {
      await repos.lead.update(leadId, { lastActivityAt: activity.occurredAt });
    } catch (error) {
      await repos.leadActivity.discard(activity.id);
      throw error;
    }
  }
  return activity;
}
