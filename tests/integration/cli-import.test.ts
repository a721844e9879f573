import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeImport } from '../../scripts/cli/import.command';
import { importToServer } from '../../scripts/cli/server-import';
import { parseCsvText, parseXlsx } from '../../src-renderer/features/import/read-table';
import type { Database } from '../../sync-server/src/db/database';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import type { TestDatabase } from '../support/postgres';
import { ADMIN_EMAIL, crm, crmInProcessAt, preparedServer } from './cli-support';

/**
 * `npm run crm -- import` against a real Postgres: what lands, what is refused, and how it is said.
 * One call runs as a real process (exit code and stderr of the process); the others go through the
 * CLI's runner in-process (same argv, output and exit code), as a process costs seconds each.
 */

let test: TestDatabase;
let db: Database;
let adminId: string;
const dir = mkdtempSync(join(tmpdir(), 'crm-import-'));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const contacts = async () =>
  (
    await db.query<{
      email: string;
      first_name: string;
      birthday: string | null;
      job_title: string | null;
      sync_txid: string;
      owner_id: string;
    }>('SELECT email, first_name, birthday::text, job_title, sync_txid::text, owner_id FROM contacts ORDER BY email')
  ).rows;

beforeAll(async () => {
  test = await createMigratedTestDatabase('crm_cli_import');
  ({ db, adminId } = await preparedServer(test.url));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await test?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run crm -- import', () => {
  it('refuses an unknown entity and a column that matches no field, writing nothing', async () => {
    const good = file('good.csv', ['First Name,Last Name,Email', 'Ada,Lovelace,ada@example.com']);
    const entity = await crm(test.url, 'import', 'widget', good);
    expect(entity.code).toBe(2);
    expect(entity.stderr).toContain('unknown entity "widget": import takes company, contact, lead, deal');

    const badColumn = file('bad-column.csv', [
      'First Name,Last Name,Email,Shoe Size',
      'Ada,Lovelace,ada@example.com,7',
    ]);
    const refused = await crmInProcessAt(test.url, 'import', 'contact', badColumn);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('column "Shoe Size" of bad-column.csv matches no field of Contact');
    expect(refused.stderr).toContain('nothing was imported');
    expect(await contacts()).toEqual([]);
  }, 60_000);

  it('imports the valid rows, names each bad row and column, and writes nothing on --dry-run', async () => {
    const mixed = file('mixed.csv', [
      'First Name,Last Name,Email,Birthday',
      'Ada,Lovelace,ada@example.com,1815-12-10',
      'Bob,Jones,bob@example.com,31/31/1990',
      'Cy,Young,not-an-email,',
      'Dee,Dee,dee@example.com,',
    ]);
    const dry = await crmInProcessAt(test.url, 'import', 'contact', mixed, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(
      '(dry run: nothing written): 2 would be created, 0 would be updated, 0 skipped, 2 with errors',
    );
    expect(dry.stderr).toContain('2 rows not imported (problems above); 2 others would be imported');
    expect(await contacts()).toEqual([]);

    const done = await crmInProcessAt(test.url, 'import', 'contact', mixed);
    expect(done.code).toBe(1);
    expect(done.stdout).toContain(`import contact as ${ADMIN_EMAIL}: 2 created, 0 updated, 0 skipped, 2 with errors`);
    expect(done.stderr).toContain('row 3, column "Birthday": "31/31/1990" is not a date');
    expect(done.stderr).toContain('row 4, column "Email": "not-an-email" is not an email address');
    expect(done.stderr).toContain('2 rows not imported (problems above); 2 others were imported');
    const rows = await contacts();
    expect(rows.map((r) => [r.email, r.birthday])).toEqual([
      ['ada@example.com', '1815-12-10'],
      ['dee@example.com', null],
    ]);
    // Stamped with the writing transaction (devices pull from that cursor) and audited as the admin.
    for (const row of rows) {
      expect(Number(row.sync_txid)).toBeGreaterThan(0);
      expect(row.owner_id).toBe(adminId);
    }
    const audit = await db.query<{ action: string; actor_id: string; source: string }>(
      // Each written record; the import's own batch entry (its undo journal) is tested in cli-import-undo.test.ts.
      `SELECT action, actor_id, source FROM audit_log WHERE entity_kind = 'contact' AND action <> 'batch'`,
    );
    expect(audit.rows).toEqual([
      { action: 'insert', actor_id: adminId, source: 'server' },
      { action: 'insert', actor_id: adminId, source: 'server' },
    ]);
  }, 60_000);

  it('says no row was imported when every row has a problem', async () => {
    const allBad = file('all-bad.csv', ['First Name,Email', 'Cy,not-an-email', 'Di,di@']);
    const before = await contacts();
    const done = await crmInProcessAt(test.url, 'import', 'contact', allBad);
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('2 rows not imported (problems above); no row was imported');
    expect(done.stderr).not.toContain('others');
    expect(await contacts()).toEqual(before);
  }, 60_000);

  // In-process (the command's own function on the same database): each CLI process costs seconds here.
  it('skips duplicates by default, updates them with --update, and reads XLSX', async () => {
    const again = parseCsvText('Email,First Name,Last Name,Job Title\nADA@example.com,Ada,Lovelace,Countess\n');
    const base = {
      entity: 'contact',
      table: again,
      fileName: 'again.csv',
      dryRun: false,
      ignoreUnknownColumns: false,
    } as const;
    const skipped = await importToServer(db, { ...base, onDuplicate: 'skip' });
    expect([skipped.created, skipped.updated, skipped.skipped, skipped.failed]).toEqual([0, 0, 1, 0]);
    expect(describeImport('contact', skipped, false)).toContain('row 2: skipped, already exists');

    const both = await crmInProcessAt(test.url, 'import', 'contact', 'x.csv', '--update', '--skip-duplicates');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--update and --skip-duplicates exclude each other');

    const updated = await importToServer(db, { ...base, onDuplicate: 'update' });
    expect([updated.created, updated.updated, updated.skipped, updated.failed]).toEqual([0, 1, 0, 0]);
    expect((await contacts()).find((r) => r.email === 'ada@example.com')?.job_title).toBe('Countess');
    const audit = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_kind = 'contact' AND action = 'update'`,
    );
    expect(audit.rows[0]?.n).toBe(1);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['First Name', 'Last Name', 'Email', 'Birthday']);
    sheet.addRow(['Eve', 'Adams', 'eve@example.com', new Date(Date.UTC(1990, 4, 17))]);
    const table = await parseXlsx((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const fromXlsx = await importToServer(db, {
      ...base,
      table,
      fileName: 'people.xlsx',
      asEmail: ADMIN_EMAIL,
      onDuplicate: 'skip',
    });
    expect(fromXlsx.created).toBe(1);
    expect((await contacts()).find((r) => r.email === 'eve@example.com')?.birthday).toBe('1990-05-17');

    await expect(importToServer(db, { ...base, asEmail: 'nobody@example.com', onDuplicate: 'skip' })).rejects.toThrow(
      '--as: no user with email "nobody@example.com" on this server',
    );
  }, 120_000);
});
