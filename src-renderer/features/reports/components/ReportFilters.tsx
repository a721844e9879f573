import { useMemo } from 'react';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { type RangePreset, type ReportFilters as ReportFilterState, useReportsUi } from '../reports.store';

const RANGES: [RangePreset, string][] = [
  ['all', 'All time'],
  ['thisMonth', 'This month'],
  ['thisQuarter', 'This quarter'],
  ['thisYear', 'This year'],
  ['last90', 'Last 90 days'],
  ['last12m', 'Last 12 months'],
  ['custom', 'Custom…'],
];

/** The people and teams the filters offer, read live (small collections). */
export function usePeople() {
  const { repos } = useCrm();
  const users = useObservable(() => repos.user.observe(), [], [repos]);
  const groups = useObservable(() => repos.userGroup.observe(), [], [repos]);
  const members = useObservable(() => repos.userGroupMember.observe(), [], [repos]);
  const currencies = useObservable(() => repos.currency.observe(), [], [repos]);
  return useMemo(
    () => ({
      users: [...users].sort((a, b) => `${a.firstName} ${a.lastName}`.localeCompare(`${b.firstName} ${b.lastName}`)),
      groups: [...groups].sort((a, b) => a.name.localeCompare(b.name)),
      members,
      currencies: currencies
        .filter((c) => c.active)
        .map((c) => c.code)
        .sort(),
    }),
    [users, groups, members, currencies],
  );
}

/** Date range, owner, team and currency. */
export function ReportFilters({ dateMeaning, people }: { dateMeaning: string; people: ReturnType<typeof usePeople> }) {
  const filters = useReportsUi((s) => s.filters);
  const setFilters = useReportsUi((s) => s.setFilters);
  return (
    <fieldset className="report-filters" aria-label="Filters">
      <label>
        <span>Dates ({dateMeaning})</span>
        <select value={filters.range} onChange={(e) => setFilters({ range: e.target.value as RangePreset })}>
          {RANGES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {filters.range === 'custom' && (
        <>
          <label>
            <span>From</span>
            <input type="date" value={filters.from ?? ''} onChange={(e) => setFilters({ from: e.target.value })} />
          </label>
          <label>
            <span>Before</span>
            <input type="date" value={filters.to ?? ''} onChange={(e) => setFilters({ to: e.target.value })} />
          </label>
        </>
      )}
      <label>
        <span>Owner</span>
        <select value={filters.ownerId} onChange={(e) => setFilters({ ownerId: e.target.value })}>
          <option value="">Everyone</option>
          {people.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.firstName} {u.lastName}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Team</span>
        <select value={filters.teamId} onChange={(e) => setFilters({ teamId: e.target.value })}>
          <option value="">All teams</option>
          {people.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Currency</span>
        <select value={filters.currency} onChange={(e) => setFilters({ currency: e.target.value })}>
          {(people.currencies.length > 0 ? people.currencies : [filters.currency]).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** The owners the owner and team filters leave; undefined: everyone. */
export function ownerSet(
  ownerId: string,
  teamId: string,
  members: readonly { groupId: string; userId: string }[],
): ReadonlySet<string> | undefined {
  if (!ownerId && !teamId) return undefined;
  const team = teamId ? new Set(members.filter((m) => m.groupId === teamId).map((m) => m.userId)) : undefined;
  if (ownerId) return new Set(team && !team.has(ownerId) ? [] : [ownerId]);
  return team;
}

/** The filters as an export names them (`Dates (expected close): This year`, `Owner: Everyone`). */
export function filterLabels(
  filters: ReportFilterState,
  dateMeaning: string,
  people: Pick<ReturnType<typeof usePeople>, 'users' | 'groups'>,
): { label: string; value: string }[] {
  const range =
    filters.range === 'custom'
      ? `${filters.from || 'the beginning'} to before ${filters.to || 'today'}`
      : (RANGES.find(([value]) => value === filters.range)?.[1] ?? filters.range);
  const user = people.users.find((u) => u.id === filters.ownerId);
  const team = people.groups.find((g) => g.id === filters.teamId);
  return [
    { label: `Dates (${dateMeaning})`, value: range },
    {
      label: 'Owner',
      value: filters.ownerId ? (user ? `${user.firstName} ${user.lastName}` : filters.ownerId) : 'Everyone',
    },
    { label: 'Team', value: filters.teamId ? (team?.name ?? filters.teamId) : 'All teams' },
    { label: 'Currency', value: filters.currency },
  ];
}
