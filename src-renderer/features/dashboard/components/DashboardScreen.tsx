import { useMemo, useState } from 'react';
import { can } from '../../../../src-shared/auth/permissions';
import type { Convert } from '../../../../src-shared/reports';
import { useCrm } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { formatDate } from '../../../ui/format';
import { formatMoney, useRateBook } from '../../deals';
import { usePeople } from '../../reports';
import { periodsOf, repNumbers } from '../dashboard-numbers';
import { useDefaultRep, useRepRecords } from '../hooks/useRepDashboard';
import { KpiCard } from './KpiCard';
import { RecordList } from './RecordList';
import { TeamSection } from './TeamSection';
import '../dashboard.css';

/**
 * Whose dashboard it is: the rep viewed, else (no people known, or the user among none) the user;
 * just "Dashboard" while the default rep is being found, so the title never names someone else first.
 */
export function dashboardTitle(
  rep: { firstName?: unknown; lastName?: unknown } | undefined,
  repId: string | undefined,
  peopleKnown: boolean,
  userName: string,
): string {
  if (rep) {
    const name = [rep.firstName, rep.lastName].filter((part) => part !== undefined && part !== '').join(' ');
    return `${name}’s dashboard`;
  }
  return repId === undefined && peopleKnown ? 'Dashboard' : `${userName}’s dashboard`;
}

/** The rep's key numbers, and for managers and admins the team's. */
export function DashboardScreen() {
  const { user } = useCrm();
  const go = useNavigation((s) => s.go);
  const people = usePeople();
  const book = useRateBook();
  const manager = can(user.permissions, 'deal', 'read') === 'all' || can(user.permissions, 'deal', 'read') === 'team';
  const defaultRep = useDefaultRep(user.id, people.users);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const repId = picked ?? defaultRep;
  const now = useMemo(() => new Date(), []);
  const records = useRepRecords(repId, now);
  const currency = (records?.user?.defaultCurrency as string | undefined) ?? 'USD';
  const convert = useMemo<Convert | undefined>(
    () =>
      book &&
      ((amount, from, target, date) => {
        const r = book.convert({ amount, currency: from }, target, date);
        return r.ok ? r.amount : undefined;
      }),
    [book],
  );
  const numbers = records && convert ? repNumbers(records.deals as never, currency, convert, now) : undefined;
  const decimals = book?.decimalsOf(currency) ?? 2;
  const money = (n: number | undefined) => (n === undefined ? '…' : formatMoney(n, currency, decimals, true));
  const quota = records?.user?.quota as number | undefined;
  const attainment = quota && numbers ? Math.round((100 * numbers.wonQuarter) / quota) : undefined;
  const { quarterLabel } = periodsOf(now);
  const repName = people.users.find((u) => u.id === repId);

  return (
    <div className="screen dashboard-screen">
      <header className="dash-head">
        <div>
          <div className="eyebrow">{quarterLabel}</div>
          <h2>{dashboardTitle(repName, repId, people.users.length > 0, user.name)}</h2>
        </div>
        {(manager || !people.users.some((u) => u.id === user.id)) && people.users.length > 0 && (
          <label className="dash-viewing">
            <span>Viewing</span>
            <select value={repId ?? ''} onChange={(e) => setPicked(e.target.value)}>
              {/* While the default rep is being found, rather than the first name of the list. */}
              {repId === undefined && (
                <option value="" disabled>
                  Choosing…
                </option>
              )}
              {people.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.firstName} {u.lastName}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      <section className="kpis" aria-label="Key numbers">
        <KpiCard
          label="Open pipeline"
          value={money(numbers?.openPipeline)}
          sub={numbers ? `${numbers.openDeals} open deals` : ''}
          onOpen={() => go({ screen: 'deals' })}
        />
        <KpiCard
          label="Weighted forecast · this month"
          value={money(numbers?.weightedMonth)}
          sub="amount × probability, closing this month"
        />
        <KpiCard
          label="Weighted forecast · this quarter"
          value={money(numbers?.weightedQuarter)}
          sub={`closing in ${quarterLabel}`}
        />
        <KpiCard
          label="Won this quarter"
          value={money(numbers?.wonQuarter)}
          sub={quota ? `of ${money(quota)} quota · ${attainment ?? 0}%` : 'no quota set'}
          progress={attainment}
          tone={attainment !== undefined && attainment >= 100 ? 'ok' : undefined}
        />
        <KpiCard
          label="Overdue tasks"
          value={records ? String(records.overdueTasks.length) : '…'}
          sub="open, past their due time"
          tone={records && records.overdueTasks.length > 0 ? 'danger' : undefined}
          onOpen={() => go({ screen: 'tasks' })}
        />
        <KpiCard
          label="Hot leads"
          value={records ? String(records.hotLeads.length) : '…'}
          sub="rated hot, not yet converted"
          tone={records && records.hotLeads.length > 0 ? 'warn' : undefined}
          onOpen={() => go({ screen: 'leads' })}
        />
      </section>
      {numbers && numbers.unconvertible > 0 && (
        <p className="report-warning">
          {numbers.unconvertible} deals have no exchange rate into {currency} and are left out of these sums.
        </p>
      )}
      <div className="dash-lists">
        <RecordList
          title="Overdue tasks"
          entity="task"
          records={records?.overdueTasks}
          detail={(r) => `due ${formatDate(String(r.dueAt))}`}
          empty="Nothing overdue. Nice."
        />
        <RecordList
          title="Hot leads"
          entity="lead"
          records={records?.hotLeads}
          detail={(r) => `${String(r.companyName ?? '')} · score ${String(r.score)}`}
          empty="No hot leads right now."
        />
      </div>
      {manager && convert && <TeamSection currency={currency} convert={convert} decimals={decimals} now={now} />}
    </div>
  );
}
