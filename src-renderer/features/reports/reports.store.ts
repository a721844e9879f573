/** The Reports screen's UI state (which report, which filters) and the saved report definitions. */
import { create } from 'zustand';

export type RangePreset = 'thisMonth' | 'thisQuarter' | 'thisYear' | 'last90' | 'last12m' | 'all' | 'custom';

export interface ReportFilters {
  readonly range: RangePreset;
  /** ISO dates for 'custom'. */
  readonly from?: string;
  readonly to?: string;
  /** A user id, or '' for everyone. */
  readonly ownerId: string;
  /** A userGroup id, or '' for every team. */
  readonly teamId: string;
  readonly currency: string;
}

export interface SavedReport {
  readonly id: string;
  readonly name: string;
  readonly reportId: string;
  readonly filters: ReportFilters;
}

export const DEFAULT_FILTERS: ReportFilters = { range: 'all', ownerId: '', teamId: '', currency: 'USD' };

const STORAGE_KEY = 'crm.reports.saved.v1';

function readSaved(): SavedReport[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(
          (s): s is SavedReport =>
            typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.reportId === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function writeSaved(saved: readonly SavedReport[]): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(saved));
}

interface ReportsUi {
  filters: ReportFilters;
  saved: SavedReport[];
  setFilters: (patch: Partial<ReportFilters>) => void;
  /** Saves (or replaces, by name) a definition; returns it. */
  save: (name: string, reportId: string) => SavedReport;
  remove: (id: string) => void;
}

export const useReportsUi = create<ReportsUi>((set, get) => ({
  filters: DEFAULT_FILTERS,
  saved: readSaved(),
  setFilters: (patch) => set({ filters: { ...get().filters, ...patch } }),
  save: (name, reportId) => {
    const trimmed = name.trim();
    const existing = get().saved.find((s) => s.name.toLowerCase() === trimmed.toLowerCase());
    const entry: SavedReport = {
      id: existing?.id ?? `saved-${Date.now().toString(36)}`,
      name: trimmed,
      reportId,
      filters: get().filters,
    };
    const saved = [...get().saved.filter((s) => s.id !== entry.id), entry].sort((a, b) => a.name.localeCompare(b.name));
    writeSaved(saved);
    set({ saved });
    return entry;
  },
  remove: (id) => {
    const saved = get().saved.filter((s) => s.id !== id);
    writeSaved(saved);
    set({ saved });
  },
}));

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The [from, to) dates of a preset, relative to `now`. */
export function rangeOf(filters: ReportFilters, now: Date): { from?: string; to?: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (filters.range) {
    case 'thisMonth':
      return { from: iso(new Date(Date.UTC(y, m, 1))), to: iso(new Date(Date.UTC(y, m + 1, 1))) };
    case 'thisQuarter': {
      const q = m - (m % 3);
      return { from: iso(new Date(Date.UTC(y, q, 1))), to: iso(new Date(Date.UTC(y, q + 3, 1))) };
    }
    case 'thisYear':
      return { from: `${y}-01-01`, to: `${y + 1}-01-01` };
    case 'last90':
      return { from: iso(new Date(now.getTime() - 90 * 86_400_000)), to: iso(new Date(now.getTime() + 86_400_000)) };
    case 'last12m':
      return { from: iso(new Date(Date.UTC(y - 1, m + 1, 1))), to: iso(new Date(Date.UTC(y, m + 1, 1))) };
    case 'custom':
      return { ...(filters.from ? { from: filters.from } : {}), ...(filters.to ? { to: filters.to } : {}) };
    case 'all':
      return {};
  }
}
