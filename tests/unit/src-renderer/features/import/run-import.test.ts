import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryJournalStore } from '../../../../../src-renderer/features/import/import-journal';
import { parseCsvText } from '../../../../../src-renderer/features/import/read-table';
import { executeImport, prepareImport, undoImport } from '../../../../../src-renderer/features/import/run-import';
import { contactEntity } from '../../../../../src-shared/entities/contact.entity';
import { matchColumns } from '../../../../../src-shared/import/column-mapping';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const CSV = [
  '\uFEFFFirst name,Last name,Email,Company,Do not contact,Tags',
  'Ann,Archer,ann@example.com,Acme,no,vip',
  'Bob,Baker,not-an-email,Acme,yes,',
  'Cleo,Cole,cleo@example.com,,,',
  'Dup,Dupont,ann@example.com,,,',
  'Olga,Old-new,olga@example.com,,,',
  '"Pat, Jr.",Park,pat@example.com,Nobody Inc,,',
  `${'X'.repeat(101)},Long,long@example.com,,,`,
].join('\r\n');

describe('import of contacts through the repositories', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
    await t.repos.company.create({ name: 'Acme', domain: 'acme.com' });
    await t.repos.contact.create({ firstName: 'Olga', lastName: 'Old', email: 'olga@example.com', tags: ['key'] });
  });
  afterEach(async () => t.close());

  async function run(onDuplicate: 'update' | 'skip') {
    const table = parseCsvText(CSV);
    const mapping = matchColumns(table.headers, contactEntity).map((m) => m.field);
    const plan = await prepareImport(t.repos, 'contact', table, { mapping, onDuplicate });
    const journal = memoryJournalStore();
    const progress: number[] = [];
    const result = await executeImport(t.repos, 'contact', plan, {
      batchId: 'b1',
      fileName: 'people.csv',
      headers: table.headers,
      mapping,
      journal,
      chunkSize: 2,
      onProgress: (p) => progress.push(p.done),
    });
    return { plan, result, journal, progress };
  }

  it('writes the valid rows, names the bad row and column, skips duplicates and updates on request', async () => {
    const { result, progress } = await run('update');
    expect(result).toMatchObject({ created: 2, updated: 1, skipped: 1, failed: 3 });
    expect(result.problems).toEqual([
      { row: 3, column: 'Email', field: 'email', problem: '"not-an-email" is not an email address' },
      { row: 7, column: 'Company', field: 'companyId', problem: 'no company "Nobody Inc" found' },
      // Refused by the repository's registry check when planned, not by the conversion.
      { row: 8, column: 'First name', field: 'firstName', problem: 'must be at most 100 characters' },
    ]);
    // The rows written: the refused ones are problems from the plan on.
    expect(progress.at(-1)).toBe(3);
    const contacts = await t.repos.contact.list();
    const ann = contacts.find((c) => c.email === 'ann@example.com');
    expect(ann).toMatchObject({ firstName: 'Ann', doNotContact: false, source: 'import', tags: ['vip', 'import:b1'] });
    expect(ann?.companyId).toBe((await t.repos.company.list())[0]?.id);
    expect(contacts.find((c) => c.email === 'olga@example.com')).toMatchObject({
      lastName: 'Old-new',
      tags: ['key', 'import:b1'],
    });
  });

  it('undoes a whole import: created records soft-deleted, updated ones restored', async () => {
    const { journal } = await run('update');
    const entry = journal.list()[0];
    if (!entry) throw new Error('no journal');
    expect(await undoImport(t.repos, entry, journal)).toEqual({ deleted: 2, restored: 1 });
    const live = await t.repos.contact.list();
    expect(live.map((c) => c.email)).toEqual(['olga@example.com']);
    expect(live[0]).toMatchObject({ lastName: 'Old', tags: ['key'] });
    expect(journal.list()[0]?.undoneAt).toEqual(expect.any(String));
  });

  it('leaves an existing record alone when duplicates are skipped', async () => {
    const { result } = await run('skip');
    expect(result).toMatchObject({ created: 2, updated: 0, skipped: 2, failed: 3 });
    expect((await t.repos.contact.list()).find((c) => c.email === 'olga@example.com')?.lastName).toBe('Old');
  });

  it('keeps an existing record unchanged when its update is refused, naming the row and column', async () => {
    const table = parseCsvText(`Email,Last name\r\nolga@example.com,${'Y'.repeat(101)}\r\nnew@example.com,New`);
    const mapping = ['email', 'lastName'];
    const plan = await prepareImport(t.repos, 'contact', table, { mapping, onDuplicate: 'update' });
    const journal = memoryJournalStore();
    const result = await executeImport(t.repos, 'contact', plan, {
      batchId: 'b2',
      fileName: 'x.csv',
      headers: table.headers,
      mapping,
      journal,
    });
    expect(result).toMatchObject({ updated: 0, failed: 2 });
    expect(result.problems).toEqual([
      { row: 2, column: 'Last name', field: 'lastName', problem: 'must be at most 100 characters' },
      // The file has no first name, which a new contact needs.
      { row: 3, column: '', field: 'firstName', problem: 'First name is required (no column gives it)' },
    ]);
    const olga = (await t.repos.contact.list()).find((c) => c.email === 'olga@example.com');
    expect(olga).toMatchObject({ lastName: 'Old', tags: ['key'] });
    expect(journal.list()[0]?.updates).toEqual([]);
  });

  it('plans a new row the repository would refuse as a problem, so the preview counts only what will be stored', async () => {
    const table = parseCsvText(
      [
        'First name,Last name,Email,Phone,LinkedIn',
        ',Nofirst,nofirst@example.org,,',
        `${'L'.repeat(120)},Long,long@example.org,,`,
        'Pat,Phone,pat@example.org,call me,',
        'Url,Bad,url@example.org,,linkedin dot com',
        'Good,Row,good.row@example.org,+1 555 0100,https://linkedin.com/in/good',
      ].join('\r\n'),
    );
    const mapping = matchColumns(table.headers, contactEntity).map((m) => m.field);
    const plan = await prepareImport(t.repos, 'contact', table, { mapping, onDuplicate: 'update' });
    expect(plan.counts).toEqual({ create: 1, update: 0, skip: 0, error: 4 });
    expect(plan.rows.map((r) => r.action)).toEqual(['error', 'error', 'error', 'error', 'create']);
    expect(plan.rows.flatMap((r) => r.problems)).toEqual([
      { row: 2, column: 'First name', field: 'firstName', problem: 'is required' },
      { row: 3, column: 'First name', field: 'firstName', problem: 'must be at most 100 characters' },
      { row: 4, column: 'Phone', field: 'phone', problem: expect.any(String) },
      { row: 5, column: 'LinkedIn', field: 'linkedinUrl', problem: expect.any(String) },
    ]);
    // Without a first name column, every new row says which field no column gives.
    const noFirst = await prepareImport(t.repos, 'contact', table, {
      mapping: mapping.map((f) => (f === 'firstName' ? undefined : f)),
      onDuplicate: 'update',
    });
    expect(noFirst.counts.create).toBe(0);
    expect(noFirst.rows[4]?.problems).toEqual([
      { row: 6, column: '', field: 'firstName', problem: 'First name is required (no column gives it)' },
    ]);
    expect(await t.repos.contact.count({})).toBe(1);
  });
});
