import { useMemo, useRef, useState } from 'react';
import { type ReportRow, reportById } from '../../../../src-shared/reports';
import { useNavigation } from '../../../app/navigation';
import { useRateBook } from '../../deals';
import { ReportExportButton } from '../../exports';
import { useReportRun } from '../hooks/useReportRun';
import { rangeOf, useReportsUi } from '../reports.store';
import { type Drill, DrillList } from './DrillList';
import { type ChartPick, ReportChart } from './ReportChart';
import { filterLabels, ownerSet, ReportFilters, usePeople } from './ReportFilters';
import { ReportTable } from './ReportTable';
import { SavedReports } from './SavedReports';
import '../reports.css';

const GROUPS: [string, string[]][] = [
  ['Pipeline & forecast', ['pipeline-stage', 'pipeline-owner', 'forecast']],
  ['Win / loss', ['winloss-source', 'winloss-owner', 'winloss-product', 'sales-cycle', 'time-in-stage']],
  ['Leads & marketing', ['lead-sources', 'funnel', 'content']],
  ['Team', ['leaderboard', 'leaderboard-team', 'activity']],
];

/** Reports computed on this device from the local database: picker, filters, chart, table, drill-down. */
export function ReportsScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const report = reportById(route.tab);
  const filters = useReportsUi((s) => s.filters);
  const people = usePeople();
  const book = useRateBook();
  const [refresh, setRefresh] = useState(0);
  const [drill, setDrill] = useState<(Drill & { key: string }) | undefined>(undefined);
  const run = useMemo(() => {
    const range = rangeOf(filters, new Date());
    const ownerIds = ownerSet(filters.ownerId, filters.teamId, people.members);
    return { currency: filters.currency, ...range, ...(ownerIds ? { ownerIds } : {}) };
  }, [filters, people.members]);
  const state = useReportRun(report, run, book, refresh);
  const money = { currency: filters.currency, decimals: book?.decimalsOf(filters.currency) ?? 2 };
  const chartRef = useRef<HTMLDivElement>(null);

  const pickReport = (id: string) => {
    setDrill(undefined);
    go({ screen: 'reports', tab: id });
  };
  const drillRow = (row: ReportRow, pick?: ChartPick['series']) => {
    if (state.status !== 'ready') return;
    const own = pick && row.idsBy?.[pick.key];
    setDrill({
      key: `${row.key}/${own ? pick.key : ''}`,
      title: own ? `${row.label} · ${pick.label}` : row.label,
      entity: (own && pick.entity) || state.result.entity,
      ids: own ?? row.ids,
    });
  };
  const onChartPick = ({ row, series }: ChartPick) => drillRow(row, series);

  return (
    <div className="screen reports-screen">
      <nav className="report-picker" aria-label="Reports">
        {GROUPS.map(([label, ids]) => (
          <div key={label} className="report-group">
            <div className="eyebrow">{label}</div>
            <ul>
              {ids.map((id) => (
                <li key={id}>
                  <button
                    type="button"
                    className={id === report.id ? 'active' : undefined}
                    aria-current={id === report.id ? 'page' : undefined}
                    onClick={() => pickReport(id)}
                  >
                    {reportById(id).title}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <SavedReports reportId={report.id} onOpen={pickReport} />
      </nav>
      <div className="report-main">
        <header className="report-head">
          <div>
            <h2>{report.title}</h2>
            <p className="muted">{report.description}</p>
          </div>
          <div className="report-meta muted">
            {state.status === 'ready' && (
              <span>
                Data as of {state.loadedAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} · computed in{' '}
                {Math.max(1, Math.round(state.ms))} ms
              </span>
            )}
            <button type="button" onClick={() => setRefresh((n) => n + 1)}>
              ↻ Refresh
            </button>
            {state.status === 'ready' && state.result.rows.length > 0 && (
              <ReportExportButton
                title={report.title}
                result={state.result}
                filters={filterLabels(filters, report.dateMeaning, people)}
                currency={money.currency}
                decimals={money.decimals}
                chart={() => chartRef.current}
              />
            )}
          </div>
        </header>
        <ReportFilters dateMeaning={report.dateMeaning} people={people} />
        {state.status === 'error' ? (
          <div className="report-warning" role="alert">
            The report could not be computed: {state.message}
          </div>
        ) : state.status === 'calculating' ? (
          <div className="report-card report-loading" aria-live="polite" aria-busy="true">
            <p>Calculating…</p>
            <progress aria-label="Calculating the report" />
          </div>
        ) : state.status === 'loading' ? (
          <div className="report-card report-loading" aria-live="polite">
            <p>
              Reading {state.progress ? `${state.progress.entity} records` : 'records'} from this device…{' '}
              {state.progress && (
                <span className="muted">
                  {state.progress.loaded.toLocaleString()} of {state.progress.total.toLocaleString()}
                </span>
              )}
            </p>
            <progress
              max={state.progress?.total || 1}
              value={state.progress?.loaded ?? 0}
              aria-label="Reading records"
            />
          </div>
        ) : (
          <>
            {state.result.unconvertible.length > 0 && (
              <div className="report-warning" role="status">
                <strong>{state.result.unconvertible.length.toLocaleString()} records</strong> could not be converted to{' '}
                {filters.currency} (no exchange rate on their date) and are left out of the amounts.{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    setDrill({
                      key: 'unconvertible',
                      title: 'Not convertible',
                      entity: 'deal',
                      ids: state.result.unconvertible,
                    })
                  }
                >
                  Show them
                </button>
              </div>
            )}
            {state.result.rows.length === 0 ? (
              <div className="report-card empty">
                Nothing matches these filters. Try a wider date range or everyone.
              </div>
            ) : (
              <>
                <div className="report-card" data-testid="report-chart" ref={chartRef}>
                  <ReportChart result={state.result} money={money} onPick={onChartPick} />
                  <p className="muted chart-hint">Click a bar or a row to see the records behind it.</p>
                </div>
                <div className={drill ? 'report-body with-drill' : 'report-body'}>
                  <div className="report-card table-card">
                    <ReportTable
                      result={state.result}
                      money={money}
                      picked={drill?.key.split('/')[0]}
                      onPick={(row) => drillRow(row)}
                    />
                  </div>
                  {drill && <DrillList drill={drill} onClose={() => setDrill(undefined)} />}
                </div>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
