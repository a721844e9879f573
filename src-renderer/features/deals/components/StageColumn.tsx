import { type DragEvent, useState } from 'react';
import type { DealStage } from '../../../../src-shared/entities/enums';
import { formatMoney, type RateBook, totalIn } from '../convert-money';
import type { Deal } from '../hooks/useBoardData';
import type { Person } from '../hooks/useUsers';
import { isClosedStage } from '../move-deal';
import { stageLabel } from '../stages';
import { DEAL_DRAG_TYPE, DealCard } from './DealCard';

/** Cards rendered per column before "Show more": rendering, not reading, is what costs. */
export const CARDS_SHOWN = 50;

interface StageColumnProps {
  stage: DealStage;
  deals: readonly Deal[] | undefined;
  count: number | undefined;
  /** Whether `deals` holds every deal of the stage (closed stages are read page by page). */
  complete: boolean;
  onShowMore: () => void;
  companies: ReadonlyMap<string, string>;
  owners: ReadonlyMap<string, Person>;
  book: RateBook;
  displayCurrency: string;
  today: string;
  selectedId: string | undefined;
  focusId: string | undefined;
  onOpen: (id: string) => void;
  onMove: (id: string, stage: DealStage) => void;
}

/** Open deals soonest-closing first; closed ones most recently closed first. */
function ordered(deals: readonly Deal[], stage: DealStage): Deal[] {
  const copy = [...deals];
  if (isClosedStage(stage)) return copy.sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  return copy.sort((a, b) => (a.expectedCloseDate ?? '9999').localeCompare(b.expectedCloseDate ?? '9999'));
}

export function StageColumn(props: StageColumnProps) {
  const { stage, deals, count, complete, book, displayCurrency, onMove } = props;
  const [shown, setShown] = useState(CARDS_SHOWN);
  const [over, setOver] = useState(false);
  const closed = isClosedStage(stage);
  const sorted = deals ? ordered(deals, stage) : undefined;
  const total = totalIn(
    book,
    (deals ?? []).map((d) => ({
      amount: d.amount,
      currency: d.currency,
      ...(closed && d.closedAt ? { date: d.closedAt } : {}),
    })),
    displayCurrency,
  );
  // "…" until the column's deals are read, like its count: "$0" read as an empty stage.
  const totalText =
    deals === undefined ? '…' : formatMoney(total.amount, displayCurrency, book.decimalsOf(displayCurrency), true);
  const hidden = (count ?? 0) - Math.min(shown, sorted?.length ?? 0);

  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(DEAL_DRAG_TYPE);
  const onDragOver = (event: DragEvent) => {
    if (!accepts(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    if (!over) setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    setOver(false);
    const id = event.dataTransfer.getData(DEAL_DRAG_TYPE);
    if (!id) return;
    event.preventDefault();
    if (!deals?.some((d) => d.id === id)) onMove(id, stage);
  };

  return (
    <section
      className={`deal-column stage-${stage}${over ? ' drop-target' : ''}`}
      data-stage={stage}
      aria-label={`${stageLabel(stage)}: ${count ?? 0} deals`}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      <header className="deal-column-head">
        <div className="deal-column-title">
          <h3>{stageLabel(stage)}</h3>
          <span className="badge deal-column-count">{count === undefined ? '…' : count.toLocaleString()}</span>
        </div>
        <p
          className="deal-column-total"
          title={
            complete
              ? `Total in ${displayCurrency}${closed ? ' at the rate of each close date' : " at today's rates"}`
              : `Total of the ${deals?.length ?? 0} most recent deals shown, in ${displayCurrency}`
          }
        >
          {complete ? totalText : `${totalText} in latest ${deals?.length ?? 0}`}
          {total.missing > 0 && (
            <span className="deal-warn" title={`${total.missing} deals have no exchange rate to ${displayCurrency}`}>
              {' '}
              ⚠ {total.missing}
            </span>
          )}
        </p>
      </header>
      <div className="deal-column-cards">
        {sorted === undefined && <p className="muted pad">Loading…</p>}
        {sorted?.length === 0 && <p className="deal-column-empty">Drop a deal here</p>}
        {sorted?.slice(0, shown).map((deal) => (
          <DealCard
            key={deal.id}
            deal={deal}
            company={deal.companyId ? props.companies.get(deal.companyId) : undefined}
            owner={props.owners.get(deal.ownerId)}
            book={book}
            today={props.today}
            selected={deal.id === props.selectedId}
            focused={deal.id === props.focusId}
            onOpen={props.onOpen}
            onMove={onMove}
          />
        ))}
        {/* Not while the column loads: it offered "Show more (19 not shown)" under "Loading…". */}
        {sorted !== undefined && hidden > 0 && (
          <button
            type="button"
            className="deal-column-more"
            onClick={() => {
              setShown((n) => n + CARDS_SHOWN);
              if (!complete) props.onShowMore();
            }}
          >
            Show more ({hidden.toLocaleString()} not shown)
          </button>
        )}
      </div>
    </section>
  );
}
