import { beforeAll, describe, expect, it } from 'vitest';

const store = new Map<string, string>();
beforeAll(() => {
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
  });
});

describe('saved report definitions and date ranges', () => {
  it('saves name + report + filters on the device, replaces by name, deletes', async () => {
    const { useReportsUi } = await import('../../../../../src-renderer/features/reports/reports.store');
    const ui = useReportsUi.getState();
    ui.setFilters({ teamId: 'grp_1', currency: 'EUR', range: 'thisQuarter' });
    const first = ui.save('  EMEA quarter ', 'winloss-source');
    expect(first).toMatchObject({ name: 'EMEA quarter', reportId: 'winloss-source' });
    expect(first.filters).toMatchObject({ teamId: 'grp_1', currency: 'EUR', range: 'thisQuarter' });
    const again = useReportsUi.getState().save('emea QUARTER', 'forecast');
    expect(again.id).toBe(first.id);
    expect(useReportsUi.getState().saved).toHaveLength(1);
    expect(JSON.parse(store.get('crm.reports.saved.v1') ?? '[]')[0]).toMatchObject({ reportId: 'forecast' });
    useReportsUi.getState().remove(first.id);
    expect(JSON.parse(store.get('crm.reports.saved.v1') ?? '')).toEqual([]);
  });

  it('turns presets into [from, to) dates', async () => {
    const { rangeOf, DEFAULT_FILTERS } = await import('../../../../../src-renderer/features/reports/reports.store');
    const now = new Date('2026-11-30T10:00:00Z');
    expect(rangeOf({ ...DEFAULT_FILTERS, range: 'thisQuarter' }, now)).toEqual({
      from: '2026-10-01',
      to: '2027-01-01',
    });
    expect(rangeOf({ ...DEFAULT_FILTERS, range: 'thisMonth' }, now)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(rangeOf({ ...DEFAULT_FILTERS, range: 'last12m' }, now)).toEqual({ from: '2025-12-01', to: '2026-12-01' });
    expect(rangeOf({ ...DEFAULT_FILTERS, range: 'all' }, now)).toEqual({});
    expect(rangeOf({ ...DEFAULT_FILTERS, range: 'custom', from: '2026-01-01' }, now)).toEqual({ from: '2026-01-01' });
  });
});
