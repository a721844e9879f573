import { type Classifier, classify, type Factor, type LabelledExample, topWeights } from './classifier';
import type { RawExample } from './feature-space';
import { auc, brier, type CalibrationBin, calibration, expectedCalibrationError } from './metrics';

/** A labelled example with the moment its features were known, for time-ordered splits. */
export interface TimedExample extends LabelledExample {
  readonly at: string;
}

export interface Evaluation {
  readonly trainSize: number;
  readonly testSize: number;
  readonly testPositiveRate: number;
  readonly auc: number;
  readonly brier: number;
  /** Brier of always predicting the training base rate. */
  readonly brierBaseRate: number;
  readonly calibration: readonly CalibrationBin[];
  readonly calibrationError: number;
  readonly topFactors: readonly Factor[];
  readonly basis: Classifier['basis'];
}

/**
 * Trains on the older share of the examples and tests on the newer rest, as the model is used:
 * trained on the past, scoring what comes next (a random split would let the future leak in).
 */
export function splitByTime<T extends { at: string }>(
  examples: readonly T[],
  trainShare = 0.7,
): { train: T[]; test: T[] } {
  const sorted = [...examples].sort((a, b) => a.at.localeCompare(b.at));
  const cut = Math.round(sorted.length * trainShare);
  return { train: sorted.slice(0, cut), test: sorted.slice(cut) };
}

/** What an evaluation needs of a trained model. */
export interface Predictor {
  probability(raw: RawExample): number;
  readonly basis: Classifier['basis'];
  topFactors(): readonly Factor[];
}

export function classifierPredictor(classifier: Classifier): Predictor {
  return {
    probability: (raw) => classify(classifier, raw).probability,
    basis: classifier.basis,
    topFactors: () => topWeights(classifier),
  };
}

export function evaluateClassifier(
  examples: readonly TimedExample[],
  train: (examples: readonly LabelledExample[]) => Classifier,
  trainShare = 0.7,
): Evaluation {
  return evaluatePredictor(examples, (t) => classifierPredictor(train(t)), trainShare);
}

export function evaluatePredictor(
  examples: readonly TimedExample[],
  train: (examples: readonly TimedExample[]) => Predictor,
  trainShare = 0.7,
): Evaluation {
  const split = splitByTime(examples, trainShare);
  if (split.test.length === 0) throw new Error('too few examples to hold any out for testing');
  const predictor = train(split.train);
  const labels = split.test.map((e) => e.label);
  const probabilities = split.test.map((e) => predictor.probability(e.raw));
  const baseRate = split.train.reduce((n, e) => n + e.label, 0) / Math.max(1, split.train.length);
  const bins = calibration(probabilities, labels);
  return {
    trainSize: split.train.length,
    testSize: split.test.length,
    testPositiveRate: labels.reduce<number>((a, b) => a + b, 0) / labels.length,
    auc: auc(probabilities, labels),
    brier: brier(probabilities, labels),
    brierBaseRate: brier(
      labels.map(() => baseRate),
      labels,
    ),
    calibration: bins,
    calibrationError: expectedCalibrationError(bins),
    topFactors: predictor.topFactors(),
    basis: predictor.basis,
  };
}
