import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';

export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  [extra: string]: unknown;
}

export function emit(line: BenchLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export function freshIndexedDb() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export const OWNERS = Array.from({ length: 20 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
export const STATUSES = ['active', 'inactive', 'bounced', 'unsubscribed'] as const;

const WORDS =
  'pipeline renewal quarterly budget procurement onsite demo pricing integration security review champion'.split(' ');

/**
 * Create input for a ~1 KB contact (JSON size once stamped), deterministic by index. Plain string
 * building rather than faker: the bench measures the database, not the data generator.
 */
export function contactInput(i: number): Record<string, unknown> {
  const words = Array.from({ length: 48 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');
  return {
    id: `contact-${String(i).padStart(7, '0')}`,
    firstName: `First${i}`,
    lastName: `Last${i % 997}`,
    email: `person${i}@company${i % 5000}.example`,
    phone: `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
    jobTitle: 'Head of Procurement',
    department: 'Operations',
    companyId: `company-${i % 5000}`,
    status: STATUSES[i % 7 === 0 ? 1 : i % 13 === 0 ? 2 : i % 17 === 0 ? 3 : 0],
    lifecycleStage: 'salesQualified',
    source: 'referral',
    addressLine1: `${i} Market Street`,
    city: 'Springfield',
    region: 'Central',
    postalCode: String(10_000 + (i % 89_999)),
    country: 'United States',
    timezone: 'America/Chicago',
    description: words,
    tags: ['enterprise', 'q4'],
    ownerId: OWNERS[i % OWNERS.length],
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
  };
}

/** The same contact as RxDB stores it, for the bare-RxDB and raw-Dexie baselines. */
export function storedContact(i: number): Record<string, unknown> {
  const input = contactInput(i);
  const createdAt = String(input.createdAt);
  return {
    ...input,
    kind: 'contact',
    updatedAt: createdAt,
    createdBy: 'user-bench',
    updatedBy: 'user-bench',
    isDeleted: false,
    doNotContact: false,
    newest: NEWEST_MAX - Date.parse(createdAt),
  };
}
