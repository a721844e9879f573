import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReportResult, ReportRow, ReportSeries } from '../../../../src-shared/reports';
import { formatReportValue, type MoneyFormat, PALETTE, SERIES_COLOR } from '../format-report';

export interface ChartPick {
  readonly row: ReportRow;
  readonly series?: ReportSeries;
}

/** A report's chart: grouped or stacked bars, or a funnel drawn as horizontal bars; a click drills down. */
export function ReportChart({
  result,
  money,
  onPick,
  height = 320,
}: {
  result: ReportResult;
  money: MoneyFormat;
  onPick: (pick: ChartPick) => void;
  height?: number;
}) {
  const series = result.series.filter((s) => s.chart);
  const data = result.rows.map((r) => ({ label: r.label, ...r.values }));
  const kind = series[0]?.kind ?? 'count';
  const tick = (v: number) => formatReportValue(kind, v, money, true);
  const tooltip = (value: unknown, name: unknown) => {
    const s = series.find((x) => x.label === name) ?? series[0];
    return [formatReportValue(s?.kind ?? 'count', Number(value), money), String(name)] as [string, string];
  };
  const pick = (s: ReportSeries) => (_: unknown, index: number) => {
    const row = result.rows[index];
    if (row) onPick({ row, series: s });
  };

  if (result.chart === 'funnel') {
    const s = series[0] as ReportSeries;
    return (
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout="vertical" margin={{ left: 24, right: 64 }}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" width={110} tickLine={false} axisLine={false} />
          <Tooltip formatter={tooltip} cursor={{ fill: 'rgba(47,91,234,0.06)' }} />
          <Bar
            dataKey={s.key}
            name={s.label}
            onClick={pick(s)}
            cursor="pointer"
            radius={[0, 6, 6, 0]}
            isAnimationActive={false}
          >
            {data.map((d, i) => (
              <Cell key={d.label} fill={PALETTE[0]} fillOpacity={1 - i * 0.18} />
            ))}
            <LabelList
              dataKey={s.key}
              position="right"
              formatter={(v: unknown) => formatReportValue('count', Number(v), money)}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    );
  }

  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
        <CartesianGrid vertical={false} stroke="#e3e7ee" />
        <XAxis
          dataKey="label"
          tickLine={false}
          axisLine={{ stroke: '#e3e7ee' }}
          interval={0}
          tick={{ fontSize: 12 }}
          // At 45°, not 30°, neighbouring names on a narrow chart do not run into each other; the height
          // is a long name's at that slant (at 60 px "Johnnie Buckridge" lost its J).
          height={data.length > 8 ? 90 : 30}
          angle={data.length > 8 ? -45 : 0}
          textAnchor={data.length > 8 ? 'end' : 'middle'}
        />
        <YAxis tickFormatter={tick} tickLine={false} axisLine={false} width={72} tick={{ fontSize: 12 }} />
        <Tooltip formatter={tooltip} cursor={{ fill: 'rgba(47,91,234,0.06)' }} />
        {series.length > 1 && (
          <Legend
            iconType="circle"
            verticalAlign="top"
            align="right"
            wrapperStyle={{ fontSize: 12 }}
            // The series' own order (prospecting → negotiation), not recharts' alphabetical default.
            itemSorter={(item) => series.findIndex((s) => s.label === item.value)}
            // Labels in text colour: in the series colour, light ones (prospecting #c7d7fe) were unreadable on white.
            formatter={(label) => <span style={{ color: '#344054' }}>{label}</span>}
          />
        )}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={SERIES_COLOR[s.key] ?? PALETTE[i % PALETTE.length]}
            {...(s.stack ? { stackId: s.stack } : {})}
            radius={s.stack ? undefined : [4, 4, 0, 0]}
            maxBarSize={56}
            cursor="pointer"
            onClick={pick(s)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
