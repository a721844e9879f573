import type { FastifyInstance } from 'fastify';
import { BUILT_IN_ROLE_IDS, builtInPermissions } from '../../src-shared/auth/built-in-roles';
import { getEntity } from '../../src-shared/entities/registry';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { PullResponse, PushResponse, PushRow, SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import type { Authenticate } from '../../sync-server/src/auth/authenticate';
import type { Database } from '../../sync-server/src/db/database';
import { HttpError } from '../../sync-server/src/http/errors';
import { push } from '../../sync-server/src/sync/push';
import { caughtUp } from '../support/sync-horizon';
import { post, sampleDoc, startServer } from './sync-server-fixtures';

/**
 * An organisation for the scope tests, written through the server's own push as an administrator:
 * - team A: group `g_a` managed by `u_mgr_a`, members `u_rep_a1`, `u_rep_a2`;
 * - team B: group `g_b` managed by `u_mgr_b`, member `u_rep_b`;
 * - `u_admin`; every user with a built-in role.
 * Records: a contact per rep, a deal of `u_rep_a1` with a product line and a stage history entry,
 * a lead of `u_rep_b` with an activity.
 */

export const ORG_USERS = {
  admin: { id: 'u_admin', role: 'admin' },
  mgrA: { id: 'u_mgr_a', role: 'manager' },
  repA1: { id: 'u_rep_a1', role: 'rep' },
  repA2: { id: 'u_rep_a2', role: 'rep' },
  mgrB: { id: 'u_mgr_b', role: 'manager' },
  repB: { id: 'u_rep_b', role: 'rep' },
} as const;

export type OrgUser = keyof typeof ORG_USERS;

/**
 * The test seam of a signed-in user: `x-user-id` names them and, unlike the default header seam,
 * gets NO unrestricted access: their role and team are loaded from the database as for a token.
 */
export const scopedHeaderAuthenticate: Authenticate = (request) => {
  const header = request.headers['x-user-id'];
  if (typeof header !== 'string' || header === '') throw new HttpError(401, 'x-user-id is required', 'x-user-id');
  return { userId: header };
};

export const doc = (kind: string, id: string, overrides: Record<string, unknown> = {}): WireDoc =>
  sampleDoc(getEntity(kind), id, overrides);

const owned = (kind: string, id: string, owner: string, overrides: Record<string, unknown> = {}) =>
  doc(kind, id, { ownerId: owner, createdBy: owner, updatedBy: owner, ...overrides });

const ADMIN_CONTEXT = {
  userId: ORG_USERS.admin.id,
  access: { kind: 'unrestricted', userId: ORG_USERS.admin.id } as const,
  now: () => new Date('2026-04-01T00:00:00.000Z'),
  newId: (() => {
    let n = 0;
    return () => `srv_seed_${++n}`;
  })(),
};

/** Writes documents as the administrator would (through push); fails the test on any refusal. */
export async function seed(db: Database, collection: CollectionName, docs: WireDoc[]): Promise<void> {
  const result = await push(db, collection, { rows: docs.map((d) => ({ newDocumentState: d })) }, ADMIN_CONTEXT);
  if (result.rejected.length > 0 || result.conflicts.length > 0) {
    throw new Error(`seed ${collection}: ${JSON.stringify(result.rejected)} ${result.conflicts.length} conflicts`);
  }
}

export async function seedOrg(db: Database): Promise<void> {
  await seed(
    db,
    'settings',
    (['admin', 'manager', 'rep'] as const).map((role) =>
      doc('userRole', BUILT_IN_ROLE_IDS[role], { name: role, permissions: builtInPermissions(role), isSystem: true }),
    ),
  );
  await seed(
    db,
    'users',
    Object.values(ORG_USERS).map((u) =>
      doc('user', u.id, { email: `${u.id}@example.com`, roleId: BUILT_IN_ROLE_IDS[u.role], ownerId: u.id }),
    ),
  );
  await seed(db, 'settings', [
    doc('userGroup', 'g_a', { name: 'Team A', managerId: ORG_USERS.mgrA.id }),
    doc('userGroup', 'g_b', { name: 'Team B', managerId: ORG_USERS.mgrB.id }),
    doc('userGroupMember', 'm_a1', { groupId: 'g_a', userId: ORG_USERS.repA1.id }),
    doc('userGroupMember', 'm_a2', { groupId: 'g_a', userId: ORG_USERS.repA2.id }),
    doc('userGroupMember', 'm_b', { groupId: 'g_b', userId: ORG_USERS.repB.id }),
  ]);
  await seed(db, 'contacts', [
    owned('contact', 'c_a1', ORG_USERS.repA1.id, { firstName: 'Alice' }),
    owned('contact', 'c_a2', ORG_USERS.repA2.id, { firstName: 'Arthur' }),
    owned('contact', 'c_b', ORG_USERS.repB.id, { firstName: 'Secret-of-team-B' }),
  ]);
  await seed(db, 'deals', [
    owned('deal', 'd_a1', ORG_USERS.repA1.id),
    owned('dealProduct', 'dp_a1', ORG_USERS.repA1.id, { dealId: 'd_a1' }),
  ]);
  await seed(db, 'leads', [owned('lead', 'l_b', ORG_USERS.repB.id)]);
  await seed(db, 'activities', [
    owned('dealStageHistory', 'sh_a1', ORG_USERS.repA1.id, { dealId: 'd_a1' }),
    owned('leadActivity', 'la_b', ORG_USERS.repB.id, { leadId: 'l_b' }),
  ]);
}

/** The app with scoped header auth over a seeded organisation. */
export async function startScopedServer(db: Database): Promise<FastifyInstance> {
  const app = await startServer(db, { authenticate: scopedHeaderAuthenticate });
  await seedOrg(db);
  return app;
}

export function pullAs(
  app: FastifyInstance,
  user: OrgUser,
  collection: string,
  checkpoint: SyncCheckpoint | null = null,
  limit = 500,
) {
  return post<PullResponse>(
    app,
    `/sync/${collection}/pull`,
    { checkpoint, limit },
    { 'x-user-id': ORG_USERS[user].id },
  );
}

export function pushAs(app: FastifyInstance, user: OrgUser, collection: string, rows: PushRow[]) {
  return post<PushResponse>(app, `/sync/${collection}/push`, { rows }, { 'x-user-id': ORG_USERS[user].id });
}

/** Every document the user pulls from `checkpoint` on, and where they end. */
export async function pullAllAs(
  app: FastifyInstance,
  db: Database,
  user: OrgUser,
  collection: string,
  from: SyncCheckpoint | null = null,
  limit = 500,
): Promise<{ documents: WireDoc[]; checkpoint: SyncCheckpoint | null }> {
  await caughtUp(db);
  const documents: WireDoc[] = [];
  let checkpoint = from;
  for (;;) {
    const page = await pullAs(app, user, collection, checkpoint, limit);
    if (page.status !== 200)
      throw new Error(`pull ${collection} as ${user}: ${page.status} ${JSON.stringify(page.body)}`);
    documents.push(...page.body.documents);
    checkpoint = page.body.checkpoint;
    if (page.body.documents.length === 0) return { documents, checkpoint };
  }
}

export const idsOf = (docs: readonly WireDoc[]) => docs.map((d) => d.id).sort();
