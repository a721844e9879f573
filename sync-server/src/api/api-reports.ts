import type { FastifyInstance } from 'fastify';
import { getEntity } from '../../../src-shared/entities/registry';
import {
  type Convert,
  EMPTY_DATA,
  REPORT_DATA_ENTITY,
  REPORTS,
  type ReportData,
  type ReportFilter,
} from '../../../src-shared/reports';
import type { Access } from '../auth/access';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import type { ApiAuthenticator } from './api-access';
import { MAX_LIMIT } from './api-query';
import { listRecords } from './api-read';

/**
 * Reports over the API: the app's own report functions (src-shared/reports), computed on the
 * records the key may read (each entity in its read scope), so a rep's key reports on the rep's
 * records only. Money is converted with the dated exchange rates stored in the CRM.
 */

/** Every live record of `entity` the caller may read, page by page. */
async function readAll(db: Database, entityName: string, access: Access): Promise<Record<string, unknown>[]> {
  const entity = getEntity(entityName);
  const out: Record<string, unknown>[] = [];
  let after: { value: string; id: string } | undefined;
  for (;;) {
    const page = await listRecords(db, entity, access, {
      limit: MAX_LIMIT,
      sort: { field: 'id', descending: false },
      conditions: [],
      ...(after ? { after } : {}),
    });
    out.push(...page.data);
    const last = page.data[page.data.length - 1];
    if (page.nextCursor === null || !last) return out;
    after = { value: String(last.id), id: String(last.id) };
  }
}

interface Rate {
  base: string;
  quote: string;
  rate: number;
  date: string;
}

/**
 * Converts with the latest rate on or before the date: the pair, its inverse, or through one
 * intermediate currency (as the app's rate book does: the demo stores USD-based rates only).
 */
export function converter(rates: readonly Rate[], decimals: ReadonlyMap<string, number>): Convert {
  const sorted = [...rates].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const direct = (from: string, to: string, day: string): number | undefined => {
    for (const r of sorted) {
      if (r.date > day) continue;
      if (r.base === from && r.quote === to) return r.rate;
      if (r.base === to && r.quote === from) return 1 / r.rate;
    }
    return undefined;
  };
  const units = (currency: string) => 10 ** (decimals.get(currency) ?? 2);
  return (amount, currency, target, date) => {
    if (currency === target) return amount;
    const day = (date ?? '9999-12-31').slice(0, 10);
    let rate = direct(currency, target, day);
    if (rate === undefined) {
      const via = new Set(sorted.flatMap((r) => [r.base, r.quote]));
      for (const middle of via) {
        const a = direct(currency, middle, day);
        const b = a === undefined ? undefined : direct(middle, target, day);
        if (a !== undefined && b !== undefined) {
          rate = a * b;
          break;
        }
      }
    }
    return rate === undefined ? undefined : Math.round((amount / units(currency)) * rate * units(target));
  };
}

const REPORT_PARAMS = new Set(['currency', 'from', 'to', 'ownerId']);

function filterOf(query: Record<string, unknown>, convert: Convert): ReportFilter {
  for (const [key, value] of Object.entries(query)) {
    if (!REPORT_PARAMS.has(key)) throw new HttpError(400, `${key} is not a report parameter`, key);
    if (typeof value !== 'string') throw new HttpError(400, `${key} may be given once`, key);
  }
  const currency = (query.currency as string | undefined) ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw new HttpError(400, 'currency must be an ISO 4217 code', 'currency');
  const day = (name: 'from' | 'to') => {
    const value = query[name] as string | undefined;
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new HttpError(400, `${name} must be a date, YYYY-MM-DD`, name);
    }
    return value;
  };
  const from = day('from');
  const to = day('to');
  const owners = query.ownerId as string | undefined;
  return {
    currency,
    convert,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(owners ? { ownerIds: new Set(owners.split(',').filter((o) => o !== '')) } : {}),
  };
}

export function reportRoutes(app: FastifyInstance, options: { db: Database; authenticate: ApiAuthenticator }): void {
  const { db, authenticate } = options;
  app.get('/api/v1/reports', async (request) => {
    await authenticate(request);
    return {
      data: REPORTS.map((r) => ({ id: r.id, title: r.title, description: r.description, dateMeaning: r.dateMeaning })),
    };
  });
  app.get('/api/v1/reports/:name', async (request) => {
    const name = String((request.params as { name?: unknown }).name ?? '');
    const report = REPORTS.find((r) => r.id === name);
    if (!report) throw new HttpError(404, `unknown report "${name.slice(0, 60)}"`, 'name');
    const { access } = await authenticate(request);
    // A key that may not read the rates gets its money unconverted (named in `unconvertible`), not a 403.
    const unlessRefused = (error: unknown) => {
      if (error instanceof HttpError && error.status === 403) return [];
      throw error;
    };
    const rates = await readAll(db, 'exchangeRate', access).catch(unlessRefused);
    const currencies = await readAll(db, 'currency', access).catch(unlessRefused);
    const convert = converter(
      rates.map((r) => ({
        base: String(r.baseCurrency),
        quote: String(r.quoteCurrency),
        rate: Number(r.rate),
        date: String(r.effectiveDate),
      })),
      new Map(currencies.map((c) => [String(c.code), Number(c.decimals)])),
    );
    const filter = filterOf(request.query as Record<string, unknown>, convert);
    const data: Record<string, unknown> = { ...EMPTY_DATA };
    for (const key of report.needs) data[key] = await readAll(db, REPORT_DATA_ENTITY[key], access);
    const result = report.compute(data as unknown as ReportData, filter);
    return { report: report.id, title: report.title, currency: filter.currency, ...result };
  });
}
