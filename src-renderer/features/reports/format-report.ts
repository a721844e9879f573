/** Report numbers as a person reads them. */
import type { ValueKind } from '../../../src-shared/reports';
import { formatMoney } from '../deals';

export interface MoneyFormat {
  readonly currency: string;
  readonly decimals: number;
}

const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatReportValue(kind: ValueKind, value: number | undefined, money: MoneyFormat, compact = false) {
  if (value === undefined) return '—';
  switch (kind) {
    case 'money':
      return formatMoney(value, money.currency, money.decimals, compact);
    case 'percent':
      return `${count.format(value)}%`;
    case 'days':
      return `${count.format(value)} d`;
    case 'count':
      return compact && value >= 10_000
        ? new Intl.NumberFormat(undefined, { notation: 'compact' }).format(value)
        : count.format(value);
  }
}

/** The screen a drill-down record opens on. */
export const SCREEN_OF: Record<string, 'deals' | 'leads' | 'communications' | 'tasks' | 'content'> = {
  deal: 'deals',
  lead: 'leads',
  communication: 'communications',
  task: 'tasks',
  content: 'content',
};

export const PALETTE = ['#2f5bea', '#13795b', '#f59e0b', '#8b5cf6', '#e5484d', '#0ea5e9', '#64748b'];

/** Colours that mean the same thing in every chart: won green, lost grey, stages from light to dark. */
export const SERIES_COLOR: Record<string, string> = {
  won: '#13795b',
  lost: '#c5ccd6',
  wonAmount: '#13795b',
  commit: '#2f5bea',
  bestCase: '#93b1ff',
  weighted: '#f59e0b',
  amount: '#2f5bea',
  prospecting: '#c7d7fe',
  qualification: '#8aa8f8',
  proposal: '#2f5bea',
  negotiation: '#1e3a8a',
  calls: '#2f5bea',
  emails: '#8aa8f8',
  meetings: '#13795b',
  otherComms: '#c5ccd6',
  tasksDone: '#f59e0b',
  views: '#2f5bea',
  downloads: '#13795b',
  shares: '#f59e0b',
  other: '#c5ccd6',
};
