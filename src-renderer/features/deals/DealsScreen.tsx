import { useCallback, useState } from 'react';
import { useCrm } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { Dialog } from '../../ui/Dialog';
import { ForecastPanel } from '../insights';
import { EntityList } from '../records';
import { BoardView, NEW_DEAL_FIELDS } from './components/BoardView';
import { DealDetail } from './components/DealDetail';
import { LossReasonDialog } from './components/LossReasonDialog';
import { useDealsUi } from './deals.store';
import { useCurrencies, useDisplayCurrency, useRateBook } from './hooks/useMoney';
import { useMoveDeal } from './hooks/useMoveDeal';
import { useUsers } from './hooks/useUsers';
import { createDeal } from './move-deal';
import './deals.css';

type View = 'board' | 'list';

const LIST_COLUMNS = ['name', 'companyId', 'stage', 'amount', 'probability', 'expectedCloseDate', 'ownerId'];

/** Board | List switch, owner filter and display currency: the controls both views share. */
function DealControls({
  view,
  onView,
  onForecast,
}: {
  view: View;
  onView: (view: View) => void;
  onForecast: () => void;
}) {
  const users = useUsers();
  const currencies = useCurrencies();
  const display = useDisplayCurrency();
  const { ownerId, setOwnerId, setDisplayCurrency } = useDealsUi();
  const codes = currencies.some((c) => c.code === display)
    ? currencies
    : [...currencies, { code: display, name: display }];
  return (
    <>
      <div className="view-switch" role="tablist" aria-label="View">
        {(['board', 'list'] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={view === v ? 'active' : undefined}
            onClick={() => onView(v)}
          >
            {v === 'board' ? 'Board' : 'List'}
          </button>
        ))}
      </div>
      <select aria-label="Filter by owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
        <option value="">All owners</option>
        {users.list.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <select aria-label="Display currency" value={display} onChange={(e) => setDisplayCurrency(e.target.value)}>
        {codes.map((c) => (
          <option key={c.code} value={c.code}>
            Totals in {c.code}
          </option>
        ))}
      </select>
      <button type="button" onClick={onForecast}>
        Forecast
      </button>
    </>
  );
}

/** Deals: the pipeline board (default) or the list, with the open deal beside it. */
export function DealsScreen() {
  const crm = useCrm();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const view: View = route.tab === 'list' ? 'list' : 'board';
  const id = route.screen === 'deals' ? route.id : undefined;
  const ownerId = useDealsUi((s) => s.ownerId);
  const book = useRateBook();
  const displayCurrency = useDisplayCurrency();
  const users = useUsers();
  const move = useMoveDeal();
  const openDeal = useCallback((dealId: string) => go({ screen: 'deals', id: dealId, tab: view }), [go, view]);
  const close = () => go({ screen: 'deals', tab: view });
  /** Both views create through createDeal, so every deal starts with its first stage history record. */
  const create = async (values: Record<string, unknown>) => {
    const { deal } = await createDeal(crm, { ...values, ...(ownerId ? { ownerId } : {}) });
    return deal;
  };
  const setView = (next: View) => go({ screen: 'deals', ...(id ? { id } : {}), tab: next });
  const onMove = move.request;
  const [forecasting, setForecasting] = useState(false);
  const controls = <DealControls view={view} onView={setView} onForecast={() => setForecasting(true)} />;

  return (
    <div className={id ? 'list-detail deals-screen open' : 'list-detail deals-screen'}>
      {view === 'list' ? (
        <EntityList
          entity="deal"
          columns={LIST_COLUMNS}
          filters={['stage', 'forecastCategory']}
          where={ownerId ? { ownerId } : {}}
          formFields={NEW_DEAL_FIELDS}
          defaults={{ currency: displayCurrency }}
          onCreate={async (values) => (await create(values)).id}
          selectedId={id}
          onOpen={openDeal}
          toolbar={controls}
        />
      ) : (
        <BoardView
          controls={controls}
          ownerId={ownerId}
          book={book}
          displayCurrency={displayCurrency}
          owners={users.byId}
          selectedId={id}
          onOpen={openDeal}
          onMove={onMove}
          create={create}
        />
      )}
      {id && (
        <aside className="detail-pane" aria-label="Deal">
          {book ? (
            <DealDetail
              key={id}
              id={id}
              onClose={close}
              book={book}
              displayCurrency={displayCurrency}
              owners={users.byId}
              onMove={onMove}
            />
          ) : (
            <p className="muted pad">Loading…</p>
          )}
        </aside>
      )}
      <LossReasonDialog move={move} />
      <Dialog wide title={`Forecast in ${displayCurrency}`} open={forecasting} onClose={() => setForecasting(false)}>
        {book ? (
          <ForecastPanel book={book} currency={displayCurrency} ownerId={ownerId || undefined} />
        ) : (
          <p className="muted">Loading rates…</p>
        )}
      </Dialog>
    </div>
  );
}
