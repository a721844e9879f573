import { useEffect, useMemo, useState } from 'react';
import {
  type Convert,
  EMPTY_DATA,
  leaderboardReport,
  pipelineReport,
  type ReportData,
} from '../../../../src-shared/reports';
import { useCrm } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { formatReportValue, type LoadProgress, loadReportData, ReportChart } from '../../reports';
import { periodsOf } from '../dashboard-numbers';

/** For managers and admins: the team's leaderboard this quarter and pipeline by owner. */
export function TeamSection({
  currency,
  convert,
  decimals,
  now,
}: {
  currency: string;
  convert: Convert;
  decimals: number;
  now: Date;
}) {
  const { repos } = useCrm();
  const go = useNavigation((s) => s.go);
  const [data, setData] = useState<ReportData | undefined>(undefined);
  const [progress, setProgress] = useState<LoadProgress | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    void loadReportData(repos, ['deals', 'users', 'groups', 'members'], {}, setProgress, controller.signal)
      .then((loaded) => setData({ ...EMPTY_DATA, ...loaded } as ReportData))
      .catch(() => undefined);
    return () => controller.abort();
  }, [repos]);
  const { quarter, quarterLabel } = useMemo(() => periodsOf(now), [now]);
  const reports = useMemo(() => {
    if (!data) return undefined;
    return {
      leaders: leaderboardReport(data, { currency, convert, ...quarter }, 'rep'),
      pipeline: pipelineReport(data, { currency, convert }, 'owner'),
    };
  }, [data, currency, convert, quarter]);
  const money = { currency, decimals };
  return (
    <section className="team-section" aria-label="Team">
      <h3 className="team-title">Team</h3>
      {!reports ? (
        <div className="dash-card">
          <p className="muted">
            Reading the team’s deals…{' '}
            {progress && `${progress.loaded.toLocaleString()} of ${progress.total.toLocaleString()}`}
          </p>
          <progress max={progress?.total || 1} value={progress?.loaded ?? 0} aria-label="Reading deals" />
        </div>
      ) : (
        <div className="team-grid">
          <div className="dash-card">
            <h3>Leaderboard · won in {quarterLabel}</h3>
            <table className="leaderboard">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Rep</th>
                  <th scope="col" className="num">
                    Won
                  </th>
                  <th scope="col" className="num">
                    Deals
                  </th>
                  <th scope="col" className="num">
                    Win rate
                  </th>
                </tr>
              </thead>
              <tbody>
                {reports.leaders.rows.slice(0, 8).map((r, i) => (
                  <tr key={r.key}>
                    <td className="muted">{i + 1}</td>
                    <th scope="row">{r.label}</th>
                    <td className="num">{formatReportValue('money', r.values.wonAmount, money, true)}</td>
                    <td className="num">{r.values.won ?? 0}</td>
                    <td className="num">{formatReportValue('percent', r.values.winRate, money)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {reports.leaders.rows.length === 0 && <p className="empty">No deals closed yet this quarter.</p>}
            <button type="button" className="link" onClick={() => go({ screen: 'reports', tab: 'leaderboard' })}>
              Full leaderboard →
            </button>
          </div>
          <div className="dash-card">
            <h3>Open pipeline by owner</h3>
            <ReportChart
              result={reports.pipeline}
              money={money}
              height={300}
              onPick={() => go({ screen: 'reports', tab: 'pipeline-owner' })}
            />
          </div>
        </div>
      )}
    </section>
  );
}
