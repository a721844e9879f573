import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../scripts/cli/cli-error';
import { describeUndo, importCommand } from '../../scripts/cli/import.command';
import { importToServer } from '../../scripts/cli/server-import';
import { ImportUndoError, undoImportOnServer } from '../../scripts/cli/server-import-undo';
import { parseCsvText } from '../../src-renderer/features/import/read-table';
import type { Database } from '../../sync-server/src/db/database';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { ADMIN_EMAIL, crm, preparedServer, seed } from './cli-support';

/**
 * `npm run crm -- import undo <batchId>` against a real Postgres: the app's undo semantics (created
 * records soft-deleted, updated fields put back), through push as the acting user, audited; records
 * edited since the import reported and left unless --force.
 */

let test: TestDatabase;
let db: Database;
let adminId: string;
const dir = mkdtempSync(join(tmpdir(), 'crm-import-undo-'));

interface Row {
  email: string;
  job_title: string | null;
  is_deleted: boolean;
  updated_by: string;
}
const contacts = async () =>
  (await db.query<Row>('SELECT email, job_title, is_deleted, updated_by FROM contacts ORDER BY email')).rows;

beforeAll(async () => {
  test = await createTestDatabase('crm_cli_import_undo');
  ({ db, adminId } = await preparedServer(test.url));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await test?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run crm -- import undo', () => {
  it('prints the batch, removes what it created, puts back what it updated, and leaves what was edited since', async () => {
    await seed(db, adminId, 'contact', [
      {
        id: 'contact-old',
        firstName: 'Old',
        lastName: 'Timer',
        email: 'old@example.com',
        status: 'active',
        jobTitle: 'Clerk',
      },
    ]);
    const path = join(dir, 'people.csv');
    writeFileSync(
      path,
      [
        'First Name,Last Name,Email,Job Title',
        'Ada,Lovelace,ada@example.com,Countess',
        'Bob,Jones,bob@example.com,Engineer',
        'Old,Timer,old@example.com,Director',
        '',
      ].join('\n'),
    );
    const imported = await crm(test.url, 'import', 'contact', path, '--update');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('2 created, 1 updated');
    const batchId = /import batch (\S+) \(undo: npm run crm -- import undo \1\)/.exec(imported.stdout)?.[1];
    expect(batchId).toMatch(/^\d{12}[0-9a-f]{6}$/);
    const journal = await db.query<{ reason: string; record_count: number }>(
      `SELECT reason, record_count FROM audit_log WHERE action = 'batch' AND entity_kind = 'contact'`,
    );
    expect(journal.rows).toEqual([
      {
        reason: `Import batch ${batchId}: people.csv, 2 created, 1 updated (undo: npm run crm -- import undo ${batchId})`,
        record_count: 3,
      },
    ]);

    // Someone edits Bob after the import (a later write).
    await db.query(
      `UPDATE contacts SET job_title = 'Chief engineer', updated_at = updated_at + interval '1 hour' WHERE email = $1`,
      ['bob@example.com'],
    );

    const undone = await crm(test.url, 'import', 'undo', batchId as string);
    expect(undone.code).toBe(1);
    expect(undone.stdout).toContain(
      `import undo ${batchId} (contact) as ${ADMIN_EMAIL}: 1 deleted, 1 restored, 1 left as they are`,
    );
    expect(undone.stdout).toMatch(/contact \S+ "Bob Jones": edited since the import/);
    expect(undone.stderr).toContain('1 record of the import left as they are');
    expect(await contacts()).toEqual([
      { email: 'ada@example.com', job_title: 'Countess', is_deleted: true, updated_by: adminId },
      { email: 'bob@example.com', job_title: 'Chief engineer', is_deleted: false, updated_by: adminId },
      { email: 'old@example.com', job_title: 'Clerk', is_deleted: false, updated_by: adminId },
    ]);
    // Written through push: each change has its own audit entry, and the undo its batch entry.
    const audit = await db.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE entity_kind = 'contact' GROUP BY action ORDER BY action`,
    );
    expect(audit.rows).toEqual([
      { action: 'batch', n: 2 },
      { action: 'delete', n: 1 },
      { action: 'insert', n: 3 },
      { action: 'update', n: 2 },
    ]);

    // Again: refused without --force; with it, the record edited since goes too and nothing else changes.
    await expect(undoImportOnServer(db, { batchId: batchId as string, force: false })).rejects.toThrow(
      /was undone at .* \(--force removes what that undo left\)/,
    );
    const forced = await undoImportOnServer(db, { batchId: batchId as string, force: true });
    expect([forced.deleted, forced.restored, forced.left]).toEqual([1, 0, []]);
    expect(describeUndo(batchId as string, forced)).toContain('1 deleted, 0 restored, 0 left as they are');
    expect((await contacts()).map((r) => [r.email, r.is_deleted])).toEqual([
      ['ada@example.com', true],
      ['bob@example.com', true],
      ['old@example.com', false],
    ]);
  }, 400_000);

  it('refuses an unknown batch id on stderr with exit code 1, and a missing one as a usage error', async () => {
    const unknown = await crm(test.url, 'import', 'undo', '202601010000abcdef');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('batchId: no import batch "202601010000abcdef" on this server');
    expect(unknown.stdout).toBe('');
    await expect(undoImportOnServer(db, { batchId: '%', force: false })).rejects.toThrow(ImportUndoError);
    // A missing id is a usage error (exit code 2), refused before the database is opened.
    await expect(importCommand(['undo'])).rejects.toThrow(new UsageError('import undo needs <batchId>'));
  }, 300_000);

  it('undoes nothing for a dry run or an import that wrote nothing (no batch is recorded)', async () => {
    const table = parseCsvText('First Name,Last Name,Email\nCy,Young,not-an-email\n');
    const result = await importToServer(db, {
      entity: 'contact',
      table,
      fileName: 'bad.csv',
      onDuplicate: 'skip',
      dryRun: false,
      ignoreUnknownColumns: false,
    });
    expect(result.failed).toBe(1);
    await expect(undoImportOnServer(db, { batchId: result.batchId, force: false })).rejects.toThrow(
      `batchId: no import batch "${result.batchId}" on this server`,
    );
  }, 60_000);
});
