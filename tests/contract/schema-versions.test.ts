import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COLLECTION_VERSIONS } from '../../src-shared/entities/collections';
import { ENTITIES } from '../../src-shared/entities/registry';
import { COLLECTIONS } from '../../src-shared/schema/define-entity';
import { toRxSchema } from '../../src-shared/schema/to-rx-schema';

/**
 * A stored schema that changes without a version bump corrupts every device that already holds
 * data: RxDB refuses to open it, or worse reads it with the wrong shape. This snapshot fails the
 * build when a derived schema changes and its version does not. After bumping the version (and
 * adding the migration), refresh it with UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run tests/contract.
 */
const SNAPSHOT = fileURLToPath(new URL('./schema-versions.snap.json', import.meta.url));

interface Snapshot {
  collections: Record<string, { version: number; hash: string }>;
  entities: Record<string, { version: number; hash: string }>;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

function current(): Snapshot {
  return {
    collections: Object.fromEntries(
      COLLECTIONS.map((c) => {
        const { version, ...schema } = toRxSchema(c);
        return [c, { version, hash: hash(schema) }];
      }),
    ),
    entities: Object.fromEntries(
      ENTITIES.map((e) => [
        e.name,
        {
          version: e.version,
          hash: hash({
            fields: e.fields,
            indexes: e.indexes ?? [],
            table: e.table,
            collection: e.collection ?? null,
            // Only when declared, so entities without derived fields keep their hash.
            ...(e.derived
              ? {
                  derived: Object.fromEntries(
                    Object.entries(e.derived).map(([n, d]) => [n, { ...d.field, from: String(d.from) }]),
                  ),
                }
              : {}),
          }),
        },
      ]),
    ),
  };
}

describe('schema versions', () => {
  const now = current();
  if (process.env.UPDATE_SCHEMA_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(now, null, 2)}\n`);
  const stored = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;

  it.each(COLLECTIONS)('collection %s changes only with a version bump', (c) => {
    const before = stored.collections[c];
    const after = now.collections[c];
    expect(after, `${c} is missing from the snapshot; refresh it`).toBeDefined();
    if (!before || !after) return;
    if (after.hash !== before.hash) {
      expect(
        after.version,
        `${c}'s schema changed: bump COLLECTION_VERSIONS.${c} and add its migration`,
      ).toBeGreaterThan(before.version);
    }
    expect(after.version, 'a version went backwards').toBeGreaterThanOrEqual(before.version);
  });

  it.each(ENTITIES.map((e) => e.name))('entity %s changes only with a version bump', (name) => {
    const before = stored.entities[name];
    const after = now.entities[name];
    expect(before, `${name} is missing from the snapshot; refresh it`).toBeDefined();
    if (!before || !after) return;
    if (after.hash !== before.hash)
      expect(after.version, `${name} changed: bump its version`).toBeGreaterThan(before.version);
  });

  it('has a migration for every version step of every collection', () => {
    for (const c of COLLECTIONS) {
      const { version, migrations } = COLLECTION_VERSIONS[c];
      for (let v = 1; v <= version; v++) expect(migrations[v], `${c} migration to v${v}`).toBeTypeOf('function');
    }
  });
});
