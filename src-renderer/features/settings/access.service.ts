import type { Repositories } from '../../db/repositories';
import { refuse, text, type Values } from './settings-errors';

async function assertRole(repos: Repositories, roleId: unknown): Promise<void> {
  if (typeof roleId !== 'string' || roleId === '') return; // the registry names a missing role
  const role = await repos.userRole.get(roleId);
  if (!role || role.isDeleted) refuse('user', 'roleId', 'is not a role of this organisation');
}

async function assertEmailFree(repos: Repositories, email: unknown, exceptId?: string): Promise<void> {
  if (typeof email !== 'string') return;
  const holder = (await repos.user.list({ where: { email }, includeDeleted: true })).find((u) => u.id !== exceptId);
  if (holder) refuse('user', 'email', `${email} already belongs to ${holder.firstName} ${holder.lastName}`);
}

/** Whether making `managerId` the manager of `userId` would make someone their own manager. */
export async function managerCycle(repos: Repositories, userId: string, managerId: string): Promise<boolean> {
  const seen = new Set<string>([userId]);
  let next: string | undefined = managerId;
  while (next) {
    if (seen.has(next)) return true;
    seen.add(next);
    next = (await repos.user.get(next))?.managerId;
  }
  return false;
}

/** Invites a user: status 'invited' until they first sign in; the email must be new, the role real. */
export async function inviteUser(repos: Repositories, input: Values) {
  const email = text(input.email)?.toLowerCase();
  await assertEmailFree(repos, email);
  await assertRole(repos, input.roleId);
  return repos.user.create({ ...input, ...(email ? { email } : {}), status: 'invited' } as never);
}

/** Edits a user (role, manager, details); a manager chain may not loop. */
export async function updateUser(repos: Repositories, id: string, patch: Values) {
  const email = typeof patch.email === 'string' ? patch.email.trim().toLowerCase() : undefined;
  if (email) await assertEmailFree(repos, email, id);
  if ('roleId' in patch) await assertRole(repos, patch.roleId);
  const managerId = patch.managerId;
  if (typeof managerId === 'string' && managerId !== '') {
    if (managerId === id) refuse('user', 'managerId', 'cannot be the user themselves');
    if (await managerCycle(repos, id, managerId)) refuse('user', 'managerId', 'would make a loop of managers');
  }
  return repos.user.update(id, { ...patch, ...(email ? { email } : {}) } as never);
}

/** Disables a user (they can no longer sign in; their records stay) or enables them again. */
export async function setUserStatus(
  repos: Repositories,
  id: string,
  status: 'active' | 'disabled',
  currentUserId: string,
) {
  if (status === 'disabled' && id === currentUserId) refuse('user', 'status', 'you cannot disable yourself');
  return repos.user.update(id, { status });
}

/** Whether making `parentId` the parent of `groupId` would put the group inside itself. */
async function groupCycle(repos: Repositories, groupId: string | undefined, parentId: string): Promise<boolean> {
  const seen = new Set<string>(groupId ? [groupId] : []);
  let next: string | undefined = parentId;
  while (next) {
    if (seen.has(next)) return true;
    seen.add(next);
    next = (await repos.userGroup.get(next))?.parentGroupId;
  }
  return false;
}

export async function saveGroup(repos: Repositories, id: string | undefined, values: Values) {
  const parent = values.parentGroupId;
  if (typeof parent === 'string' && parent !== '') {
    if (parent === id) refuse('userGroup', 'parentGroupId', 'cannot be the group itself');
    if (await groupCycle(repos, id, parent)) refuse('userGroup', 'parentGroupId', 'would put the group inside itself');
  }
  return id ? repos.userGroup.update(id, values as never) : repos.userGroup.create(values as never);
}

/**
 * Adds a user to a group. Someone already in it is refused; a membership removed earlier is
 * restored, so the group's history stays one record per person.
 */
export async function addGroupMember(
  repos: Repositories,
  groupId: string,
  userId: string,
  role: 'member' | 'lead' = 'member',
) {
  if (!userId) refuse('userGroupMember', 'userId', 'is required');
  const group = await repos.userGroup.require(groupId);
  const memberships = await repos.userGroupMember.list({ where: { groupId }, includeDeleted: true });
  const existing = memberships.find((m) => m.userId === userId);
  if (existing && !existing.isDeleted) {
    const user = await repos.user.get(userId);
    refuse(
      'userGroupMember',
      'userId',
      `${user ? `${user.firstName} ${user.lastName}` : userId} is already in ${group.name}`,
    );
  }
  if (existing) {
    await repos.userGroupMember.restore(existing.id);
    return repos.userGroupMember.update(existing.id, { role });
  }
  return repos.userGroupMember.create({ groupId, userId, role });
}

export async function removeGroupMember(repos: Repositories, memberId: string) {
  return repos.userGroupMember.softDelete(memberId);
}
