import { describe, expect, it } from 'vitest';
import { leadHistoryFromTable } from '../../../../src-shared/ai/table-lead-history';

describe('a lead table read for evaluation', () => {
  const headers = ['Campaign', 'UTM Source', 'utm_medium', 'UTM Campaign', 'Result'];
  const rows = [
    {
      Campaign: 'Spring webinar',
      'UTM Source': 'google',
      utm_medium: 'cpc',
      'UTM Campaign': 'spring-2026',
      Result: 'Won',
    },
    { Campaign: '', 'UTM Source': '', utm_medium: '', 'UTM Campaign': '', Result: 'Lost' },
    {
      Campaign: 'Spring webinar',
      'UTM Source': 'google',
      utm_medium: 'cpc',
      'UTM Campaign': 'spring-2026',
      Result: '',
    },
  ];

  it('maps campaign and UTM columns onto the attribution features', () => {
    const table = leadHistoryFromTable(rows, headers, 'Result');
    expect(table.specs.map((s) => s.key)).toEqual(['campaign', 'utmSource', 'utmMedium', 'utmCampaign']);
    expect(table.columns).toContainEqual({ header: 'Campaign', use: 'lead field campaign' });
    expect(table.columns).toContainEqual({ header: 'utm_medium', use: 'lead field utmMedium' });
    expect(table.examples.map((e) => e.raw.campaign)).toEqual(['Spring webinar', '']);
    expect(table.examples[0]?.raw.utmCampaign).toBe('spring-2026');
    expect(table.skipped).toBe(1);
  });
});
