import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../../sync-server/src/db/database';
import { crmInProcess, crmProcess, migratedPgliteFolder } from '../../support/crm-runner';

const dir = mkdtempSync(join(tmpdir(), 'crm-audit-'));
// The CLI would create and migrate the folder on its first run (initdb: seconds); that path is
// run by auth-bootstrap.test.ts. Here it starts from the migrated copy.
beforeAll(() => migratedPgliteFolder(dir), 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run crm -- audit …` on an embedded PGlite database in `dir`. */
const env = { DATABASE_URL: undefined, DATA_DIR: dir };
const crm = (...args: string[]) => crmInProcess(env, ...args);

/** Runs SQL on the CLI's database between two commands (PGlite: one process at a time). */
async function sql(...statements: string[]): Promise<void> {
  const db = await createPgliteDatabase(dir);
  try {
    for (const statement of statements) await db.query(statement);
  } finally {
    await db.close();
  }
}

const entry = (id: string) =>
  `INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, '${JSON.stringify({
    id,
    kind: 'auditLog',
    owner_id: 'u',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    created_by: 'u',
    updated_by: 'u',
    is_deleted: false,
    newest: 1,
    at: '2026-01-01T00:00:00Z',
    actor_id: 'u',
    device_id: 'd',
    source: 'local',
    action: 'insert',
    collection_name: 'contacts',
    entity_kind: 'contact',
    entity_id: 'c1',
    record_count: 1,
    sync_removed: false,
    sync_txid: '1',
    server_updated_at: '2026-01-01T00:00:00Z',
  })}'::jsonb)`;

describe('npm run crm -- audit verify', () => {
  it('says OK with the count on an intact chain, and names the first broken link with exit code 1', async () => {
    const empty = await crm('audit', 'verify');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^audit verify: OK, 0 entries in PGlite /);

    await sql(entry('au_1'), entry('au_2'), entry('au_3'));
    const intact = await crm('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^audit verify: OK, 3 entries in PGlite /);

    await sql(
      'SET session_replication_role = replica',
      `UPDATE audit_log SET entity_id = 'c2' WHERE id = 'au_2'`,
      'SET session_replication_role = origin',
    );
    const broken = await crm('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /^audit verify: BROKEN at seq 2, entry au_2: content does not match\n {2}expected [0-9a-f]{64}\n {2}actual {3}[0-9a-f]{64}\n {2}1 entries before it are intact/,
    );
    expect(broken.stderr).toContain('crm audit: the audit chain is broken at seq 2');
  }, 300_000);

  it.each([
    [['audit'], 'audit needs a subcommand: verify'],
    [['audit', 'fix'], 'unknown audit subcommand "fix"'],
    [['audit', 'verify', 'now'], 'audit verify takes no arguments'],
  ])(
    '%j fails with exit code 2',
    async (args, message) => {
      const result = await crm(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    },
    60_000,
  );

  it('as a process, exits with code 2 and says why on stderr', async () => {
    const result = await crmProcess(env, 'audit', 'fix');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown audit subcommand "fix"');
  }, 60_000);
});
