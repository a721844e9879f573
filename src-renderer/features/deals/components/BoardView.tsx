import { type ReactNode, useState } from 'react';
import { dealEntity } from '../../../../src-shared/entities/deal.entity';
import { DEAL_STAGES, type DealStage } from '../../../../src-shared/entities/enums';
import { useCan, useCrm } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { newDraftPlace } from '../../../ui/form-drafts.store';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import type { RateBook } from '../convert-money';
import type { Deal } from '../hooks/useBoardData';
import type { Person } from '../hooks/useUsers';
import { DealBoard } from './DealBoard';

/** What a person fills in for a new deal; probability and close time follow from the stage. */
export const NEW_DEAL_FIELDS = [
  'name',
  'companyId',
  'contactId',
  'amount',
  'currency',
  'stage',
  'expectedCloseDate',
  'type',
  'source',
  'nextStep',
  'description',
];

interface BoardViewProps {
  /** View switch, owner filter, display currency. */
  controls: ReactNode;
  ownerId: string;
  /** Undefined while the exchange rates load. */
  book: RateBook | undefined;
  displayCurrency: string;
  owners: ReadonlyMap<string, Person>;
  selectedId: string | undefined;
  onOpen: (id: string) => void;
  onMove: (id: string, stage: DealStage) => void;
  create: (values: Record<string, unknown>) => Promise<Deal>;
}

/** The board view: toolbar with the deal count and New deal, then the pipeline. */
export function BoardView({ controls, ownerId, book, create, onOpen, ...board }: BoardViewProps) {
  const { repos } = useCrm();
  const canCreate = useCan('deal', 'create');
  const [creating, setCreating] = useState(false);
  const total = useObservable(
    () => repos.deal.observeCount(ownerId ? { where: { ownerId } } : {}),
    undefined as number | undefined,
    [repos, ownerId],
  );
  return (
    <section className="entity-list deals-board-view" aria-label="Deals">
      <div className="toolbar">
        <h2>Deals</h2>
        <span className="muted count" aria-live="polite">
          {total === undefined ? '' : `${total.toLocaleString()} deals`}
        </span>
        <span className="spacer" />
        {controls}
        {canCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New deal
          </button>
        )}
      </div>
      {book ? (
        <DealBoard ownerId={ownerId} book={book} onOpen={onOpen} {...board} />
      ) : (
        <p className="muted pad">Loading…</p>
      )}
      <Dialog title="New deal" open={creating} onClose={() => setCreating(false)}>
        <RecordForm
          entity={dealEntity}
          fields={NEW_DEAL_FIELDS}
          initial={{ stage: DEAL_STAGES[0], currency: board.displayCurrency }}
          submitLabel="Create deal"
          draftPlace={newDraftPlace('deal', 'board')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const deal = await create(values);
            setCreating(false);
            toast({ tone: 'success', message: `Deal “${deal.name}” created.` });
            onOpen(deal.id);
          }}
        />
      </Dialog>
    </section>
  );
}
