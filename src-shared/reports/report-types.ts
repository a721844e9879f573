/**
 * The shapes the reports read and return. Reports are pure functions over plain records (what the
 * repositories return), so that they run the same in the page, a worker, Node and the tests.
 */
import type { Convert } from '../ai/forecast';

export type { Convert };

export interface ReportDeal {
  readonly id: string;
  readonly name?: string;
  readonly ownerId: string;
  readonly stage: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
  readonly probability: number;
  readonly createdAt: string;
  readonly expectedCloseDate?: string;
  readonly closedAt?: string;
  readonly source?: string;
  readonly forecastCategory?: string;
  readonly leadId?: string;
}

export interface ReportDealProduct {
  readonly id: string;
  readonly dealId: string;
  readonly productId: string;
  readonly total: number;
  readonly currency: string;
}

export interface ReportStageMove {
  readonly id: string;
  readonly dealId: string;
  readonly fromStage?: string;
  readonly toStage: string;
  readonly changedAt: string;
  readonly daysInPreviousStage?: number;
}

export interface ReportLead {
  readonly id: string;
  readonly ownerId: string;
  readonly source: string;
  readonly status: string;
  readonly createdAt: string;
  readonly convertedAt?: string;
  readonly rating?: string;
}

export interface ReportCommunication {
  readonly id: string;
  readonly ownerId: string;
  readonly type: string;
  readonly occurredAt: string;
}

export interface ReportTask {
  readonly id: string;
  readonly ownerId: string;
  readonly status: string;
  readonly dueAt?: string;
  readonly completedAt?: string;
}

export interface ReportContent {
  readonly id: string;
  readonly title: string;
}

export interface ReportInteraction {
  readonly id: string;
  readonly contentId: string;
  readonly subjectId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly completionPercent?: number;
}

export interface ReportUser {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
}

export interface ReportGroup {
  readonly id: string;
  readonly name: string;
}

export interface ReportMember {
  readonly groupId: string;
  readonly userId: string;
}

export interface ReportData {
  readonly deals: readonly ReportDeal[];
  readonly dealProducts: readonly ReportDealProduct[];
  readonly products: readonly { readonly id: string; readonly name: string }[];
  readonly stageHistory: readonly ReportStageMove[];
  readonly leads: readonly ReportLead[];
  readonly communications: readonly ReportCommunication[];
  readonly tasks: readonly ReportTask[];
  readonly content: readonly ReportContent[];
  readonly interactions: readonly ReportInteraction[];
  readonly users: readonly ReportUser[];
  readonly groups: readonly ReportGroup[];
  readonly members: readonly ReportMember[];
}

export type DataKey = keyof ReportData;

/** The entity behind each kind of report data: the app, the server's API and the CLI read the same. */
export const REPORT_DATA_ENTITY: Readonly<Record<DataKey, string>> = {
  deals: 'deal',
  dealProducts: 'dealProduct',
  products: 'product',
  stageHistory: 'dealStageHistory',
  leads: 'lead',
  communications: 'communication',
  tasks: 'task',
  content: 'content',
  interactions: 'contentInteraction',
  users: 'user',
  groups: 'userGroup',
  members: 'userGroupMember',
};

export interface ReportFilter {
  /** The currency money is shown in. */
  readonly currency: string;
  readonly convert: Convert;
  /** ISO dates, [from, to). */
  readonly from?: string;
  readonly to?: string;
  /** Only records owned by these users (an owner, or a team's members); undefined: everyone's. */
  readonly ownerIds?: ReadonlySet<string>;
}

export type ValueKind = 'money' | 'count' | 'percent' | 'days';

export interface ReportSeries {
  readonly key: string;
  readonly label: string;
  readonly kind: ValueKind;
  /** Drawn on the chart (else: table only). */
  readonly chart?: boolean;
  /** Bars of the same stack are stacked. */
  readonly stack?: string;
  /** The kind of record behind this series' number when it differs from the report's. */
  readonly entity?: string;
}

export interface ReportRow {
  readonly key: string;
  readonly label: string;
  readonly values: Readonly<Record<string, number | undefined>>;
  /** The records behind the row (of the report's entity). */
  readonly ids: readonly string[];
  /** The records behind one series' number, where they differ from the row's. */
  readonly idsBy?: Readonly<Record<string, readonly string[]>>;
}

export interface ReportResult {
  /** The kind of record the rows' ids are. */
  readonly entity: string;
  readonly series: readonly ReportSeries[];
  readonly rows: readonly ReportRow[];
  readonly chart: 'bar' | 'funnel' | 'line';
  /** Money in records that could not be converted (no rate on their date): counted, not dropped. */
  readonly unconvertible: readonly string[];
}

export const inRange = (iso: string | undefined, from?: string, to?: string): boolean => {
  if (from === undefined && to === undefined) return true;
  if (!iso) return false;
  const day = iso.slice(0, 10);
  return (from === undefined || day >= from) && (to === undefined || day < to);
};

export const ownedBy = (ownerId: string, filter: ReportFilter): boolean =>
  filter.ownerIds === undefined || filter.ownerIds.has(ownerId);

export const userNames = (users: readonly ReportUser[]): ((id: string) => string) => {
  const names = new Map(users.map((u) => [u.id, `${u.firstName} ${u.lastName}`.trim()]));
  return (id) => names.get(id) ?? 'Unknown user';
};

/** A map of rows built up record by record, then sorted. */
export class RowBuilder<V extends Record<string, number>> {
  private readonly rows = new Map<
    string,
    { label: string; values: V; ids: string[]; idsBy: Record<string, string[]> }
  >();
  constructor(private readonly empty: () => V) {}
  row(key: string, label: string) {
    let row = this.rows.get(key);
    if (!row) {
      row = { label, values: this.empty(), ids: [], idsBy: {} };
      this.rows.set(key, row);
    }
    return row;
  }
  add(key: string, label: string, id: string, values: Partial<V>, series?: readonly string[]) {
    const row = this.row(key, label);
    row.ids.push(id);
    const into = row.values as Record<string, number>;
    for (const k in values) into[k] = (into[k] ?? 0) + (values[k] as number);
    for (const s of series ?? []) {
      const list = row.idsBy[s];
      if (list) list.push(id);
      else row.idsBy[s] = [id];
    }
  }
  build(finish?: (values: V) => Record<string, number | undefined>): ReportRow[] {
    return [...this.rows].map(([key, r]) => ({
      key,
      label: r.label,
      values: finish ? { ...r.values, ...finish(r.values) } : r.values,
      ids: r.ids,
      ...(Object.keys(r.idsBy).length > 0 ? { idsBy: r.idsBy } : {}),
    }));
  }
}

export const rate = (part: number, whole: number): number | undefined =>
  whole === 0 ? undefined : Math.round((1000 * part) / whole) / 10;
