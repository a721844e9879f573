import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import { repositoryFor } from '../../../../../src-renderer/features/exports/export-context';
import { desktopSink } from '../../../../../src-renderer/features/exports/export-sinks';
import { type ExportRequest, runExport } from '../../../../../src-renderer/features/exports/run-export';
import { LEAD_EXPORT_COLUMNS, leadExport } from '../../../../../src-renderer/features/leads/lead-export';
import { DEFAULT_FILTER, observeInbox } from '../../../../../src-renderer/features/leads/lead-inbox.queries';
import { TASK_EXPORT_COLUMNS, taskViewExport } from '../../../../../src-renderer/features/tasks/task-export';
import { groupsFor, type Task } from '../../../../../src-renderer/features/tasks/task-views';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../../src-shared/entities/registry';
import { ExportError, type ExportFormat, exportColumnsFor } from '../../../../../src-shared/export/export-columns';
import type { ExportChunk, ExportMeta } from '../../../../../src-shared/export/export-meta';
import type { CrmApi } from '../../../../../src-shared/ipc/crm-api';
import { openTestDb, type TestDb } from '../../../../support/local-db';

// The exports of views that are not one index query (a dated task view, a lead list) and of the
// records notes and communications are about, written by main's writers to real files and read
// back with independent readers (csv-parse, SheetJS, pdftotext).

let t: TestDb;
let dir: string;
beforeEach(async () => {
  t = await openTestDb();
  dir = await mkdtemp(join(tmpdir(), 'view-export-'));
});
afterEach(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

function api(path: string): CrmApi {
  const service = createExportService({ chooseFile: async () => path });
  return {
    export: {
      chooseFile: (f: never, n: string) => service.chooseFile(f, n),
      begin: (p: string, m: ExportMeta) => service.begin(p, m),
      append: (id: string, c: ExportChunk) => service.append(id, c),
      finish: (id: string) => service.finish(id),
      cancel: (id: string) => service.cancel(id),
    },
  } as unknown as CrmApi;
}

/** Exports as the dialog does (manager role, pages of 3 so ids span several reads) to a file in `dir`. */
async function exportToFile(
  request: Omit<ExportRequest, 'format' | 'sources' | 'asOf'> & { columns: readonly string[] },
  format: ExportFormat,
): Promise<{ path: string; rows: number }> {
  const path = join(dir, `export.${format}`);
  const { columns, ...rest } = request;
  const outcome = await runExport(
    { ...rest, format, sources: exportColumnsFor(getEntity(request.entity), columns), asOf: null },
    {
      repo: repositoryFor(t.repos, request.entity),
      getMany: (entity, ids) => repositoryFor(t.repos, entity).getMany(ids),
      permissions: parsePermissions(builtInPermissions('manager')),
      now: () => new Date('2026-11-02T10:00:00.000Z'),
      openSink: (meta) => desktopSink(api(path), meta, `export.${format}`),
      audit: (entry) => t.repos.auditLog.create(entry as never),
      actor: () => t.db.actor(),
      pageSize: 3,
    },
  );
  if (outcome.status !== 'done') throw new Error('export cancelled');
  return { path, rows: outcome.rows };
}

const csvRows = async (path: string) =>
  parse(await readFile(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];

function sheetRows(path: string) {
  const book = XLSX.readFile(path);
  const name = book.SheetNames[0] as string;
  return { name, rows: XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[name] as XLSX.WorkSheet) };
}

const day = (offset: number, hour = 12) => new Date(Date.UTC(2026, 10, 2 + offset, hour)).toISOString();

describe('dated task views', () => {
  async function seedTasks() {
    const ada = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    const specs = [
      { title: 'Late call', dueAt: day(-3), subjectType: 'contact' as const, subjectId: ada.id },
      { title: 'Late email', dueAt: day(-1), priority: 'urgent' as const },
      { title: 'Due today', dueAt: day(0) },
      { title: 'Due tomorrow', dueAt: day(1) },
      { title: 'No date' },
      { title: 'Done late', dueAt: day(-2), status: 'completed' as const, completedAt: day(-2) },
    ];
    for (const spec of specs) await t.repos.task.create({ type: 'todo', ...spec } as never);
    return { ada, tasks: (await t.repos.task.list()) as Task[] };
  }

  it('Overdue exports exactly its rows, titled by the view, with the record’s name and id', async () => {
    const { ada, tasks } = await seedTasks();
    const now = new Date(day(0, 9));
    const groups = groupsFor('overdue', tasks, now);
    const view = taskViewExport('overdue', groups);
    expect(view.title).toBe('Overdue');
    const { path, rows } = await exportToFile(
      { entity: 'task', title: view.title, columns: TASK_EXPORT_COLUMNS, where: {}, ids: view.ids, filters: [] },
      'csv',
    );
    expect(rows).toBe(2);
    const read = await csvRows(path);
    expect(read.map((r) => r.Title)).toEqual(['Late call', 'Late email']);
    expect(read[0]).toMatchObject({ About: 'Contact', Record: 'Ada Lovelace', 'Record id': ada.id });
    expect(read[1]).toMatchObject({ About: '', Record: '', 'Record id': '' });
  });

  it('My day prints its name and view in the PDF and leaves out the overdue tasks it does not show', async () => {
    const { tasks } = await seedTasks();
    const now = new Date(day(0, 9));
    // One overdue task shown (the most pressing), the other counted in `more`.
    const groups = groupsFor('myDay', tasks, now, undefined, 1);
    const view = taskViewExport('myDay', groups);
    expect(view.ids).toHaveLength(2);
    const { path } = await exportToFile(
      {
        entity: 'task',
        title: view.title,
        columns: TASK_EXPORT_COLUMNS,
        where: {},
        ids: view.ids,
        filters: view.extraFilters,
      },
      'pdf',
    );
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('My day');
    expect(text).toContain('View: My day');
    expect(text).toContain('1 more overdue');
    expect(text).toContain('Late email');
    expect(text).toContain('Due today');
    for (const hidden of ['Late call', 'Due tomorrow', 'No date', 'Done late']) expect(text).not.toContain(hidden);
  });
});

describe('a lead list', () => {
  it('exports exactly its members that pass the other filters, titled with the list’s name', async () => {
    const list = await t.repos.leadList.create({ name: 'Trade fair 2026' });
    const make = (lastName: string, extra: Record<string, unknown> = {}) =>
      t.repos.lead.create({ firstName: 'L', lastName, source: 'event', status: 'new', ...extra } as never);
    const member = await make('Member');
    const memberWeb = await make('Member web', { source: 'website' });
    const memberLost = await make('Member lost', { status: 'lost' });
    await make('Outsider');
    for (const lead of [member, memberWeb, memberLost]) {
      await t.repos.leadListMember.create({ leadListId: list.id, leadId: lead.id, addedAt: day(0) } as never);
    }
    const filter = { ...DEFAULT_FILTER, listId: list.id, source: 'event' };
    const rows = await firstValueFrom(observeInbox(t.repos, filter));
    const exported = leadExport(filter, list, rows);
    expect(exported?.ids).toEqual([member.id]);
    const { path } = await exportToFile(
      {
        entity: 'lead',
        title: exported?.title ?? '',
        columns: LEAD_EXPORT_COLUMNS,
        where: exported?.where ?? {},
        ids: exported?.ids ?? [],
        filters: exported?.extraFilters ?? [],
      },
      'xlsx',
    );
    const sheet = sheetRows(path);
    expect(sheet.name).toBe('Trade fair 2026');
    expect(sheet.rows.map((r) => r['Last name'])).toEqual(['Member']);
    // Without the source filter the list's open members are both; the lost one is not open.
    const open = await firstValueFrom(observeInbox(t.repos, { ...filter, source: '' }));
    expect(new Set(leadExport({ ...filter, source: '' }, list, open)?.ids)).toEqual(new Set([member.id, memberWeb.id]));
  });

  it('waits for the list and its rows; without a list it exports the filters', () => {
    const filter = { ...DEFAULT_FILTER, listId: 'list-1' };
    expect(leadExport(filter, undefined, [])).toBeUndefined();
    expect(leadExport(filter, { id: 'list-1', name: 'A' }, undefined)).toBeUndefined();
    expect(leadExport(DEFAULT_FILTER, undefined, undefined)).toEqual({
      title: 'Leads',
      where: [{ status: 'new' }, { status: 'contacted' }, { status: 'nurturing' }, { status: 'qualified' }],
    });
  });
});

describe('notes and communications', () => {
  it('name the record each is about, with its id in its own column', async () => {
    const ada = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    const acme = await t.repos.company.create({ name: 'Acme Rockets' });
    const deal = await t.repos.deal.create({ name: 'Moon launch', companyId: acme.id } as never);
    for (const [subjectType, subjectId] of [
      ['contact', ada.id],
      ['company', acme.id],
      ['deal', deal.id],
    ] as const) {
      await t.repos.note.create({ subjectType, subjectId, body: `About ${subjectType}` } as never);
    }
    const notes = await exportToFile(
      {
        entity: 'note',
        title: 'Notes',
        columns: ['body', 'subjectType', 'subjectId', 'subjectId.id'],
        where: {},
        filters: [],
      },
      'csv',
    );
    const read = await csvRows(notes.path);
    expect(read.map((r) => [r.Note, r.About, r.Record, r['Record id']]).sort()).toEqual(
      [
        ['About company', 'Company', 'Acme Rockets', acme.id],
        ['About contact', 'Contact', 'Ada Lovelace', ada.id],
        ['About deal', 'Deal', 'Moon launch', deal.id],
      ].sort(),
    );

    await t.repos.communication.create({
      type: 'call',
      subjectType: 'deal',
      subjectId: deal.id,
      contactId: ada.id,
      companyId: acme.id,
      occurredAt: day(0),
      subject: 'Kick-off',
    } as never);
    const comms = await exportToFile(
      {
        entity: 'communication',
        title: 'Communications',
        columns: ['subject', 'subjectType', 'subjectId', 'subjectId.id', 'contactId', 'companyId'],
        where: {},
        filters: [],
      },
      'xlsx',
    );
    expect(sheetRows(comms.path).rows).toEqual([
      {
        Subject: 'Kick-off',
        About: 'Deal',
        Record: 'Moon launch',
        'Record id': deal.id,
        Contact: 'Ada Lovelace',
        Company: 'Acme Rockets',
      },
    ]);
  });

  it('refuses an id column of a field that is not a reference, naming it', () => {
    const note = getEntity('note');
    expect(() => exportColumnsFor(note, ['body.id'])).toThrow(ExportError);
    expect(() => exportColumnsFor(note, ['body.id'])).toThrow('columns.body.id is not a field of Note');
    expect(() => exportColumnsFor(note, ['nothing.id'])).toThrow('columns.nothing.id is not a field');
  });
});
