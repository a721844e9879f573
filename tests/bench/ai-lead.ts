import { classify } from '../../src-shared/ai/classifier';
import { demoLeadHistory } from '../../src-shared/ai/demo-lead-history';
import { evaluateClassifier, splitByTime } from '../../src-shared/ai/evaluate';
import { priorLeadScorer, trainLeadScorer } from '../../src-shared/ai/lead-scoring';
import { auc } from '../../src-shared/ai/metrics';
import { DEFAULT_NOW } from '../../src-shared/demo/demo-context';
import type { DemoSize } from '../../src-shared/demo/generate-demo-data';
import { emit, round } from './bench-support';

export const benchId = 'AI-lead';

/**
 * Lead-scoring quality on generated leads with planted signal (source × hidden engagement, seen only
 * through activities and content interactions, their counts, recency and frequency, each lead read
 * as of when it closed): trained on the older 70% of closed leads, AUC on the newer 30%. Baseline:
 * the built-in prior (hand-set source, engagement and recency weights) on the same held-out leads.
 * Target AUC ≥ 0.80. AI_SIZE=small for a quick run.
 */
export async function run(): Promise<void> {
  const size = (process.env.AI_SIZE ?? '100k') as DemoSize;
  const started = performance.now();
  const history = demoLeadHistory(size);
  const trainStarted = performance.now();
  const evaluation = evaluateClassifier(history, (train) => trainLeadScorer(train));
  const trainMs = performance.now() - trainStarted;
  const { test } = splitByTime(history);
  // The demo data set's end: the prior's trainedAt stamp, so a run never reads the clock.
  const prior = priorLeadScorer(new Date(DEFAULT_NOW));
  const baseline = auc(
    test.map((e) => classify(prior, e.raw).probability),
    test.map((e) => e.label),
  );
  emit({
    bench: 'AI-lead',
    value: round(evaluation.auc, 4),
    unit: 'auc',
    baseline: round(baseline, 4),
    ratio: round(evaluation.auc / baseline, 3),
    auc: round(evaluation.auc, 4),
    target: 0.8,
    brier: round(evaluation.brier, 4),
    brier_base_rate: round(evaluation.brierBaseRate, 4),
    calibration_error: round(evaluation.calibrationError, 4),
    train_rows: evaluation.trainSize,
    test_rows: evaluation.testSize,
    size,
    train_ms: Math.round(trainMs),
    total_ms: Math.round(performance.now() - started),
  });
}
