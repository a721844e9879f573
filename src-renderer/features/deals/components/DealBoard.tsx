import { useCallback, useState } from 'react';
import { DEAL_STAGES, type DealStage } from '../../../../src-shared/entities/enums';
import { formatMoney, type RateBook } from '../convert-money';
import { type Deal, useCompanyNames, useStageDeals, useToday } from '../hooks/useBoardData';
import type { Person } from '../hooks/useUsers';
import { isClosedStage } from '../move-deal';
import { CARDS_SHOWN, StageColumn } from './StageColumn';

interface DealBoardProps {
  ownerId: string;
  book: RateBook;
  displayCurrency: string;
  owners: ReadonlyMap<string, Person>;
  selectedId: string | undefined;
  onOpen: (id: string) => void;
  onMove: (id: string, stage: DealStage) => void;
}

type StageData = ReturnType<typeof useStageDeals> & { complete: boolean; showMore: () => void };

/** One stage's live deals: an open stage whole, a closed one page by page (newest first). */
function useColumn(stage: DealStage, ownerId: string): StageData {
  const closed = isClosedStage(stage);
  const [limit, setLimit] = useState(CARDS_SHOWN);
  const data = useStageDeals(stage, ownerId, closed ? limit : undefined);
  const complete = !closed || (data.count !== undefined && (data.deals?.length ?? 0) >= data.count);
  return { ...data, complete, showMore: () => setLimit((n) => n + CARDS_SHOWN) };
}

/** The pipeline: one column per stage, every open deal, the most recent closed ones. */
export function DealBoard({ ownerId, book, displayCurrency, owners, selectedId, onOpen, onMove }: DealBoardProps) {
  const today = useToday();
  // The card a move carries to another column keeps the keyboard focus there.
  const [focusId, setFocusId] = useState<string>();
  const moveAndFollow = useCallback(
    (id: string, stage: DealStage) => {
      setFocusId(id);
      onMove(id, stage);
    },
    [onMove],
  );
  // One hook call per stage, in the fixed order of DEAL_STAGES.
  const columns: Record<DealStage, StageData> = {
    prospecting: useColumn('prospecting', ownerId),
    qualification: useColumn('qualification', ownerId),
    proposal: useColumn('proposal', ownerId),
    negotiation: useColumn('negotiation', ownerId),
    closedWon: useColumn('closedWon', ownerId),
    closedLost: useColumn('closedLost', ownerId),
  };
  const all = DEAL_STAGES.flatMap((s) => columns[s].deals ?? []);
  const companies = useCompanyNames(all.map((d) => d.companyId).filter((id): id is string => id !== undefined));
  const open = all.filter((d) => !isClosedStage(d.stage));
  const summary = pipelineSummary(open, book, displayCurrency);
  const decimals = book.decimalsOf(displayCurrency);
  // Until every open stage's deals are read, "0 open deals · $0" would be a wrong figure, not a small one.
  const loading = DEAL_STAGES.some((s) => !isClosedStage(s) && columns[s].deals === undefined);

  return (
    <div className="deal-board-wrap">
      <p className="deal-summary" aria-live="polite" aria-busy={loading}>
        {loading ? (
          <span className="muted">Counting open deals…</span>
        ) : (
          <>
            <span>
              <strong>{open.length.toLocaleString()}</strong> open deals
            </span>
            <span>
              Pipeline <strong>{formatMoney(summary.total, displayCurrency, decimals, true)}</strong>
            </span>
            <span>
              Weighted <strong>{formatMoney(summary.weighted, displayCurrency, decimals, true)}</strong>
            </span>
            {summary.missing > 0 && (
              <span className="deal-warn">
                {summary.missing} without an exchange rate to {displayCurrency}
              </span>
            )}
          </>
        )}
        <span className="muted deal-hint">
          Drag cards between stages, or focus a card and press <kbd>Shift</kbd>+<kbd>→</kbd>/<kbd>←</kbd>
        </span>
      </p>
      <section className="deal-board" aria-label="Pipeline board">
        {DEAL_STAGES.map((stage) => (
          <StageColumn
            key={stage}
            stage={stage}
            deals={columns[stage].deals}
            count={columns[stage].count}
            complete={columns[stage].complete}
            onShowMore={columns[stage].showMore}
            companies={companies}
            owners={owners}
            book={book}
            displayCurrency={displayCurrency}
            today={today}
            selectedId={selectedId}
            focusId={focusId}
            onOpen={onOpen}
            onMove={moveAndFollow}
          />
        ))}
      </section>
    </div>
  );
}

/** The open pipeline in one currency at today's rates, and weighted by each deal's probability. */
function pipelineSummary(open: readonly Deal[], book: RateBook, currency: string) {
  let total = 0;
  let weighted = 0;
  let missing = 0;
  for (const deal of open) {
    const converted = book.convert({ amount: deal.amount, currency: deal.currency }, currency);
    if (!converted.ok) {
      missing++;
      continue;
    }
    total += converted.amount;
    weighted += (converted.amount * deal.probability) / 100;
  }
  return { total, weighted: Math.round(weighted), missing };
}
