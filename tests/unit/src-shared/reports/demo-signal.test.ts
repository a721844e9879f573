import { describe, expect, it } from 'vitest';
import { REPORTS, reportById } from '../../../../src-shared/reports';
import { demoReportData } from './demo-report-data';

describe('the reports on the small demo set', () => {
  const { data, filter } = demoReportData('small');
  const values = (id: string, key: string) =>
    reportById(id)
      .compute(data, filter)
      .rows.find((r) => r.key === key)?.values ?? {};

  it('shows the planted signal: referral leads convert and win more than cold outreach', () => {
    expect(values('lead-sources', 'referral').conversionRate).toBeGreaterThan(
      values('lead-sources', 'coldOutreach').conversionRate ?? 100,
    );
    expect(values('winloss-source', 'referral').winRate).toBeGreaterThan(
      values('winloss-source', 'coldOutreach').winRate ?? 100,
    );
  });

  it('computes every report with rows, and converts every demo currency', () => {
    for (const report of REPORTS) {
      const result = report.compute(data, filter);
      expect(result.rows.length, report.id).toBeGreaterThan(0);
      expect(result.unconvertible, report.id).toEqual([]);
    }
  });

  it('funnel narrows at each step', () => {
    const steps = reportById('funnel')
      .compute(data, filter)
      .rows.map((r) => r.values.leads ?? 0);
    expect(steps[0]).toBe(data.leads.length);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeLessThanOrEqual(steps[i - 1] ?? 0);
  });
});
