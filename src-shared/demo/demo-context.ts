import type { EntityName } from '../entities/registry';
import { DEMO_SIZES, type DemoCounts, type DemoSize, managerCount } from './demo-sizes';
import { Stream } from './random';

export type DemoEntity = Exclude<EntityName, 'auditLog' | 'customFieldValue'>;

/** Short, readable id prefixes; an id is `<prefix>_<seed in base 36>_<index>`, at most ~24 characters. */
const ID_PREFIX: Record<DemoEntity, string> = {
  userRole: 'role',
  user: 'usr',
  userGroup: 'grp',
  userGroupMember: 'grpm',
  currency: 'cur',
  exchangeRate: 'fx',
  product: 'prd',
  customField: 'cfd',
  externalIntegration: 'int',
  workflow: 'wf',
  company: 'co',
  companyResearch: 'res',
  contact: 'ct',
  socialProfile: 'soc',
  leadList: 'lst',
  lead: 'ld',
  leadListMember: 'lstm',
  leadActivity: 'lact',
  deal: 'dl',
  dealProduct: 'dli',
  dealStageHistory: 'dsh',
  content: 'cnt',
  contentInteraction: 'cint',
  communication: 'com',
  communicationAttachment: 'att',
  task: 'tsk',
  note: 'nt',
  consent: 'cns',
  retentionPolicy: 'ret',
};

export const DAY_MS = 86_400_000;
/** createdAt values spread over the 18 months before `now`. */
export const HISTORY_DAYS = 548;

export const DEFAULT_SEED = 42;
export const DEFAULT_NOW = '2026-11-01T00:00:00.000Z';

export interface DemoClock {
  readonly nowMs: number;
  readonly startMs: number;
  iso(ms: number): string;
  date(ms: number): string;
  /** A time in [from, to], clamped to the history window and never after now. */
  between(u: number, from: number, to: number): number;
}

export interface DemoContext {
  readonly seed: number;
  readonly size: DemoSize;
  readonly counts: DemoCounts;
  readonly clock: DemoClock;
  readonly managers: number;
  id(entity: DemoEntity, index: number): string;
  /** The stream called `name`, created on first use. */
  stream(name: string): Stream;
  /** Lazily computed shared data; `build` runs once per key. */
  memo<T>(key: string, build: () => T): T;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/**
 * `Date#toISOString` with the date part cached per day: it runs several million times for '100k'
 * and is otherwise the generator's single biggest cost.
 */
function isoFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  return (value) => {
    const ms = Math.round(value);
    const day = Math.floor(ms / DAY_MS);
    let date = days.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 11);
      days.set(day, date);
    }
    const t = ms - day * DAY_MS;
    const h = Math.floor(t / 3_600_000);
    const m = Math.floor(t / 60_000) % 60;
    const s = Math.floor(t / 1000) % 60;
    return `${date}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(t % 1000)}Z`;
  };
}

export function createClock(now: Date): DemoClock {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid date');
  const startMs = nowMs - HISTORY_DAYS * DAY_MS;
  return {
    nowMs,
    startMs,
    iso: isoFormatter(),
    date: (ms) => new Date(ms).toISOString().slice(0, 10),
    between: (u, from, to) => {
      const lo = Math.max(startMs, Math.min(from, nowMs));
      const hi = Math.max(lo, Math.min(to, nowMs));
      return Math.round(lo + u * (hi - lo));
    },
  };
}

export function createContext(size: DemoSize, seed: number, now: Date): DemoContext {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a non-negative integer');
  const counts = DEMO_SIZES[size];
  if (!counts) throw new RangeError(`unknown demo size "${size}"`);
  const streams = new Map<string, Stream>();
  const memos = new Map<string, unknown>();
  const seedTag = seed.toString(36);
  return {
    seed,
    size,
    counts,
    clock: createClock(now),
    managers: managerCount(counts.user),
    id: (entity, index) => `${ID_PREFIX[entity]}_${seedTag}_${String(index).padStart(6, '0')}`,
    stream: (name) => {
      let stream = streams.get(name);
      if (!stream) {
        stream = new Stream(seed, name);
        streams.set(name, stream);
      }
      return stream;
    },
    memo: <T>(key: string, build: () => T): T => {
      if (!memos.has(key)) memos.set(key, build());
      return memos.get(key) as T;
    },
  };
}
