import type { Classifier, LabelledExample } from '../../../src-shared/ai/classifier';
import { type DealModel, trainDealModel } from '../../../src-shared/ai/deal-scoring';
import type { TimedExample } from '../../../src-shared/ai/evaluate';
import type { FeatureSpec } from '../../../src-shared/ai/feature-space';
import { type LeadScorer, trainLeadScorer } from '../../../src-shared/ai/lead-scoring';

/**
 * Model training off the page's thread. Fitting is one synchronous computation (Newton steps over
 * every example): ~0.4 s for the demo's 258 closed leads on this machine, 5 s for 25k, which on the
 * page would freeze typing and scrolling. So it runs in a Web Worker (training.worker.ts); where
 * there are no workers (unit tests in Node) it runs in place. Models are plain JSON both ways.
 */
export type TrainingRequest =
  | {
      readonly kind: 'lead';
      readonly examples: readonly LabelledExample[];
      readonly customFeatures: readonly FeatureSpec[];
      readonly now: string;
    }
  | { readonly kind: 'deal'; readonly examples: readonly TimedExample[]; readonly now: string };

export type TrainingReply = { ok: true; model: Classifier | DealModel } | { ok: false; error: string };

/** What the worker does with a request (also the in-place path). */
export function train(request: TrainingRequest): Classifier | DealModel {
  const now = new Date(request.now);
  return request.kind === 'lead'
    ? trainLeadScorer(request.examples, { customFeatures: request.customFeatures, now })
    : trainDealModel(request.examples, { now });
}

function inWorker(request: TrainingRequest): Promise<Classifier | DealModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
    const done = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<TrainingReply>) => {
      done();
      if (event.data.ok) resolve(event.data.model);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      done();
      reject(new Error(event.message || 'the training worker failed'));
    };
    worker.postMessage(request);
  });
}

async function run(request: TrainingRequest): Promise<Classifier | DealModel> {
  return typeof Worker === 'function' ? inWorker(request) : train(request);
}

export async function trainLeadOffThread(
  examples: readonly LabelledExample[],
  customFeatures: readonly FeatureSpec[],
  now: Date,
): Promise<LeadScorer> {
  return (await run({ kind: 'lead', examples, customFeatures, now: now.toISOString() })) as LeadScorer;
}

export async function trainDealOffThread(examples: readonly TimedExample[], now: Date): Promise<DealModel> {
  return (await run({ kind: 'deal', examples, now: now.toISOString() })) as DealModel;
}
