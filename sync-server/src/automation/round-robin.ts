import type { Queryable } from '../db/database';

/**
 * Round-robin within a group, its state in Postgres (`automation_rotations`: the member assigned
 * last). The rotation row is locked FOR UPDATE and advanced in the transaction that assigns, so
 * concurrent runs (several workers, several server instances) take turns one after another: none
 * is handed the same turn, none skips a member, and a run that rolls back gives its turn back.
 * Members are the group's active users in id order; the next is the first after the last one
 * assigned (so a member joining or leaving does not reshuffle everyone's turn).
 */

const MEMBERS = `SELECT DISTINCT m.user_id FROM user_group_members m JOIN users u ON u.id = m.user_id
WHERE m.group_id = $1 AND NOT m.is_deleted AND NOT m.sync_removed
  AND NOT u.is_deleted AND NOT u.sync_removed AND u.status = 'active'
ORDER BY m.user_id`;

/** The group's next member, its turn taken (undefined, and nothing taken, when it has no active member). */
export async function takeTurn(tx: Queryable, groupId: string): Promise<string | undefined> {
  await tx.query('INSERT INTO automation_rotations (group_id) VALUES ($1) ON CONFLICT (group_id) DO NOTHING', [
    groupId,
  ]);
  const { rows } = await tx.query<{ last_user_id: string | null }>(
    'SELECT last_user_id FROM automation_rotations WHERE group_id = $1 FOR UPDATE',
    [groupId],
  );
  const members = (await tx.query<{ user_id: string }>(MEMBERS, [groupId])).rows.map((r) => r.user_id);
  if (members.length === 0) return undefined;
  const last = rows[0]?.last_user_id ?? null;
  const next = (last === null ? undefined : members.find((m) => m > last)) ?? members[0];
  await tx.query('UPDATE automation_rotations SET last_user_id = $2, turns = turns + 1 WHERE group_id = $1', [
    groupId,
    next,
  ]);
  return next;
}
