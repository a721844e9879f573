import { type DragEvent, type KeyboardEvent, memo, useEffect, useRef } from 'react';
import type { DealStage } from '../../../../src-shared/entities/enums';
import { DealWinBadge } from '../../insights';
import { formatMoney, type RateBook } from '../convert-money';
import type { Deal } from '../hooks/useBoardData';
import type { Person } from '../hooks/useUsers';
import { isClosedStage } from '../move-deal';
import { neighbourStage } from '../stages';

export const DEAL_DRAG_TYPE = 'application/x-crm-deal';

interface DealCardProps {
  deal: Deal;
  company: string | undefined;
  owner: Person | undefined;
  book: RateBook;
  today: string;
  selected: boolean;
  /** Takes the keyboard focus when it mounts (the card a keyboard move just carried here). */
  focused: boolean;
  onOpen: (id: string) => void;
  onMove: (id: string, stage: DealStage) => void;
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Moves focus to a card above/below in the column, or the first card of the next/previous column. */
function focusNeighbour(card: HTMLElement, key: string): boolean {
  const cards = (el: Element | null | undefined) => [...(el?.querySelectorAll<HTMLElement>('.deal-card') ?? [])];
  const column = card.closest('.deal-column');
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    const list = cards(column);
    const next = list[list.indexOf(card) + (key === 'ArrowDown' ? 1 : -1)];
    next?.focus();
    return true;
  }
  let sibling = key === 'ArrowRight' ? column?.nextElementSibling : column?.previousElementSibling;
  while (sibling && cards(sibling).length === 0)
    sibling = key === 'ArrowRight' ? sibling.nextElementSibling : sibling.previousElementSibling;
  cards(sibling)[0]?.focus();
  return true;
}

/**
 * One deal on the board: draggable to another column; with the keyboard, arrows move between cards,
 * Shift+→/← moves the deal to the next/previous stage, Enter opens it.
 */
export const DealCard = memo(function DealCard({
  deal,
  company,
  owner,
  book,
  today,
  selected,
  focused,
  onOpen,
  onMove,
}: DealCardProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focused) ref.current?.focus();
  }, [focused]);
  const closed = isClosedStage(deal.stage);
  const overdue = !closed && deal.expectedCloseDate !== undefined && deal.expectedCloseDate < today;
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(deal.id);
    } else if (event.shiftKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      event.preventDefault();
      const to = neighbourStage(deal.stage, event.key === 'ArrowRight' ? 1 : -1);
      if (to) onMove(deal.id, to);
    } else if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(event.key) && !event.altKey) {
      event.preventDefault();
      focusNeighbour(event.currentTarget, event.key);
    }
  };
  const onDragStart = (event: DragEvent<HTMLElement>) => {
    event.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
    event.dataTransfer.setData('text/plain', deal.name);
    event.dataTransfer.effectAllowed = 'move';
  };
  const decimals = book.decimalsOf(deal.currency);
  const amount = formatMoney(deal.amount, deal.currency, decimals);
  // Whole units on the card: with cents a seven-figure deal was cut ("$1,104,544.…"); the exact
  // amount stays in the card's name and its title.
  const wholeAmount = formatMoney(Math.round(deal.amount / 10 ** decimals), deal.currency, 0);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a card holds block content and is draggable, which a <button> is not everywhere.
    <div
      ref={ref}
      className={`deal-card${selected ? ' selected' : ''}`}
      data-deal-id={deal.id}
      draggable
      tabIndex={0}
      role="button"
      aria-label={[deal.name, company, amount, owner && `owner ${owner.name}`].filter(Boolean).join(', ')}
      aria-keyshortcuts="Shift+ArrowRight Shift+ArrowLeft"
      aria-current={selected ? 'true' : undefined}
      onDragStart={onDragStart}
      onClick={() => onOpen(deal.id)}
      onKeyDown={onKeyDown}
    >
      <p className="deal-card-name">{deal.name}</p>
      {company && (
        <p className="deal-card-company">
          {!closed && <DealWinBadge deal={deal} book={book} />}
          {company}
        </p>
      )}
      <div className="deal-card-foot">
        <span className="deal-card-amount" title={amount}>
          {wholeAmount}
        </span>
        {deal.expectedCloseDate && !closed && (
          <span className={overdue ? 'deal-card-date overdue' : 'deal-card-date'} title="Expected close">
            {shortDate.format(new Date(`${deal.expectedCloseDate}T00:00:00Z`))}
          </span>
        )}
        {closed && deal.closedAt && (
          <span className="deal-card-date" title="Closed">
            {shortDate.format(new Date(deal.closedAt))}
          </span>
        )}
        <span className="avatar" title={owner?.name ?? 'Owner'}>
          {owner?.initials ?? '?'}
        </span>
      </div>
    </div>
  );
});
