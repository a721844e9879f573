import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { generateDemoData } from '../../src-shared/demo/generate-demo-data';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContext, openE2e } from '../support/e2e';

// The browser download path (no window.crm): the Deals list filtered by stage, exported to each
// format, each file opened with a reader independent of its writer and compared with the records
// the demo database was seeded with (deterministic: same seed, same records).

let browser: Browser;
let renderer: Renderer;
let dir: string;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  dir = await mkdtemp(join(tmpdir(), 'e2e-exports-'));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Rec = Record<string, unknown>;
const demo = new Map<string, Rec[]>();
for (const batch of generateDemoData({ size: 'small' })) {
  demo.set(batch.entity, [...(demo.get(batch.entity) ?? []), ...(batch.records as Rec[])]);
}
const byId = (entity: string) => new Map((demo.get(entity) ?? []).map((r) => [String(r.id), r]));
const companies = byId('company');
const users = byId('user');
/** The seeded deals in the Qualification stage, by name. */
const expected = new Map(
  (demo.get('deal') ?? []).filter((d) => d.stage === 'qualification').map((d) => [String(d.name), d]),
);
const digits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
const amountOf = (d: Rec) => Number(d.amount) / 10 ** digits(String(d.currency));
const ownerName = (d: Rec) => {
  const u = users.get(String(d.ownerId));
  return u ? `${u.firstName} ${u.lastName}` : String(d.ownerId);
};

async function exportAs(page: Page, format: 'CSV' | 'Excel' | 'PDF' | 'JSON', screenshot?: string): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Export deals' });
  await page.getByRole('button', { name: 'Export…' }).click();
  await dialog.waitFor();
  await dialog.getByRole('radio', { name: new RegExp(`^${format}`) }).check();
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await dialog.getByRole('button', { name: `Export ${format}` }).click();
  if (screenshot) {
    await dialog.locator('.export-progress').waitFor();
    await page.screenshot({ path: artifactPath(screenshot) });
  }
  const file = await download;
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  await dialog.waitFor({ state: 'hidden' });
  return path;
}

describe('exports in Chromium (browser downloads)', () => {
  it('exports the filtered Deals list to CSV, XLSX, PDF and JSON with the columns on screen', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Held until the Cancel step below; nothing before it needs the spreadsheet writer.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/browser-xlsx/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${renderer.url}#/deals?tab=list`);
    const grid = page.getByRole('grid', { name: 'Deals' });
    await grid.locator('tbody tr').first().waitFor({ timeout: 120_000 });
    await page.getByLabel('Filter by Stage').selectOption('qualification');
    await expect
      .poll(() => page.locator('.entity-list .count').textContent(), { timeout: 30_000 })
      .toBe(`${expected.size} deals`);
    // The custom field's column is on screen before exporting, so it is in the files too.
    await grid.getByRole('columnheader', { name: 'Contract term (months)' }).waitFor({ timeout: 30_000 });

    // The dialog: formats, the columns and filters on screen.
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export deals' });
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('.export-summary').textContent()).toContain('Stage: Qualification');
    expect(await dialog.locator('.export-summary').textContent()).toContain('Contract term (months)');
    await page.screenshot({ path: artifactPath('exports-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // An owner filter reads as the owner's name, not the id.
    const someDeal = [...expected.values()][0] as Rec;
    await page.getByLabel('Filter by owner').selectOption(String(someDeal.ownerId));
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect
      .poll(() => dialog.locator('.export-summary').textContent())
      .toContain(`Owner: ${ownerName(someDeal)}; Stage: Qualification`);
    await page.keyboard.press('Escape');
    await page.getByLabel('Filter by owner').selectOption('');
    await expect.poll(() => page.locator('.entity-list .count').textContent()).toBe(`${expected.size} deals`);

    // Cancel: the spreadsheet library is held back on its way to the page (from the app's start, as
    // the app preloads it: ui/on-demand.ts), so the export is still finishing when Cancel is pressed;
    // nothing is downloaded.
    let downloads = 0;
    page.on('download', () => {
      downloads++;
    });
    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog.getByRole('radio', { name: /^Excel/ }).check();
    await dialog.getByRole('button', { name: 'Export Excel' }).click();
    await dialog.getByText(`${expected.size} of ${expected.size} deals · writing the file…`).waitFor();
    await page.screenshot({ path: artifactPath('exports-progress.png') });
    await dialog.getByRole('button', { name: 'Cancel export' }).click();
    release();
    await page.getByText('Export cancelled; no file was written.').waitFor({ timeout: 60_000 });
    await page.unroute(/browser-xlsx/);
    await dialog.getByRole('button', { name: 'Export Excel' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // A late download from the cancelled export would be counted here or, later, beside the four
    // exports below (the last check after JSON): a longer window than a fixed pause gave.
    expect(downloads).toBe(0);

    // CSV, read by csv-parse.
    const csvPath = await exportAs(page, 'CSV');
    expect(csvPath).toMatch(/deals-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parse(await readFile(csvPath), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(expected.size);
    expect(Object.keys(csv[0] ?? {})).toEqual([
      'Name',
      'Company',
      'Stage',
      'Amount',
      'Amount currency',
      'Probability',
      'Expected close',
      'Owner',
      'Contract term (months)',
    ]);
    for (const row of csv) {
      const deal = expected.get(row.Name ?? '');
      expect(deal, row.Name).toBeDefined();
      if (!deal) continue;
      expect(row.Company).toBe(companies.get(String(deal.companyId))?.name ?? '');
      expect(row.Stage).toBe('Qualification');
      expect(Number(row.Amount)).toBeCloseTo(amountOf(deal), 6);
      expect(row['Amount currency']).toBe(deal.currency);
      expect(row['Expected close']).toBe(String(deal.expectedCloseDate ?? ''));
      expect(row.Owner).toBe(ownerName(deal));
      const term = (deal.customFields as Rec | undefined)?.contractTermMonths;
      expect(row['Contract term (months)']).toBe(term === undefined ? '' : String(term));
    }

    // XLSX, read by SheetJS: typed cells, money formats with the currency, the frozen header.
    const xlsxPath = await exportAs(page, 'Excel');
    const buffer = await readFile(xlsxPath);
    const book = XLSX.read(buffer, { cellDates: true, cellNF: true });
    expect(book.SheetNames).toEqual(['Deals', 'About this export']);
    const sheet = book.Sheets.Deals as XLSX.WorkSheet;
    const rows = XLSX.utils.sheet_to_json<Rec>(sheet, { raw: true });
    expect(rows).toHaveLength(expected.size);
    for (const [i, row] of rows.entries()) {
      const deal = expected.get(String(row.Name));
      expect(deal, String(row.Name)).toBeDefined();
      if (!deal) continue;
      const amountCell = sheet[XLSX.utils.encode_cell({ r: i + 1, c: 3 })];
      expect(amountCell?.t).toBe('n');
      expect(amountCell?.v).toBeCloseTo(amountOf(deal), 6);
      expect(amountCell?.z).toContain(`"${deal.currency}"`);
      if (deal.expectedCloseDate) {
        const dateCell = sheet[XLSX.utils.encode_cell({ r: i + 1, c: 5 })];
        expect(dateCell?.t).toBe('d');
        expect(dateCell?.v).toEqual(new Date(`${String(deal.expectedCloseDate)}T00:00:00Z`));
      }
      const probability = sheet[XLSX.utils.encode_cell({ r: i + 1, c: 4 })];
      if (deal.probability !== undefined) expect(probability).toMatchObject({ t: 'n', v: deal.probability });
    }
    const zip = XLSX.CFB.read(buffer, { type: 'buffer' });
    const sheetXml = Buffer.from(XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml')?.content ?? []).toString('utf8');
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);

    // PDF, read by pdftotext: title, filters, stamp, every deal.
    const pdfPath = await exportAs(page, 'PDF');
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Deals');
    expect(text).toContain('Filters: Stage: Qualification');
    expect(text).toContain('Data as of last sync: never synced (local data)');
    for (const name of expected.keys()) expect(text.replace(/\s+/g, ' ')).toContain(name.slice(0, 18));

    // JSON, read by JSON.parse.
    const jsonPath = await exportAs(page, 'JSON');
    expect(downloads).toBe(4);
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(json.filters).toEqual([{ label: 'Stage', value: 'Qualification' }]);
    const jsonRows = json.sections[0].rows as Rec[];
    expect(jsonRows).toHaveLength(expected.size);
    for (const row of jsonRows) {
      const deal = expected.get(String(row.name));
      expect(row.amount).toEqual({ amount: deal ? amountOf(deal) : Number.NaN, currency: deal?.currency });
    }

    // Each export is in the audit log: a batch entry of the deals with the export in its reason.
    await page.goto(`${renderer.url}#/audit`);
    const entry = page.locator('.audit-entry').filter({ hasText: 'Deal' }).first();
    await entry.waitFor({ timeout: 30_000 });
    await entry.locator('summary').click();
    await expect
      .poll(() => entry.locator('.audit-meta').textContent(), { timeout: 10_000 })
      .toContain(`Export: JSON of ${expected.size} Deals (Filters: Stage: Qualification)`);
    await page.screenshot({ path: artifactPath('exports-audit.png') });

    // A report: the one on screen to PDF, with its filters, rows and the chart as an image.
    await page.goto(`${renderer.url}#/reports`);
    await page.getByTestId('report-chart').locator('.recharts-bar-rectangle').first().waitFor({ timeout: 120_000 });
    const firstRow = (await page.locator('.report-table tbody tr th').first().textContent()) ?? '';
    await page.getByRole('button', { name: 'Export…' }).click();
    const reportDialog = page.getByRole('dialog', { name: 'Export pipeline by stage' });
    await reportDialog.getByRole('radio', { name: /^PDF/ }).check();
    await page.screenshot({ path: artifactPath('exports-report-dialog.png') });
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await reportDialog.getByRole('button', { name: 'Export PDF' }).click();
    const reportPdf = join(dir, (await download).suggestedFilename());
    await (await download).saveAs(reportPdf);
    const reportText = execFileSync('pdftotext', ['-layout', reportPdf, '-'], { encoding: 'utf8' });
    expect(reportText).toContain('Pipeline by stage');
    expect(reportText).toContain(
      'Filters: Dates (expected close): All time; Owner: Everyone; Team: All teams; Currency: USD',
    );
    expect(reportText).toContain(firstRow);
    // The chart, rasterised in the page at twice its size.
    expect(execFileSync('pdfimages', ['-list', reportPdf], { encoding: 'utf8' })).toMatch(
      /\bimage\s+\d{3,4}\s+\d{3}\s+rgb/,
    );
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', reportPdf, artifactPath('exports-report-pdf')]);

    // Every list offers the export, with its filters on screen.
    for (const screen of ['tasks', 'notes', 'content', 'communications', 'leads']) {
      await page.goto(`${renderer.url}#/${screen}`);
      await page.getByRole('button', { name: 'Export…' }).waitFor({ timeout: 30_000 });
      if (screen !== 'tasks') continue;
      // A dated view exports exactly its rows, under its own name (the rows: view-export.test.ts).
      await page.getByRole('button', { name: 'Export…' }).click();
      const myDay = page.getByRole('dialog', { name: 'Export my day' });
      await expect.poll(() => myDay.locator('.export-summary').textContent()).toContain('View: My day');
      await page.screenshot({ path: artifactPath('exports-my-day-dialog.png') });
      await myDay.locator('.export-actions').getByRole('button', { name: 'Close' }).click();
    }
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect
      .poll(() => page.getByRole('dialog', { name: 'Export leads' }).locator('.export-summary').textContent())
      .toContain('Status: New or Contacted or Nurturing or Qualified');
    await page.screenshot({ path: artifactPath('exports-leads-dialog.png') });
    expect(errors).toEqual([]);
  }, 300_000);
});
