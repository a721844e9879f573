import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { exportFromServer } from '../../scripts/cli/server-export';
import { importToServer } from '../../scripts/cli/server-import';
import { parseCsvText } from '../../src-renderer/features/import/read-table';
import { noteEntity } from '../../src-shared/entities/work.entity';
import { withDerived } from '../../src-shared/schema/define-entity';
import type { Database } from '../../sync-server/src/db/database';
import { createdFields } from '../../sync-server/src/integrations/server-write';
import { insertRow } from '../../sync-server/src/sync/row-writer';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import type { TestDatabase } from '../support/postgres';
import { crm, crmInProcessAt, preparedServer } from './cli-support';

/**
 * `npm run crm -- export` from a real Postgres, each format read back by a reader that shares no
 * code with its writer (csv-parse, SheetJS, pdftotext, JSON.parse) and compared with the rows.
 */

let test: TestDatabase;
let db: Database;
const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));

const DEALS = [
  'Name,Stage,Amount,Currency,Expected close date',
  'Alpha renewal,negotiation,1250.50,EUR,2026-03-31',
  'Beta pilot,proposal,99,USD,2026-01-15',
  'Gamma rollout,negotiation,300000,JPY,2026-06-30',
].join('\n');

beforeAll(async () => {
  test = await createMigratedTestDatabase('crm_cli_export');
  ({ db } = await preparedServer(test.url));
  const result = await importToServer(db, {
    entity: 'deal',
    table: parseCsvText(DEALS),
    fileName: 'deals.csv',
    onDuplicate: 'skip',
    dryRun: false,
    ignoreUnknownColumns: false,
  });
  expect(result.problems).toEqual([]);
  expect(result.created).toBe(3);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await test?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const columns = ['name', 'stage', 'amount', 'expectedCloseDate', 'ownerId'];
const where = ['stage=negotiation'];

async function exportAs(format: 'csv' | 'xlsx' | 'pdf' | 'json'): Promise<string> {
  const out = join(dir, `deals.${format}`);
  const result = await exportFromServer(db, { entity: 'deal', format, out, where, columns });
  expect(result.rows).toBe(2);
  return out;
}

describe('npm run crm -- export', () => {
  it('writes CSV and JSON of the filtered rows, money as amount and currency', async () => {
    const csv = parse(readFileSync(await exportAs('csv')), { bom: true, columns: true }) as Record<string, string>[];
    expect(
      csv
        .map((r) => [r.Name, r.Stage, r.Amount, r['Amount currency'], r['Expected close'], r.Owner])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['Alpha renewal', 'Negotiation', '1250.5', 'EUR', '2026-03-31', 'Ada Admin'],
      ['Gamma rollout', 'Negotiation', '300000', 'JPY', '2026-06-30', 'Ada Admin'],
    ]);
    const json = JSON.parse(readFileSync(await exportAs('json'), 'utf8')) as unknown;
    expect(JSON.stringify(json)).toContain('"amount":{"amount":1250.5,"currency":"EUR"}');
    expect(JSON.stringify(json)).toContain('"amount":{"amount":300000,"currency":"JPY"}');
    expect(JSON.stringify(json)).not.toContain('Beta pilot');
  });

  it('writes typed XLSX cells and a PDF whose text holds the rows', async () => {
    const book = XLSX.read(readFileSync(await exportAs('xlsx')), { cellDates: true, cellNF: true });
    const sheet = book.Sheets[book.SheetNames[0] ?? ''] as XLSX.WorkSheet;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 });
    expect(rows).toHaveLength(3);
    const amounts = Object.values(sheet).filter(
      (c): c is XLSX.CellObject => typeof c === 'object' && c !== null && 't' in c && c.t === 'n',
    );
    expect(amounts.map((c) => c.v).sort()).toEqual([1250.5, 300000]);

    const text = execFileSync('pdftotext', ['-layout', await exportAs('pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Alpha renewal');
    expect(text).toContain('Gamma rollout');
    expect(text).toContain('Filters: Stage: negotiation');
    expect(text).not.toContain('Beta pilot');
  });

  it('audits each export and, as a process, refuses an unknown filter field with exit code 2 and no file', async () => {
    const audit = await db.query<{ reason: string; actor_id: string }>(
      `SELECT reason, actor_id FROM audit_log WHERE entity_kind = 'deal' AND action = 'batch'`,
    );
    expect(audit.rows.map((r) => r.reason)).toContain('Export: CSV of 2 Deals (Filters: Stage: negotiation)');

    const out = join(dir, 'bad.csv');
    const bad = await crm(test.url, 'export', 'deal', '--format', 'csv', '--out', out, '--where', 'shoeSize=7');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--where shoeSize is not a field of Deal');
    const ok = await crmInProcessAt(test.url, 'export', 'deal', '--format', 'json', '--out', join(dir, 'all.json'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^export deal as admin@example.com: 3 rows → .*all\.json\n$/);
    const all = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as { sections: { rows: { name: string }[] }[] };
    expect(all.sections[0]?.rows.map((r) => r.name).sort()).toEqual(['Alpha renewal', 'Beta pilot', 'Gamma rollout']);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 60_000);

  it('exports the audit trail with the audit viewer’s filters, and each format reads back with the entries', async () => {
    const { rows: expected } = await db.query<{ id: string; entity_id: string; reason: string | null }>(
      `SELECT id, entity_id, reason FROM audit_log WHERE entity_kind = 'deal' ORDER BY at DESC, id DESC`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const auditOut = (format: 'csv' | 'xlsx' | 'pdf' | 'json') => join(dir, `audit.${format}`);
    for (const format of ['csv', 'xlsx', 'pdf', 'json'] as const) {
      const result = await exportFromServer(db, {
        entity: 'auditLog',
        format,
        out: auditOut(format),
        where: ['entityKind=deal', 'from=2000-01-01'],
        pageSize: 2,
      });
      expect([format, result.rows]).toEqual([format, expected.length]);
    }
    const csv = parse(readFileSync(auditOut('csv')), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.Record)).toEqual(expected.map((r) => r.entity_id));
    expect(csv.map((r) => r.Entity)).toEqual(expected.map(() => 'deal'));
    expect(csv.map((r) => r.Reason ?? '')).toEqual(expected.map((r) => r.reason ?? ''));
    expect(csv[0]).toHaveProperty('Who');
    const json = JSON.parse(readFileSync(auditOut('json'), 'utf8')) as { sections: { rows: { entityId: string }[] }[] };
    expect(json.sections[0]?.rows.map((r) => r.entityId)).toEqual(expected.map((r) => r.entity_id));
    const book = XLSX.read(readFileSync(auditOut('xlsx')));
    const sheet = book.Sheets[book.SheetNames[0] ?? ''] as XLSX.WorkSheet;
    expect(XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 })).toHaveLength(expected.length + 1);
    const text = execFileSync('pdftotext', ['-layout', auditOut('pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Audit log');
    expect(text).toContain('Entity: deal');
    // Long ids wrap inside their narrow column: their start is on the page.
    for (const row of expected.slice(0, 3)) expect(text).toContain(row.entity_id.slice(0, 6));

    // The export of the trail is audited too; a bad filter is refused naming it, and no file is left.
    const { rows } = await db.query(`SELECT 1 FROM audit_log WHERE entity_kind = 'auditLog' AND action = 'batch'`);
    expect(rows).toHaveLength(4);
    await expect(
      exportFromServer(db, { entity: 'auditLog', format: 'csv', out: join(dir, 'x.csv'), where: ['action=nope'] }),
    ).rejects.toMatchObject({ field: '--where action', reason: expect.stringMatching(/must be one of/) });
    await expect(
      exportFromServer(db, { entity: 'auditLog', format: 'csv', out: join(dir, 'x.csv'), where: ['colour=red'] }),
    ).rejects.toMatchObject({ field: '--where colour' });
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  }, 60_000);
});

describe('npm run crm -- export of records about other records', () => {
  it('names the record a note is about (its type in subjectType), not just its id', async () => {
    const { rows: deals } = await db.query<{ id: string }>(`SELECT id FROM deals WHERE name = 'Beta pilot'`);
    const { rows: users } = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@example.com'`);
    const dealId = deals[0]?.id as string;
    const adminId = users[0]?.id as string;
    const note = withDerived(noteEntity, {
      ...createdFields('note-about-beta', 'note', adminId, adminId, new Date('2026-11-02T10:00:00.000Z')),
      subjectType: 'deal',
      subjectId: dealId,
      noteType: 'general',
      pinned: false,
      title: 'Pilot scope',
      body: 'Two sites first.',
    });
    await db.transaction((tx) => insertRow(tx, noteEntity, note));
    const out = join(dir, 'notes.csv');
    const result = await exportFromServer(db, { entity: 'note', format: 'csv', out, where: [] });
    expect(result.rows).toBe(1);
    const csv = parse(readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv[0]?.Record).toBe('Beta pilot');
  });
});

describe('npm run crm -- export names what it cannot write', () => {
  const run = (...args: string[]) => crmInProcessAt(test.url, 'export', 'deal', ...args);

  it('refuses a missing folder, a folder as the file and an extension of another format, before reading', async () => {
    const missing = await run('--format', 'csv', '--out', join(dir, 'no-such-folder', 'deals.csv'));
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([
      2,
      `crm: --out cannot write ${join(dir, 'no-such-folder', 'deals.csv')}: the folder ${join(dir, 'no-such-folder')} does not exist`,
    ]);
    const folder = await run('--format', 'csv', '--out', dir);
    expect([folder.code, folder.stderr.split('\n')[0]]).toEqual([
      2,
      `crm: --out ${dir} is a folder: name the file to write in it`,
    ]);
    const other = await run('--format', 'pdf', '--out', join(dir, 'deals-as-pdf.csv'));
    expect([other.code, other.stderr.split('\n')[0]]).toEqual([2, 'crm: --out ends in .csv but --format is pdf']);
    expect(readdirSync(dir).filter((f) => f.includes('deals-as-pdf') || f.endsWith('.part'))).toEqual([]);
  });

  it('names the file, not its hidden part file, when the folder may not be written (exit 1)', async () => {
    // sysfs takes no new files, even from root.
    const denied = await run('--format', 'csv', '--out', '/sys/deals.csv');
    expect([denied.code, denied.stderr]).toEqual([1, 'crm export: cannot write /sys/deals.csv: permission denied\n']);
  });

  it('names an unknown --columns field by the option it came from', async () => {
    const bad = await run('--format', 'csv', '--out', join(dir, 'cols.csv'), '--columns', 'name,shoeSize');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'crm: --columns shoeSize is not a field of Deal']);
  });

  it('gives a name without an extension the format’s, as the save dialog does', async () => {
    const ok = await run('--format', 'xlsx', '--out', join(dir, 'deals-report'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`→ ${join(dir, 'deals-report.xlsx')}`);
    expect(existsSync(join(dir, 'deals-report.xlsx'))).toBe(true);
  });
});

describe('npm run crm -- export order', () => {
  it('lists records newest first, as the app does, across pages and ties, not in id order', async () => {
    // Creation order made the reverse of id order (ids are random): id order can no longer pass.
    const { rows: byId } = await db.query<{ id: string }>('SELECT id FROM deals ORDER BY id');
    const base = 8_000_000_000_000;
    await db.query('UPDATE deals SET newest = $1::bigint + array_position($2::text[], id) / 2', [
      base,
      byId.map((r) => r.id).reverse(),
    ]);
    const { rows: expected } = await db.query<{ name: string }>(
      'SELECT name FROM deals WHERE NOT is_deleted ORDER BY newest, id',
    );
    const out = join(dir, 'deals-order.json');
    await exportFromServer(db, { entity: 'deal', format: 'json', out, where: [], columns: ['name'], pageSize: 1 });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { sections: { rows: { name: string }[] }[] };
    expect(json.sections[0]?.rows.map((r) => r.name)).toEqual(expected.map((r) => r.name));
    expect(expected.map((r) => r.name)).not.toEqual(
      (await db.query<{ name: string }>('SELECT name FROM deals WHERE NOT is_deleted ORDER BY id')).rows.map(
        (r) => r.name,
      ),
    );
  });
});
