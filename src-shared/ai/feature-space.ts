/**
 * Turns records into numeric rows for the models, and names each column so that a prediction can
 * be explained in words. The space is learnt from the training examples (which categories occur
 * often enough, what to fill in for a missing number) and stored with the model, so devices score
 * with exactly the columns the model was trained on.
 */

export type RawValue = number | string | boolean | undefined | null;
export type RawExample = Readonly<Record<string, RawValue>>;

export interface FeatureSpec {
  readonly key: string;
  readonly label: string;
  /** 'log' for counts and amounts with a long tail: log(1 + max(0, x)). */
  readonly kind: 'numeric' | 'log' | 'boolean' | 'category';
  /** How a reason reads the value; default "Label: value". 'daysAgo': "Last activity 3 days ago". */
  readonly text?: 'daysAgo';
}

export interface FeatureColumn {
  readonly key: string;
  readonly kind: FeatureSpec['kind'];
  /** What a person reads: "Source: Referral", "Lead activities". */
  readonly label: string;
  /** For a category column: the value it indicates. */
  readonly category?: string;
  /** For numbers: the value used when the example has none (the training mean). */
  readonly fill?: number;
}

export interface FeatureSpace {
  readonly columns: readonly FeatureColumn[];
}

export interface LearnOptions {
  /** A category needs this many training examples to get a column of its own. */
  minCategoryCount?: number;
  maxCategories?: number;
}

function numberOf(kind: FeatureSpec['kind'], value: RawValue): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : Number(value);
  if (!Number.isFinite(n)) return undefined;
  return kind === 'log' ? Math.log1p(Math.max(0, n)) : n;
}

function booleanOf(value: RawValue): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value !== 0 ? 1 : 0;
  return /^(true|yes|y|1)$/i.test(String(value ?? '').trim()) ? 1 : 0;
}

export function categoryOf(value: RawValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

const words = (value: string) =>
  value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

export function learnFeatureSpace(
  examples: readonly RawExample[],
  specs: readonly FeatureSpec[],
  options: LearnOptions = {},
): FeatureSpace {
  const minCount = options.minCategoryCount ?? 5;
  const maxCategories = options.maxCategories ?? 15;
  const columns: FeatureColumn[] = [];
  for (const spec of specs) {
    if (spec.kind === 'category') {
      const counts = new Map<string, number>();
      for (const example of examples) {
        const category = categoryOf(example[spec.key]);
        if (category !== undefined) counts.set(category, (counts.get(category) ?? 0) + 1);
      }
      const kept = [...counts]
        .filter(([, n]) => n >= minCount)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, maxCategories);
      // One category is left implicit when every example has one of the kept values (no collinear column).
      for (const [category] of kept) {
        columns.push({ key: spec.key, kind: 'category', category, label: `${spec.label}: ${words(category)}` });
      }
    } else if (spec.kind === 'boolean') {
      columns.push({ key: spec.key, kind: 'boolean', label: spec.label });
    } else {
      const values = examples.map((e) => numberOf(spec.kind, e[spec.key])).filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      const fill = values.reduce((a, b) => a + b, 0) / values.length;
      columns.push({ key: spec.key, kind: spec.kind, label: spec.label, fill });
    }
  }
  return { columns };
}

export function vectorize(space: FeatureSpace, example: RawExample): number[] {
  return space.columns.map((column) => {
    const value = example[column.key];
    switch (column.kind) {
      case 'category':
        return categoryOf(value) === column.category ? 1 : 0;
      case 'boolean':
        return booleanOf(value);
      default:
        return numberOf(column.kind, value) ?? column.fill ?? 0;
    }
  });
}
