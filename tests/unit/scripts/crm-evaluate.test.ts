import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../src-shared/demo/generate-demo-data';
import { crmInProcess, crmProcess } from '../../support/crm-runner';

const dir = mkdtempSync(join(tmpdir(), 'crm-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const crm = (...args: string[]) => crmInProcess({}, ...args);

/**
 * A lead export as another CRM would write it: its own column names, engagement as plain counts,
 * a free-text column and an id the model must leave alone, and the outcome in words.
 */
function writeLeadExport(path: string): void {
  const leads: Record<string, unknown>[] = [];
  const activities = new Map<string, number>();
  for (const batch of generateDemoData({ size: 'small', batchSize: 5000 })) {
    if (batch.entity === 'lead') leads.push(...batch.records);
    if (batch.entity === 'leadActivity') {
      for (const r of batch.records) activities.set(String(r.leadId), (activities.get(String(r.leadId)) ?? 0) + 1);
    }
    if (batch.entity === 'deal') break;
  }
  const rows = leads.map((lead) => ({
    'Lead ID': lead.id,
    'First Name': lead.firstName,
    'Lead Source': lead.source,
    'Job Title': lead.jobTitle,
    Industry: lead.industry,
    'No. of Employees': lead.employeeCount,
    'Touches Logged': activities.get(String(lead.id)) ?? 0,
    Comments: `spoke about ${String(lead.lastName)}`,
    'Created Date': String(lead.createdAt).slice(0, 10),
    Result:
      lead.status === 'converted' ? 'Converted' : lead.status === 'lost' || lead.status === 'unqualified' ? 'Lost' : '',
  }));
  writeFileSync(path, Papa.unparse(rows));
}

describe('npm run crm -- evaluate leads', () => {
  const file = join(dir, 'leads.csv');
  writeLeadExport(file);

  it('maps the columns, trains on the older rows and reports AUC, calibration and factors', async () => {
    const result = await crm('evaluate', 'leads', file, '--outcome', 'Result');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const auc = Number(/AUC:\s+([\d.]+)/.exec(result.stdout)?.[1]);
    expect(auc).toBeGreaterThan(0.75);
    expect(result.stdout).toMatch(/Brier: [\d.]+ +\(base rate alone: [\d.]+/);
    expect(result.stdout).toContain('calibration (predicted → observed, rows)');
    expect(result.stdout).toContain('Lead Source: lead field source');
    expect(result.stdout).toContain('No. of Employees: lead field employeeCount');
    expect(result.stdout).toContain('Touches Logged: feature (numeric)');
    expect(result.stdout).toContain('Lead ID: ignored');
    expect(result.stdout).toContain('Comments: ignored');
    expect(result.stdout).toMatch(/\+[\d.]+ {2}Touches Logged/);
  }, 60_000);

  it('names the columns when the outcome column is missing', async () => {
    const result = await crm('evaluate', 'leads', file, '--outcome', 'Converted?');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'the outcome column "Converted?" is not in the file; its columns are: Lead ID, First Name',
    );
  }, 30_000);

  it('refuses an outcome column without both outcomes', async () => {
    const result = await crm('evaluate', 'leads', file, '--outcome', 'Industry');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no positive rows among 0 recognised ones/);
  }, 30_000);

  it.each([
    [['evaluate', 'deals', file], 'only "leads" is known'],
    [['evaluate', 'leads'], 'needs a CSV file'],
    [['evaluate', 'leads', file], '--outcome <column> is required'],
    [
      ['evaluate', 'leads', file, '--outcome', 'Result', '--train-share', '1.5'],
      '--train-share must be between 0 and 1',
    ],
    [['evaluate', 'leads', '--demo', 'huge'], '--demo must be small or 100k'],
  ])(
    'usage error: %j',
    async (args, message) => {
      const result = await crm(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    },
    30_000,
  );

  it('says what it cannot read, as a process with exit code 1', async () => {
    const result = await crmProcess({}, 'evaluate', 'leads', join(dir, 'missing.csv'), '--outcome', 'Result');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read');
    expect(result.stderr).toContain('ENOENT');
  }, 60_000);
});
