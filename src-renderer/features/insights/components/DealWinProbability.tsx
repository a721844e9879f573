import '../insights.css';
import { useEffect, useState } from 'react';
import { type DealPrediction, predictDeal } from '../../../../src-shared/ai/deal-scoring';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useRepos } from '../../../app/crm-context';
import { dealContext, dealFeatures } from '../deal-model';
import { type DealModelState, usdOf, useDealModel } from '../hooks/useDealModel';
import type { Converter } from '../money';
import { FactorList } from './FactorList';

type Deal = EntityRecord<EntityByName<'deal'>>;

const pct = (p: number) => `${Math.round(p * 100)}%`;

export const WEAK_SIGNAL_NOTE =
  'Weak signal: the history predicts little better than the average win rate; showing the average';

/**
 * The model's win probability beside the stage's, with its top reasons; when the model's signal
 * is weak it says so and shows the average win rate instead of a confident-looking number.
 */
export function DealWinProbability({ deal, book }: { deal: Deal; book: Converter }) {
  const repos = useRepos();
  const dealModel = useDealModel(book);
  const [prediction, setPrediction] = useState<DealPrediction | undefined>(undefined);
  const closed = deal.stage === 'closedWon' || deal.stage === 'closedLost';
  const model = dealModel.model;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-predicts when the deal record changes (updatedAt).
  useEffect(() => {
    if (!model || closed) return;
    let live = true;
    void dealContext(repos, deal).then((context) => {
      if (!live) return;
      setPrediction(predictDeal(model, dealFeatures(deal, deal.stage, Date.now(), context, usdOf(book))));
    });
    return () => {
      live = false;
    };
  }, [repos, model, deal.id, deal.updatedAt, closed, book]);

  return (
    <WinProbabilityView stageProbability={deal.probability} closed={closed} state={dealModel} prediction={prediction} />
  );
}

export interface WinProbabilityViewProps {
  readonly stageProbability: number;
  readonly closed: boolean;
  readonly state: Pick<DealModelState, 'model' | 'training' | 'examples' | 'error'>;
  readonly prediction: Pick<DealPrediction, 'probability' | 'positive' | 'negative'> | undefined;
}

/** What the pane shows, from the model's state and the deal's prediction (no data access). */
export function WinProbabilityView({ stageProbability, closed, state, prediction }: WinProbabilityViewProps) {
  const model = state.model;
  const dealModel = state;
  return (
    <section className="section insight-card deal-win" aria-label="Win probability">
      <h3>Win probability</h3>
      <div className="insight-figures">
        <div>
          <span className="insight-figure">{stageProbability}%</span>
          <span className="muted">Stage probability</span>
        </div>
        {!closed && (
          <div>
            <span className="insight-figure model">
              {model?.signal === 'weak' ? pct(model.baseRate) : prediction ? pct(prediction.probability) : '…'}
            </span>
            <span className="muted">{model?.signal === 'weak' ? 'Average win rate' : 'Model (your history)'}</span>
          </div>
        )}
      </div>
      {closed ? (
        <p className="muted">Closed deals are not predicted; their outcome trains the model.</p>
      ) : dealModel.training && !model ? (
        <p className="muted">Learning from your closed deals…</p>
      ) : !model ? (
        <p className="muted">
          {dealModel.error
            ? `The model could not be trained: ${dealModel.error}`
            : `Too few closed deals to learn from yet (${dealModel.examples} stage snapshots); the stage probability stands.`}
        </p>
      ) : model.signal === 'weak' ? (
        <p className="insight-note weak" role="note">
          {WEAK_SIGNAL_NOTE} ({pct(model.baseRate)}).
        </p>
      ) : prediction ? (
        <>
          <FactorList positive={prediction.positive} negative={prediction.negative} />
          <p className="muted insight-foot">
            Learnt on this device from {dealModel.examples.toLocaleString()} stage snapshots of closed deals; held-out
            skill {Math.round(model.skill * 100)}% over the average.
          </p>
        </>
      ) : null}
    </section>
  );
}
