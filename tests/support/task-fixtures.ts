import { taskEntity } from '../../src-shared/entities/work.entity';
import type { TestDb } from './local-db';

const STATUSES = taskEntity.fields.status.values;

/**
 * `count` tasks, each a tick after the one before, cycling through every status (completed ones
 * with their completedAt); every third belongs to user-rep-2, the others to the test's actor.
 */
export async function createMixedTasks(t: TestDb, count: number): Promise<void> {
  const inputs = [];
  for (let i = 0; i < count; i++) {
    t.tick();
    const status = STATUSES[i % STATUSES.length];
    inputs.push({
      title: `Task ${i}`,
      status,
      ...(status === 'completed' ? { completedAt: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString() } : {}),
      ...(i % 3 === 0 ? { ownerId: 'user-rep-2' } : {}),
    });
  }
  await t.repos.task.bulkCreate(inputs as never);
}
