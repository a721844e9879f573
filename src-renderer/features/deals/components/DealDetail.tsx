import { useId } from 'react';
import { DEAL_STAGES, type DealStage } from '../../../../src-shared/entities/enums';
import { useCan, useCrm } from '../../../app/crm-context';
import { ChurnRiskCard, DealWinProbability, ResearchPanel } from '../../insights';
import { RecordDetail, useRecord } from '../../records';
import { RecordTimeline } from '../../timeline';
import { formatMoney, type RateBook } from '../convert-money';
import type { Deal } from '../hooks/useBoardData';
import type { Person } from '../hooks/useUsers';
import { stageLabel } from '../stages';
import { LineItems } from './LineItems';
import { StageHistory } from './StageHistory';

interface DealDetailProps {
  id: string;
  onClose: () => void;
  book: RateBook;
  displayCurrency: string;
  owners: ReadonlyMap<string, Person>;
  onMove: (id: string, stage: DealStage) => void;
}

const DETAIL_FIELDS = [
  'name',
  'companyId',
  'contactId',
  'amount',
  'currency',
  'stage',
  'probability',
  'expectedCloseDate',
  'closedAt',
  'type',
  'source',
  'forecastCategory',
  'lossReason',
  'nextStep',
  'description',
  'tags',
] as const;
/** The stage and close time change only by a move, which writes stage history (Move to stage). */
const EDIT_FIELDS = DETAIL_FIELDS.filter((f) => f !== 'stage' && f !== 'closedAt');

/** The deal's stage as a select: the keyboard way (and the detail's way) to move it. */
function MoveToStage({ deal, onMove }: { deal: Deal; onMove: DealDetailProps['onMove'] }) {
  const id = useId();
  const canUpdate = useCan('deal', 'update');
  if (!canUpdate || deal.isDeleted) return null;
  return (
    <label className="move-stage" htmlFor={id}>
      <span>Move to stage</span>
      <select
        id={id}
        value={deal.stage}
        onChange={(e) => {
          const to = e.target.value as DealStage;
          if (to !== deal.stage) onMove(deal.id, to);
        }}
      >
        {DEAL_STAGES.map((s) => (
          <option key={s} value={s}>
            {stageLabel(s)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The amount in the deal's currency and in the display currency, at the rate of its date. */
function ConvertedAmount({ deal, book, displayCurrency }: { deal: Deal; book: RateBook; displayCurrency: string }) {
  if (deal.currency === displayCurrency) return null;
  const date = deal.closedAt ?? undefined;
  const converted = book.convert({ amount: deal.amount, currency: deal.currency }, displayCurrency, date);
  return (
    <p className="deal-converted">
      {converted.ok ? (
        <>
          {formatMoney(deal.amount, deal.currency, book.decimalsOf(deal.currency))} ≈{' '}
          <strong>{formatMoney(converted.amount, displayCurrency, book.decimalsOf(displayCurrency))}</strong>{' '}
          <span className="muted">
            at {converted.rate.toPrecision(4)} {displayCurrency}/{deal.currency}
            {converted.rateDate ? ` (rate of ${converted.rateDate})` : ''}
          </span>
        </>
      ) : (
        <span className="deal-warn">{converted.reason}</span>
      )}
    </p>
  );
}

/**
 * The deal's account: its churn risk when it is a customer (by type, or because the deal renews or
 * expands what it already buys), and its research brief (Generate brief).
 */
function AccountInsights({ companyId, existing }: { companyId: string; existing: boolean }) {
  const { repos } = useCrm();
  const company = useRecord(repos.company, companyId);
  return (
    <details className="section deal-research">
      <summary>Account insights{company ? `: ${company.name}` : ''}</summary>
      {(existing || company?.type === 'customer') && <ChurnRiskCard companyId={companyId} />}
      <ResearchPanel companyId={companyId} />
    </details>
  );
}

/** One deal: its fields, a stage select, converted amount, line items, stage history and timeline. */
export function DealDetail({ id, onClose, book, displayCurrency, owners, onMove }: DealDetailProps) {
  const { repos } = useCrm();
  const deal = useRecord(repos.deal, id);
  return (
    <RecordDetail
      entity="deal"
      id={id}
      onClose={onClose}
      fields={DETAIL_FIELDS}
      editFields={EDIT_FIELDS}
      actions={deal ? <MoveToStage deal={deal} onMove={onMove} /> : null}
    >
      {deal && (
        <>
          <ConvertedAmount deal={deal} book={book} displayCurrency={displayCurrency} />
          <DealWinProbability deal={deal} book={book} />
          <LineItems deal={deal} book={book} displayCurrency={displayCurrency} />
          <StageHistory dealId={deal.id} owners={owners} />
          {deal.companyId && (
            <AccountInsights
              companyId={deal.companyId}
              existing={deal.type === 'renewal' || deal.type === 'expansion'}
            />
          )}
          <section className="section">
            <RecordTimeline subjectType="deal" subjectId={deal.id} />
          </section>
        </>
      )}
    </RecordDetail>
  );
}
