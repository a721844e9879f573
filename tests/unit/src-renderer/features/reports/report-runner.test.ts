import { describe, expect, it } from 'vitest';
import { answerReport, type ReportCache } from '../../../../../src-renderer/features/reports/report-compute';
import { createReportRunner } from '../../../../../src-renderer/features/reports/report-runner';
import type { ReportDeal } from '../../../../../src-shared/reports';

// The report worker's side (answerReport) and the page's runner; Node has no Worker, so the runner
// takes its inline path here, which runs the same function the worker does.

const deal = (
  id: string,
  ownerId: string,
  amount: number,
  currency: string,
  expectedCloseDate: string,
): ReportDeal => ({
  id,
  ownerId,
  stage: 'negotiation',
  amount,
  currency,
  probability: 75,
  createdAt: '2026-01-01T00:00:00.000Z',
  expectedCloseDate,
});
const deals = [
  deal('d1', 'u1', 1000_00, 'USD', '2026-03-10'),
  deal('d2', 'u2', 200_00, 'EUR', '2026-03-20'),
  deal('d3', 'u1', 50_00, 'USD', '2026-05-01'),
];
const rates = [{ baseCurrency: 'EUR', quoteCurrency: 'USD', rate: 1.5, effectiveDate: '2026-01-01' }];
const users = [
  { id: 'u1', firstName: 'Ada', lastName: 'One' },
  { id: 'u2', firstName: 'Bo', lastName: 'Two' },
];

describe('report worker protocol', () => {
  it('computes from records sent once, with the filters and rates of each request', () => {
    const cache: ReportCache = new Map();
    expect(answerReport(cache, { type: 'data', key: 'deals', records: deals }, () => 0)).toBeUndefined();
    answerReport(cache, { type: 'data', key: 'users', records: users }, () => 0);
    const request = {
      type: 'compute' as const,
      id: 7,
      reportId: 'pipeline-stage',
      filters: { currency: 'USD', from: '2026-03-01', to: '2026-04-01' },
      rates,
      decimals: { USD: 2, EUR: 2 },
    };
    const reply = answerReport(cache, request, () => 0);
    if (!reply?.ok) throw new Error('expected a result');
    expect(reply.id).toBe(7);
    expect(reply.result.rows.find((r) => r.key === 'negotiation')?.values.amount).toBe(1300_00);
    const onlyU1 = answerReport(cache, { ...request, id: 8, filters: { currency: 'USD', ownerIds: ['u1'] } }, () => 0);
    if (!onlyU1?.ok) throw new Error('expected a result');
    expect(onlyU1.result.rows.find((r) => r.key === 'negotiation')?.values.amount).toBe(1050_00);

    answerReport(cache, { type: 'reset' }, () => 0);
    const empty = answerReport(cache, { ...request, id: 9 }, () => 0);
    if (!empty?.ok) throw new Error('expected a result');
    expect(empty.result.rows.every((r) => (r.values.amount ?? 0) === 0)).toBe(true);
  });

  it('the runner computes inline where no worker starts, on the records set last', async () => {
    const runner = createReportRunner(() => {
      throw new Error('no Worker here');
    });
    runner.setData('deals', deals);
    runner.setData('users', users);
    const { result } = await runner.compute('pipeline-stage', { currency: 'EUR' }, rates, { USD: 2, EUR: 2 });
    // 1050 USD at 1.5 = 700 EUR, plus 200 EUR.
    expect(result.rows.find((r) => r.key === 'negotiation')?.values.amount).toBe(900_00);
    runner.setData('deals', deals.slice(1, 2));
    const again = await runner.compute('pipeline-stage', { currency: 'EUR' }, rates, { USD: 2, EUR: 2 });
    expect(again.result.rows.find((r) => r.key === 'negotiation')?.values.amount).toBe(200_00);
    runner.dispose();
  });
});
