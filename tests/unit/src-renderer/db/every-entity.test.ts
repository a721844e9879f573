import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityRepository } from '../../../../src-renderer/db/entity-repository';
import { ENTITIES } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from '../../../support/local-db';
import { sampleEdit, sampleInput, wrongValue } from '../../../support/sample-record';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const documents = ENTITIES.filter((e) => e.storage === 'document' && e.name !== 'auditLog');

function repoOf(name: string): EntityRepository<EntityDef> {
  return (t.repos as unknown as Record<string, EntityRepository<EntityDef>>)[name] as EntityRepository<EntityDef>;
}

describe.each(documents.map((e) => [e.name, e] as const))('%s through its repository', (name, entity) => {
  it('is stored, read back, listed, updated, deleted and restored, each write audited', async () => {
    const repo = repoOf(name);
    const created = await repo.create(sampleInput(entity) as never);
    expect(await repo.get(created.id)).toEqual(created);
    expect((await repo.list()).map((r) => r.id)).toContain(created.id);
    const [field, value] = sampleEdit(entity) ?? [];
    if (field) expect((await repo.update(created.id, { [field]: value } as never))[field]).toBe(value);
    await repo.softDelete(created.id);
    expect((await repo.list()).map((r) => r.id)).not.toContain(created.id);
    await repo.restore(created.id);
    const trail = await t.repos.auditLog.list({ where: { entityId: created.id } });
    expect(trail.map((e) => e.action).sort()).toEqual(
      field ? ['delete', 'insert', 'restore', 'update'] : ['delete', 'insert', 'restore'],
    );
  });

  it('rejects bad input naming the field, and stores nothing', async () => {
    const repo = repoOf(name);
    const before = await repo.count({ includeDeleted: true });
    const [field, spec] =
      Object.entries(entity.fields).find(([, f]) => f.required && wrongValue(f) !== undefined) ?? [];
    if (!field || !spec) return;
    await expect(repo.create({ ...sampleInput(entity), [field]: wrongValue(spec) } as never)).rejects.toThrow(
      new RegExp(`${name}: ${field} must`),
    );
    expect(await repo.count({ includeDeleted: true })).toBe(before);
  });
});
