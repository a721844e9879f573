import {
  categoryOf,
  type FeatureSpace,
  type FeatureSpec,
  learnFeatureSpace,
  type RawExample,
  type RawValue,
  vectorize,
} from './feature-space';
import { contributions, fitLogistic, type LogisticModel, predict } from './logistic-regression';

/**
 * A trained, explainable yes/no model: the feature space it reads, the fitted weights, and what it
 * was trained on. Plain JSON, so it can be stored, synced and used on any device.
 */
export interface Classifier {
  readonly specs: readonly FeatureSpec[];
  readonly space: FeatureSpace;
  readonly model: LogisticModel;
  /** 'prior': too little history to learn from; built-in expectations instead (the UI says so). */
  readonly basis: 'trained' | 'prior';
  readonly trainedAt: string;
  readonly examples: number;
  readonly positives: number;
}

export interface LabelledExample {
  readonly raw: RawExample;
  readonly label: 0 | 1;
}

/** One reason behind a prediction, as a push on the log-odds relative to an average record. */
export interface Factor {
  readonly label: string;
  readonly effect: number;
}

export interface Prediction {
  readonly probability: number;
  /** Strongest reasons for, strongest first. */
  readonly positive: readonly Factor[];
  /** Strongest reasons against, strongest first. */
  readonly negative: readonly Factor[];
}

export interface TrainOptions {
  l2?: number;
  minCategoryCount?: number;
  now?: Date;
}

export function trainClassifier(
  examples: readonly LabelledExample[],
  specs: readonly FeatureSpec[],
  options: TrainOptions = {},
): Classifier {
  const space = learnFeatureSpace(
    examples.map((e) => e.raw),
    specs,
    { minCategoryCount: options.minCategoryCount ?? 5 },
  );
  const rows = examples.map((e) => vectorize(space, e.raw));
  const labels = examples.map((e) => e.label);
  const model = fitLogistic(rows, labels, { l2: options.l2 ?? 2 });
  return {
    specs,
    space,
    model,
    basis: 'trained',
    trainedAt: (options.now ?? new Date()).toISOString(),
    examples: examples.length,
    positives: labels.reduce<number>((a, b) => a + b, 0),
  };
}

/** Effects below this (log-odds) are too small to be worth showing as a reason. */
const NOTABLE = 0.05;

function daysAgoText(label: string, value: RawValue): string {
  const days = typeof value === 'number' ? value : Number(value ?? Number.NaN);
  if (value === '' || !Number.isFinite(days) || days < 0) return `${label}: unknown`;
  const whole = Math.floor(days);
  return whole === 0 ? `${label} today` : `${label} ${whole} ${whole === 1 ? 'day' : 'days'} ago`;
}

function valueText(spec: FeatureSpec, raw: RawExample): string {
  const value = raw[spec.key];
  if (spec.text === 'daysAgo') return daysAgoText(spec.label, value);
  if (spec.kind === 'category') return `${spec.label}: ${categoryOf(value) ?? 'unknown'}`;
  if (spec.kind === 'boolean')
    return `${spec.label}: ${value === true || value === 1 || value === 'true' ? 'yes' : 'no'}`;
  return value === undefined || value === null || value === '' ? `${spec.label}: unknown` : `${spec.label}: ${value}`;
}

/** The probability and its reasons: each input's effect (its columns summed) against an average record. */
export function classify(classifier: Classifier, raw: RawExample, top = 3): Prediction {
  const row = vectorize(classifier.space, raw);
  const probability = predict(classifier.model, row);
  const byKey = new Map<string, number>();
  contributions(classifier.model, row).forEach((effect, j) => {
    const key = classifier.space.columns[j]?.key;
    if (key !== undefined) byKey.set(key, (byKey.get(key) ?? 0) + effect);
  });
  const factors = classifier.specs
    .filter((spec) => byKey.has(spec.key))
    .map((spec) => ({ label: valueText(spec, raw), effect: byKey.get(spec.key) ?? 0 }));
  return {
    probability,
    positive: factors
      .filter((f) => f.effect > NOTABLE)
      .sort((a, b) => b.effect - a.effect)
      .slice(0, top),
    negative: factors
      .filter((f) => f.effect < -NOTABLE)
      .sort((a, b) => a.effect - b.effect)
      .slice(0, top),
  };
}

/** The model's strongest columns overall (standardised weights), for evaluation reports. */
export function topWeights(classifier: Classifier, count = 8): Factor[] {
  return classifier.space.columns
    .map((column, j) => ({ label: column.label, effect: classifier.model.weights[j] ?? 0 }))
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, count);
}
