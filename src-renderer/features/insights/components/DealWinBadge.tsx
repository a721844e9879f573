import '../insights.css';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useDealModel } from '../hooks/useDealModel';
import type { Converter } from '../money';

type Deal = EntityRecord<EntityByName<'deal'>>;

/**
 * The model's win probability as a small badge on a board card; nothing for closed deals, before
 * the model is trained, or when its signal is weak (the deal pane says why).
 */
export function DealWinBadge({ deal, book }: { deal: Deal; book: Converter }) {
  const { probabilityOf } = useDealModel(book);
  const p = probabilityOf(deal);
  if (p === undefined) return null;
  const pct = Math.round(p * 100);
  const band = pct >= 60 ? 'high' : pct >= 30 ? 'mid' : 'low';
  return (
    <span className={`insight-win-badge ${band}`} title={`Model win probability ${pct}% (stage: ${deal.probability}%)`}>
      <span className="sr-only">Model win probability </span>
      {pct}%
    </span>
  );
}
