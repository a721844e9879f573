import type { FastifyInstance } from 'fastify';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { AutomationWorker } from '../../sync-server/src/automation/automation.service';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { doc, ORG_USERS, seed, startScopedServer } from './sync-scope-fixtures';

/** The server-side automation over the scope tests' organisation (sync-scope-fixtures.ts: team A = g_a with u_rep_a1, u_rep_a2). */

export const NOW = new Date('2026-04-06T09:00:00.000Z');

/** The demo's inbound-lead routing (src-shared/demo/records-settings.ts), on team A. */
export const ROUTE_LEADS = {
  name: 'Route new inbound leads',
  entityKind: 'lead',
  trigger: 'recordCreated',
  conditions: { all: [{ field: 'source', op: 'in', value: ['website', 'paidAds'] }] },
  actions: [
    { type: 'assignRoundRobin', groupId: 'g_a' },
    { type: 'createTask', taskType: 'call', dueInDays: 1, title: 'Call new inbound lead' },
  ],
  active: true,
};

export function workflowDoc(id: string, fields: Record<string, unknown>): WireDoc {
  return doc('workflow', id, {
    ownerId: ORG_USERS.admin.id,
    createdBy: ORG_USERS.admin.id,
    updatedBy: ORG_USERS.admin.id,
    ...fields,
  });
}

export function leadDoc(id: string, owner: string = ORG_USERS.repA1.id, fields: Record<string, unknown> = {}): WireDoc {
  return doc('lead', id, {
    ownerId: owner,
    createdBy: owner,
    updatedBy: owner,
    lastName: `Lead ${id}`,
    source: 'website',
    ...fields,
  });
}

export interface Harness {
  app: FastifyInstance;
  db: Database;
  clock: { now: Date };
  worker(): AutomationWorker;
}

/** The scoped app over a seeded organisation with the workflows given; workers share a movable clock. */
export async function startAutomation(db: Database, workflows: WireDoc[]): Promise<Harness> {
  const app = await startScopedServer(db);
  if (workflows.length > 0) await seed(db, 'settings', workflows);
  const clock = { now: NOW };
  let n = 0;
  return {
    app,
    db,
    clock,
    worker: () =>
      new AutomationWorker({ db, now: () => clock.now, newId: () => `srv_auto_${++n}`, retryDelayMs: 60_000 }),
  };
}

export async function rows<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

export async function tasksAbout(db: Queryable, subjectId: string) {
  return rows<{ id: string; owner_id: string; workflow_id: string; type: string; title: string }>(
    db,
    'SELECT id, owner_id, workflow_id, type, title FROM tasks WHERE subject_id = $1 ORDER BY id',
    [subjectId],
  );
}

export async function ownerOf(db: Queryable, table: string, id: string): Promise<string | undefined> {
  return (await rows<{ owner_id: string }>(db, `SELECT owner_id FROM ${table} WHERE id = $1`, [id]))[0]?.owner_id;
}
