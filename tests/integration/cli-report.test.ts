import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../scripts/cli/cli-error';
import { reportCommand } from '../../scripts/cli/report.command';
import { formatReport } from '../../scripts/cli/report-output';
import { importToServer } from '../../scripts/cli/server-import';
import { reportFromServer } from '../../scripts/cli/server-report';
import { parseCsvText } from '../../src-renderer/features/import/read-table';
import { getEntity } from '../../src-shared/entities/registry';
import { reportById } from '../../src-shared/reports';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import type { WireDoc } from '../../src-shared/sync/protocol';
import type { Database } from '../../sync-server/src/db/database';
import { push } from '../../sync-server/src/sync/push';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { crm, preparedServer } from './cli-support';

/** `npm run crm -- report` on a real Postgres: the app's report functions over the server's rows. */

let test: TestDatabase;
let db: Database;

const DEALS = [
  'Name,Stage,Amount,Currency,Expected close date',
  'Alpha,negotiation,1000,USD,2026-03-10',
  'Beta,negotiation,200,EUR,2026-03-20',
  'Gamma,proposal,50,USD,2026-05-01',
].join('\n');

beforeAll(async () => {
  test = await createTestDatabase('crm_cli_report');
  const server = await preparedServer(test.url);
  db = server.db;
  const at = '2026-01-02T00:00:00.000Z';
  const rate = getEntity('exchangeRate');
  const doc = {
    id: 'rate_eur_usd',
    kind: rate.name,
    ownerId: server.adminId,
    createdAt: at,
    updatedAt: at,
    createdBy: server.adminId,
    updatedBy: server.adminId,
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(at),
    baseCurrency: 'EUR',
    quoteCurrency: 'USD',
    rate: 1.5,
    effectiveDate: '2026-01-01',
  };
  const pushed = await push(
    db,
    rate.collection ?? 'settings',
    { rows: [{ newDocumentState: doc as unknown as WireDoc }] },
    {
      userId: server.adminId,
      access: { kind: 'unrestricted', userId: server.adminId },
      now: () => new Date(at),
      newId: () => crypto.randomUUID(),
    },
  );
  expect(pushed.rejected).toEqual([]);
  const imported = await importToServer(db, {
    entity: 'deal',
    table: parseCsvText(DEALS),
    fileName: 'deals.csv',
    onDuplicate: 'skip',
    dryRun: false,
    ignoreUnknownColumns: false,
  });
  expect(imported.created).toBe(3);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await test?.drop();
});

describe('npm run crm -- report', () => {
  it('computes the pipeline in the chosen currency with the stored rates, within the date range', async () => {
    const report = reportById('pipeline-stage');
    const { result } = await reportFromServer(db, { report, currency: 'USD', from: '2026-03-01', to: '2026-04-01' });
    const negotiation = result.rows.find((r) => r.key === 'negotiation');
    // 1000 USD + 200 EUR at 1.5 = 1300 USD, in cents; Gamma closes in May, outside the range.
    expect(negotiation?.values.amount).toBe(130_000);
    expect(result.rows.find((r) => r.key === 'proposal')?.values.amount ?? 0).toBe(0);
    const csv = formatReport(result, { id: report.id, title: report.title, currency: 'USD', decimals: 2 }, 'csv');
    expect(csv.split('\n')[0]).toBe(',Pipeline (USD),Weighted (USD),Deals');
    expect(csv).toContain('Negotiation,1300,');
  });

  it('refuses an unknown report, a bad date and a bad format before opening the database', async () => {
    await expect(reportCommand(['nope'])).rejects.toThrow(UsageError);
    await expect(reportCommand(['nope'])).rejects.toThrow('unknown report "nope": one of pipeline-stage');
    await expect(reportCommand(['funnel', '--from', '2026-13-45'])).rejects.toThrow(
      '--from must be a date like 2026-01-31, not "2026-13-45"',
    );
    await expect(reportCommand(['funnel', '--format', 'xml'])).rejects.toThrow(
      '--format must be one of table, json, csv',
    );
  });

  it('prints JSON as a process, money in major units of the currency', async () => {
    const run = await crm(test.url, 'report', 'pipeline-stage', '--currency', 'EUR', '--format', 'json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { currency: string; rows: { key: string; values: { amount: number } }[] };
    expect(json.currency).toBe('EUR');
    // 1000 USD / 1.5 = 666.67 EUR + 200 EUR.
    expect(json.rows.find((r) => r.key === 'negotiation')?.values.amount).toBeCloseTo(866.67, 2);
    expect(json.rows.find((r) => r.key === 'proposal')?.values.amount).toBeCloseTo(33.33, 2);
    const bad = await crm(test.url, 'report', 'nope');
    expect(bad.code).toBe(2);
  }, 60_000);
});
