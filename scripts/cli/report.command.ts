import { REPORTS } from '../../src-shared/reports';
import { UsageError } from './cli-error';
import { parseCommandArgs } from './command-args';
import { type CrmIo, processIo } from './crm-io';
import { formatReport, REPORT_FORMATS, type ReportFormat } from './report-output';
import { withServerDatabase } from './server-database';
import { reportFromServer } from './server-report';

export const reportUsage = `report <name> [--currency USD] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json|csv]
       [--as <userEmail>]
    Computes one of the app's reports on the sync server's data (DATABASE_URL, else PGlite in
    DATA_DIR) over the records the --as user (default: the oldest active admin) may read, money
    converted with the stored dated rates, dates in [from, to). Names:
      ${REPORTS.map((r) => r.id).join(', ')}.`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function reportCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const args = parseCommandArgs(argv, { values: ['currency', 'from', 'to', 'format', 'as'] });
  const [name, ...rest] = args.positional;
  if (name === undefined) throw new UsageError(`report needs a name: ${REPORTS.map((r) => r.id).join(', ')}`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const report = REPORTS.find((r) => r.id === name);
  if (!report) throw new UsageError(`unknown report "${name}": one of ${REPORTS.map((r) => r.id).join(', ')}`);
  const currency = (args.values.get('currency') ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency must be a 3-letter code, not "${currency}"`);
  const from = args.values.get('from');
  const to = args.values.get('to');
  for (const [flag, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
      throw new UsageError(`--${flag} must be a date like 2026-01-31, not "${value}"`);
  }
  if (from && to && from >= to) throw new UsageError(`--from ${from} must be before --to ${to}`);
  const format = (args.values.get('format') ?? 'table') as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${format}"`);
  const asEmail = args.values.get('as');
  const { result, book } = await withServerDatabase(io.env, (db) =>
    reportFromServer(db, {
      report,
      currency,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(asEmail === undefined ? {} : { asEmail }),
    }),
  );
  io.stdout.write(
    formatReport(
      result,
      {
        id: report.id,
        title: report.title,
        currency,
        decimals: book.decimalsOf(currency),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      },
      format,
    ),
  );
}
