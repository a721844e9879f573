import { type Classifier, classify, type Prediction, trainClassifier } from './classifier';
import { evaluatePredictor, type Predictor, splitByTime, type TimedExample } from './evaluate';
import type { FeatureSpec, RawExample } from './feature-space';
import { brier } from './metrics';

/**
 * Deal win probability: learnt from closed deals, each seen at every open stage it passed through
 * (the question is asked at each stage: "from here, will it be won?"), with features known at that
 * moment only: the stage, how long the deal had been open and in its stage, activity so far, its
 * amount, source, type, the company's industry, and the owner's record on other deals.
 *
 * The model also measures itself while training (trained on the older 80% of its history, scored
 * on the newest 20%): when it predicts barely better than the base rate, it says its signal is weak,
 * and the app shows that instead of a confident-looking number.
 */

export const DEAL_FEATURES: readonly FeatureSpec[] = [
  { key: 'stage', label: 'Stage', kind: 'category' },
  { key: 'source', label: 'Source', kind: 'category' },
  { key: 'type', label: 'Deal type', kind: 'category' },
  { key: 'industry', label: 'Industry', kind: 'category' },
  { key: 'product', label: 'Product', kind: 'category' },
  { key: 'region', label: 'Region', kind: 'category' },
  { key: 'amountUsd', label: 'Amount (USD)', kind: 'log' },
  { key: 'employees', label: 'Company employees', kind: 'log' },
  { key: 'daysOpen', label: 'Days open', kind: 'log' },
  { key: 'daysInStage', label: 'Days in previous stage', kind: 'log' },
  { key: 'activities', label: 'Activities so far', kind: 'log' },
  { key: 'ownerWinRate', label: "Owner's win rate", kind: 'numeric' },
];

/** Keys of a deal example that are not features themselves. */
export interface DealKeys {
  /** Whose deal: the owner's record on other deals becomes a feature. */
  owner?: string;
  /** The deal's id: snapshots of one deal count once in the owner's record. */
  dealId?: string;
}

/** Held-out skill (1 − Brier / Brier of the base rate) below which the signal is called weak. */
export const WEAK_SKILL = 0.02;
const TRUST_STEPS = [0, 0.25, 0.5, 0.75, 1];
/** Pseudo-deals at the base rate added to each owner's record (shrinks a short record to the average). */
const OWNER_PRIOR_DEALS = 10;

export interface DealModel {
  readonly classifier: Classifier;
  readonly ownerRates: Readonly<Record<string, number>>;
  readonly baseRate: number;
  /**
   * How far predictions move from the base rate toward the classifier's (0–1), chosen on the
   * newest fifth of the history: with weak signal the model stays at the base rate rather than
   * spread noise around it.
   */
  readonly trust: number;
  /** 1 − Brier / Brier of the base rate on the newest fifth of the training history. */
  readonly skill: number;
  readonly signal: 'strong' | 'weak';
}

function ownerRecord(examples: readonly TimedExample[]) {
  const byOwner = new Map<string, Map<string, 0 | 1>>();
  for (const e of examples) {
    const owner = String(e.raw.owner ?? '');
    const deal = String(e.raw.dealId ?? `${e.at}`);
    if (!owner) continue;
    const deals = byOwner.get(owner) ?? new Map<string, 0 | 1>();
    deals.set(deal, e.label);
    byOwner.set(owner, deals);
  }
  return byOwner;
}

/** Each row's owner win rate, leaving the row's own deal out (its outcome must not explain itself). */
function withOwnerRates(examples: readonly TimedExample[], baseRate: number): TimedExample[] {
  const record = ownerRecord(examples);
  return examples.map((e) => {
    const deals = record.get(String(e.raw.owner ?? ''));
    if (!deals) return { ...e, raw: { ...e.raw, ownerWinRate: baseRate } };
    let wins = 0;
    let count = 0;
    for (const [deal, label] of deals) {
      if (deal === String(e.raw.dealId ?? '')) continue;
      wins += label;
      count++;
    }
    const rate = (wins + OWNER_PRIOR_DEALS * baseRate) / (count + OWNER_PRIOR_DEALS);
    return { ...e, raw: { ...e.raw, ownerWinRate: rate } };
  });
}

function fitDealModel(examples: readonly TimedExample[], specs: readonly FeatureSpec[], now?: Date) {
  const baseRate = examples.reduce((n, e) => n + e.label, 0) / Math.max(1, examples.length);
  const classifier = trainClassifier(withOwnerRates(examples, baseRate), specs, { l2: 10, now, minCategoryCount: 10 });
  const ownerRates: Record<string, number> = {};
  for (const [owner, deals] of ownerRecord(examples)) {
    const wins = [...deals.values()].reduce<number>((a, b) => a + b, 0);
    ownerRates[owner] = (wins + OWNER_PRIOR_DEALS * baseRate) / (deals.size + OWNER_PRIOR_DEALS);
  }
  return { classifier, ownerRates, baseRate };
}

const withOwnerRate = (model: Pick<DealModel, 'ownerRates' | 'baseRate'>, raw: RawExample): RawExample => ({
  ...raw,
  ownerWinRate: model.ownerRates[String(raw.owner ?? '')] ?? model.baseRate,
});

export function trainDealModel(
  examples: readonly TimedExample[],
  options: { specs?: readonly FeatureSpec[]; now?: Date } = {},
): DealModel {
  const specs = options.specs ?? DEAL_FEATURES;
  const { train, test } = splitByTime(examples, 0.8);
  let skill = 0;
  let trust = 1;
  if (test.length >= 20 && train.length >= 20) {
    const inner = fitDealModel(train, specs);
    const labels = test.map((e) => e.label);
    const raw = test.map((e) => classify(inner.classifier, withOwnerRate(inner, e.raw)).probability);
    const baseBrier = brier(
      labels.map(() => inner.baseRate),
      labels,
    );
    let best = { trust: 0, brier: baseBrier };
    for (const t of TRUST_STEPS) {
      const b = brier(
        raw.map((p) => inner.baseRate + t * (p - inner.baseRate)),
        labels,
      );
      if (b < best.brier - 1e-12) best = { trust: t, brier: b };
    }
    trust = best.trust;
    skill = baseBrier > 0 ? 1 - best.brier / baseBrier : 0;
  }
  const model = fitDealModel(examples, specs, options.now);
  return { ...model, trust, skill, signal: skill < WEAK_SKILL ? 'weak' : 'strong' };
}

export interface DealPrediction extends Prediction {
  readonly signal: DealModel['signal'];
}

export function predictDeal(model: DealModel, raw: RawExample): DealPrediction {
  const prediction = classify(model.classifier, withOwnerRate(model, raw));
  const probability = model.baseRate + model.trust * (prediction.probability - model.baseRate);
  return { ...prediction, probability, signal: model.signal };
}

export function dealPredictor(model: DealModel): Predictor {
  return {
    probability: (raw) => predictDeal(model, raw).probability,
    basis: model.classifier.basis,
    topFactors: () =>
      model.classifier.space.columns
        .map((c, j) => ({ label: c.label, effect: model.classifier.model.weights[j] ?? 0 }))
        .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
        .slice(0, 8),
  };
}

/** The usual rule of thumb: each stage's historical win rate (smoothed toward the overall rate). */
export function stageAveragePredictor(examples: readonly TimedExample[]): Predictor {
  const base = examples.reduce((n, e) => n + e.label, 0) / Math.max(1, examples.length);
  const counts = new Map<string, { wins: number; n: number }>();
  for (const e of examples) {
    const stage = String(e.raw.stage ?? '');
    const c = counts.get(stage) ?? { wins: 0, n: 0 };
    c.wins += e.label;
    c.n++;
    counts.set(stage, c);
  }
  return {
    probability: (raw) => {
      const c = counts.get(String(raw.stage ?? ''));
      return c ? (c.wins + base) / (c.n + 1) : base;
    },
    basis: 'trained',
    topFactors: () => [],
  };
}

/** The base rate alone: what a model with no information would say. */
export function baseRatePredictor(examples: readonly TimedExample[]): Predictor {
  const base = examples.reduce((n, e) => n + e.label, 0) / Math.max(1, examples.length);
  return { probability: () => base, basis: 'trained', topFactors: () => [] };
}

export interface DealEvaluation {
  readonly brier: number;
  readonly baseline: number;
  readonly baseRate: number;
  readonly auc: number;
  readonly skill: number;
  readonly signal: DealModel['signal'];
  readonly testSize: number;
  readonly trainSize: number;
}

/** The model against a baseline predictor on the newest share of the history. */
export function evaluateDealModel(
  examples: readonly TimedExample[],
  baseline: (train: readonly TimedExample[]) => Predictor,
  options: { specs?: readonly FeatureSpec[]; trainShare?: number } = {},
): DealEvaluation {
  let model: DealModel | undefined;
  const evaluation = evaluatePredictor(
    examples,
    (train) => {
      model = trainDealModel(train, options);
      return dealPredictor(model);
    },
    options.trainShare,
  );
  const reference = evaluatePredictor(examples, baseline, options.trainShare);
  const base = evaluatePredictor(examples, baseRatePredictor, options.trainShare);
  return {
    brier: evaluation.brier,
    baseline: reference.brier,
    baseRate: base.brier,
    auc: evaluation.auc,
    skill: model?.skill ?? 0,
    signal: model?.signal ?? 'weak',
    testSize: evaluation.testSize,
    trainSize: evaluation.trainSize,
  };
}
