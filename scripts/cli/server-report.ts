import { getEntity } from '../../src-shared/entities/registry';
import {
  type DataKey,
  EMPTY_DATA,
  REPORT_DATA_ENTITY,
  type ReportData,
  type ReportDef,
  type ReportFilter,
  type ReportResult,
} from '../../src-shared/reports';
import { createRateBook, type Rate, type RateBook } from '../../src-shared/reports/rate-book';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import { loadAccess } from '../../sync-server/src/auth/access';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { quoted } from '../../sync-server/src/db/sync-schema';
import { rowToWireDoc } from '../../sync-server/src/sync/row-codec';
import { writeGate } from '../../sync-server/src/sync/write-access';
import { resolveActor, type ServerActor } from './server-actor';

/**
 * A report of src-shared/reports computed on the sync server's data, for `npm run crm -- report`:
 * the records it needs that the `--as` user may read (the same gate as pulls' scope), money
 * converted with the stored dated rates, the same pure functions the app's Reports screen runs.
 */

type Plain = Record<string, unknown>;

async function live(db: Queryable, entity: EntityDef): Promise<Plain[]> {
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} t WHERE NOT t.sync_removed AND NOT t.is_deleted`,
  );
  return rows.map((r) => {
    const { _deleted, ...doc } = rowToWireDoc(entity, r.doc) as Plain;
    return doc;
  });
}

export async function serverRateBook(db: Queryable): Promise<RateBook> {
  const rates = (await live(db, getEntity('exchangeRate'))) as unknown as Rate[];
  const currencies = await live(db, getEntity('currency'));
  return createRateBook(rates, Object.fromEntries(currencies.map((c) => [String(c.code), Number(c.decimals)])));
}

export interface ServerReportOptions {
  readonly report: ReportDef;
  readonly currency: string;
  readonly from?: string;
  readonly to?: string;
  readonly asEmail?: string;
}

export interface ServerReport {
  readonly actor: ServerActor;
  readonly result: ReportResult;
  readonly book: RateBook;
  /** Records read, by data kind. */
  readonly counts: Readonly<Partial<Record<DataKey, number>>>;
}

export async function reportFromServer(db: Database, options: ServerReportOptions): Promise<ServerReport> {
  const actor = await resolveActor(db, options.asEmail);
  const access = await loadAccess(db, { userId: actor.id });
  const gate = writeGate(access);
  const loaded: Partial<Record<DataKey, Plain[]>> = {};
  const counts: Partial<Record<DataKey, number>> = {};
  for (const key of options.report.needs) {
    const entity = getEntity(REPORT_DATA_ENTITY[key]);
    const records = await live(db, entity);
    await gate.load(
      db,
      records.map((doc) => ({ entity, doc })),
    );
    loaded[key] = records.filter((doc) => gate.mayRead(entity, doc));
    counts[key] = loaded[key]?.length ?? 0;
  }
  const book = await serverRateBook(db);
  const filter: ReportFilter = {
    currency: options.currency,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    convert: (amount, currency, target, date) => {
      const r = book.convert({ amount, currency }, target, date);
      return r.ok ? r.amount : undefined;
    },
  };
  const data = { ...EMPTY_DATA, ...loaded } as unknown as ReportData;
  return { actor, result: options.report.compute(data, filter), book, counts };
}
