import { createRateBook, type Rate } from '../../../../src-renderer/features/deals/convert-money';
import { generateDemoData } from '../../../../src-shared/demo/generate-demo-data';
import type { ReportData, ReportFilter } from '../../../../src-shared/reports';

/** The entities the reports read and, to keep the 100k set in memory, only the fields they use. */
const WANTED: Record<string, readonly string[]> = {
  exchangeRate: ['baseCurrency', 'quoteCurrency', 'rate', 'effectiveDate'],
  currency: ['code', 'decimals'],
  deal: [
    'name',
    'ownerId',
    'stage',
    'amount',
    'currency',
    'probability',
    'createdAt',
    'expectedCloseDate',
    'closedAt',
    'source',
    'forecastCategory',
    'leadId',
  ],
  dealProduct: ['dealId', 'productId', 'total', 'currency'],
  product: ['name'],
  dealStageHistory: ['dealId', 'fromStage', 'toStage', 'changedAt', 'daysInPreviousStage'],
  lead: ['ownerId', 'source', 'status', 'createdAt', 'convertedAt', 'rating'],
  communication: ['ownerId', 'type', 'occurredAt'],
  task: ['ownerId', 'status', 'dueAt', 'completedAt'],
  content: ['title'],
  contentInteraction: ['contentId', 'subjectId', 'type', 'occurredAt', 'completionPercent'],
  user: ['firstName', 'lastName'],
  userGroup: ['name'],
  userGroupMember: ['groupId', 'userId'],
};

function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: record.id };
  for (const f of fields) if (record[f] !== undefined) out[f] = record[f];
  return out;
}

/** A generated demo set as the reports read it (the repositories return the same plain records). */
export function demoReportData(size: 'small' | '100k'): { data: ReportData; filter: ReportFilter } {
  const by: Record<string, unknown[]> = {};
  for (const batch of generateDemoData({ size })) {
    const fields = WANTED[batch.entity];
    if (!fields) continue;
    const list = by[batch.entity] ?? [];
    by[batch.entity] = list;
    for (const r of batch.records) list.push(pick(r as Record<string, unknown>, fields));
  }
  const get = <T>(entity: string) => (by[entity] ?? []) as T[];
  // As the app does (useRateBook): the currencies' decimals from their records.
  const decimals = Object.fromEntries(
    get<{ code: string; decimals: number }>('currency').map((c) => [c.code, c.decimals]),
  );
  const book = createRateBook(get<Rate>('exchangeRate'), decimals);
  return {
    data: {
      deals: get('deal'),
      dealProducts: get('dealProduct'),
      products: get('product'),
      stageHistory: get('dealStageHistory'),
      leads: get('lead'),
      communications: get('communication'),
      tasks: get('task'),
      content: get('content'),
      interactions: get('contentInteraction'),
      users: get('user'),
      groups: get('userGroup'),
      members: get('userGroupMember'),
    },
    filter: {
      currency: 'USD',
      convert: (amount, currency, target, date) => {
        const r = book.convert({ amount, currency }, target, date);
        return r.ok ? r.amount : undefined;
      },
    },
  };
}
