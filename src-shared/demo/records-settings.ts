import { DAY_MS, type DemoContext } from './demo-context';
import { DEMO_CUSTOM_FIELDS } from './demo-custom-fields';
import { CURRENCIES, NOMINAL_USD_RATE, PRODUCTS } from './demo-money';
import type { DemoInput, DemoRecords } from './demo-record';
import { demoUsers } from './plan-users';

/** Settings are created in the first days of the history, before any sales record. */
export function settingsTime(ctx: DemoContext, step: number): string {
  return ctx.clock.iso(ctx.clock.startMs + DAY_MS + step * 60_000);
}

export function* currencyRecords(ctx: DemoContext): DemoRecords<'currency'> {
  for (const [i, currency] of CURRENCIES.slice(0, ctx.counts.currency).entries()) {
    yield {
      id: ctx.id('currency', i),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, i),
      ...currency,
      active: true,
    };
  }
}

/** Monthly USD rates for every other currency, on the first of each month of the history. */
export function* exchangeRateRecords(ctx: DemoContext): DemoRecords<'exchangeRate'> {
  const { clock } = ctx;
  const quotes = CURRENCIES.slice(0, ctx.counts.currency).filter((c) => c.code !== 'USD');
  const stream = ctx.stream('exchangeRate');
  const first = new Date(clock.startMs);
  let index = 0;
  for (let month = 0; ; month++) {
    const effective = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + month, 1);
    if (effective > clock.nowMs) return;
    for (const [q, quote] of quotes.entries()) {
      const { rand } = stream.at(month, q);
      const drift = 1 + 0.03 * Math.sin(month / 2.5 + q * 2) + 0.008 * (rand.next() - 0.5);
      yield {
        id: ctx.id('exchangeRate', index++),
        ownerId: ctx.id('user', 0),
        createdAt: clock.iso(Math.max(clock.startMs, effective)),
        baseCurrency: 'USD',
        quoteCurrency: quote.code,
        rate: Number((NOMINAL_USD_RATE[quote.code] * drift).toPrecision(6)),
        effectiveDate: clock.date(effective),
        source: 'Reference rate (demo)',
      };
    }
  }
}

export function* productRecords(ctx: DemoContext): DemoRecords<'product'> {
  for (const [i, product] of PRODUCTS.slice(0, ctx.counts.product).entries()) {
    yield {
      id: ctx.id('product', i),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 10 + i),
      name: product.name,
      sku: product.sku,
      series: product.series,
      description: product.description,
      unitPrice: product.unitPriceUsd,
      currency: 'USD',
      active: true,
    };
  }
}

export function* customFieldRecords(ctx: DemoContext): DemoRecords<'customField'> {
  for (const [i, field] of DEMO_CUSTOM_FIELDS.slice(0, ctx.counts.customField).entries()) {
    yield {
      id: ctx.id('customField', i),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 20 + i),
      entityKind: field.entityKind,
      key: field.key,
      label: field.label,
      fieldType: field.fieldType,
      ...(field.options ? { options: [...field.options] } : {}),
      required: false,
      description: field.description,
      position: i,
      active: true,
    };
  }
}

export function* integrationRecords(ctx: DemoContext): DemoRecords<'externalIntegration'> {
  const admin = demoUsers(ctx)[0];
  const lastSyncAt = ctx.clock.iso(ctx.clock.nowMs - 15 * 60_000);
  const all: DemoInput<'externalIntegration'>[] = [
    {
      id: ctx.id('externalIntegration', 0),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 30),
      name: 'Team mailboxes',
      provider: 'gmail',
      status: 'active',
      events: ['email.received', 'email.sent'],
      scopes: ['gmail.readonly', 'gmail.send'],
      config: { account: admin?.email ?? 'admin@example.com', labels: ['INBOX', 'SENT'], logToCrm: true },
      lastSyncAt,
    },
    {
      id: ctx.id('externalIntegration', 1),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 31),
      name: 'Finance webhook',
      provider: 'webhook',
      status: 'active',
      endpointUrl: 'https://hooks.fieldcrm-demo.example/crm-events',
      events: ['deal.stageChanged', 'deal.closedWon', 'lead.converted'],
      config: { retries: 3, timeoutSeconds: 10 },
      lastSyncAt,
    },
  ];
  yield* all.slice(0, ctx.counts.externalIntegration);
}

/** Workflow 0 routes new inbound leads; workflow 1 chases stalled deals (tasks refer to it). */
export const STALLED_DEALS_WORKFLOW = 1;

export function* workflowRecords(ctx: DemoContext): DemoRecords<'workflow'> {
  const { clock } = ctx;
  const all: DemoInput<'workflow'>[] = [
    {
      id: ctx.id('workflow', 0),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 40),
      name: 'Route new inbound leads',
      description: 'Assign website and ad leads round-robin within North America and ask for a call within a day.',
      entityKind: 'lead',
      trigger: 'recordCreated',
      conditions: { all: [{ field: 'source', op: 'in', value: ['website', 'paidAds'] }] },
      actions: [
        { type: 'assignRoundRobin', groupId: ctx.id('userGroup', 0) },
        { type: 'createTask', taskType: 'call', dueInDays: 1, title: 'Call new inbound lead' },
      ],
      active: true,
      lastRunAt: clock.iso(clock.nowMs - 2 * 3_600_000),
      runCount: Math.round(ctx.counts.lead * 0.36),
    },
    {
      id: ctx.id('workflow', STALLED_DEALS_WORKFLOW),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 41),
      name: 'Follow up stalled deals',
      description: 'Every Monday, create a follow-up task for open deals that have not moved stage in three weeks.',
      entityKind: 'deal',
      trigger: 'scheduled',
      conditions: {
        all: [
          { field: 'stage', op: 'notIn', value: ['closedWon', 'closedLost'] },
          { field: 'stageChangedAt', op: 'olderThanDays', value: 21 },
        ],
      },
      actions: [{ type: 'createTask', taskType: 'followUp', priority: 'high', title: 'Follow up on stalled deal' }],
      schedule: '0 8 * * 1',
      active: true,
      lastRunAt: clock.iso(clock.nowMs - 5 * DAY_MS),
      runCount: 78,
    },
  ];
  yield* all.slice(0, ctx.counts.workflow);
}
