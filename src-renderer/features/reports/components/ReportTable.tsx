import type { ReportResult, ReportRow } from '../../../../src-shared/reports';
import { formatReportValue, type MoneyFormat } from '../format-report';

/** The numbers under the chart; a row opens the records behind it (Enter or click). */
export function ReportTable({
  result,
  money,
  onPick,
  picked,
}: {
  result: ReportResult;
  money: MoneyFormat;
  onPick: (row: ReportRow) => void;
  picked?: string;
}) {
  return (
    <table className="report-table">
      <thead>
        <tr>
          <th scope="col">Group</th>
          {result.series.map((s) => (
            <th key={s.key} scope="col" className="num">
              {s.label}
            </th>
          ))}
          <th scope="col" className="num">
            Records
          </th>
        </tr>
      </thead>
      <tbody>
        {result.rows.map((row) => (
          <tr
            key={row.key}
            tabIndex={0}
            className={picked === row.key ? 'picked' : undefined}
            onClick={() => onPick(row)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onPick(row);
              }
            }}
          >
            <th scope="row">{row.label}</th>
            {result.series.map((s) => (
              <td key={s.key} className="num">
                {formatReportValue(s.kind, row.values[s.key], money)}
              </td>
            ))}
            <td className="num muted">{row.ids.length.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
