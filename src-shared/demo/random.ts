import { base, en, Faker, type Randomizer } from '@faker-js/faker';

/** FNV-1a: a stable 32-bit hash of a stream name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function step(h: number, part: number): number {
  let x = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  // Fold in the high bits of numbers beyond 32 bits (seeds) too.
  return x ^ (Math.floor(part / 0x1_0000_0000) | 0);
}

/** Mixes numbers into one well-spread 32-bit value (murmur3's finaliser per step). */
export function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = step(h, part);
  return h >>> 0;
}

/** `mix(a, b, c)` without the rest array: it runs for every record. */
function mix3(a: number, b: number, c: number): number {
  return step(step(step(0x9e3779b9, a), b), c) >>> 0;
}

/** A value list with cumulative weights, prepared once so a weighted pick costs no allocation. */
export interface WeightTable<K> {
  readonly keys: readonly K[];
  readonly cumulative: readonly number[];
}

/** Weights need not cover every value of K: those left out never come up. */
export function weightTable<K extends string>(weights: Readonly<Partial<Record<K, number>>>): WeightTable<K> {
  const keys = Object.keys(weights) as K[];
  let sum = 0;
  const cumulative = keys.map((k) => {
    sum += weights[k] ?? 0;
    return sum;
  });
  return { keys, cumulative: cumulative.map((c) => c / sum) };
}

/**
 * Mulberry32: tiny, fast and good enough for demo data. Re-seeded per record, so every record is a
 * pure function of (seed, stream, index): batch size, laziness and generation order change nothing.
 */
export class Rand implements Randomizer {
  private state = 0;

  // Arrow properties: faker calls them detached from the object.
  seed = (seed: number | number[]): void => {
    this.state = Array.isArray(seed) ? mix(...seed) : seed >>> 0;
  };

  next = (): number => {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  weighted<K>(table: WeightTable<K>): K {
    return table.keys[indexAtOrAbove(table.cumulative, this.next())] as K;
  }
}

/** First index whose cumulative value is above `u` (binary search), clamped to the last. */
export function indexAtOrAbove(cumulative: ArrayLike<number>, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A named source of randomness with its own faker. `at(index)` re-seeds it for one record; two
 * streams never disturb each other, so a generator may look up another record's derived data midway.
 */
export class Stream {
  readonly rand = new Rand();
  private readonly base: number;
  private fakerInstance: Faker | undefined;

  constructor(seed: number, name: string) {
    this.base = mix(seed, hashString(name));
  }

  get faker(): Faker {
    this.fakerInstance ??= new Faker({ locale: [en, base], randomizer: this.rand });
    return this.fakerInstance;
  }

  /** Re-seeds for record `index` (and its `sub`-th part, such as a lead's m-th activity). */
  at(index: number, sub = -1): this {
    this.rand.seed(mix3(this.base, index, sub));
    return this;
  }
}
