import { baseRatePredictor, evaluateDealModel, stageAveragePredictor } from '../../src-shared/ai/deal-scoring';
import { demoDealHistory } from '../../src-shared/ai/demo-deal-history';
import { mavenDealHistory } from '../../src-shared/ai/maven-deal-history';
import type { DemoSize } from '../../src-shared/demo/generate-demo-data';
import { readMavenTables } from '../support/maven';
import { emit, round } from './bench-support';

export const benchId = 'AI-deal';

/**
 * Deal win probability, Brier score on held-out deals (lower is better):
 * - generated deals (planted signal: source × industry × type), each seen at every open stage it
 *   passed, newest 30% held out; baseline: the stage-average win rate (the usual rule of thumb);
 * - the real Maven pipeline (6,711 closed deals, little signal), newest 30% by close date held out;
 *   against its base rate: the model must not do worse, and should call its signal weak.
 * AI_SIZE=small for a quick run (the 100k set takes about two minutes to generate).
 */
export async function run(): Promise<void> {
  const size = (process.env.AI_SIZE ?? '100k') as DemoSize;
  const started = performance.now();
  const generated = evaluateDealModel(demoDealHistory(size), stageAveragePredictor);
  const maven = evaluateDealModel(mavenDealHistory(readMavenTables()), baseRatePredictor);
  emit({
    bench: 'AI-deal',
    value: round(generated.brier, 4),
    unit: 'brier',
    baseline: round(generated.baseline, 4),
    ratio: round(generated.brier / generated.baseline, 3),
    brier: round(generated.brier, 4),
    brier_base_rate: round(generated.baseRate, 4),
    auc: round(generated.auc, 4),
    signal: generated.signal,
    test_rows: generated.testSize,
    size,
    brier_maven: round(maven.brier, 4),
    brier_maven_base: round(maven.baseRate, 4),
    auc_maven: Number.isNaN(maven.auc) ? null : round(maven.auc, 4),
    signal_maven: maven.signal,
    total_ms: Math.round(performance.now() - started),
  });
}
