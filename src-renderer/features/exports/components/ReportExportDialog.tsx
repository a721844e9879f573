import { useEffect, useRef, useState } from 'react';
import { type ExportFormat, exportFileName } from '../../../../src-shared/export/export-columns';
import { reportExport } from '../../../../src-shared/export/report-export';
import { useCrm } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { toast } from '../../../ui/toasts';
import { chartImage } from '../chart-image';
import { lastSyncAt, repositoryFor } from '../export-context';
import { openSink } from '../export-sinks';
import { exportTable } from '../run-export';
import { FORMAT_TEXT, FormatChoice } from './FormatChoice';
import type { ReportExportButtonProps } from './ReportExportButton';
import '../exports.css';

const REPORT_HINTS: Readonly<Record<ExportFormat, { name: string; hint: string }>> = {
  ...FORMAT_TEXT,
  csv: { name: 'CSV', hint: 'The table; money as amount and currency' },
  xlsx: { name: 'Excel', hint: 'Typed numbers and an About sheet' },
  pdf: { name: 'PDF', hint: 'Chart, table, filters, last-sync stamp' },
};

/** A report's export: format, rows and filters, then the file (fetched on demand by ReportExportButton). */
export function ReportExportDialog({
  title,
  result,
  filters,
  currency,
  decimals,
  chart,
  onClose,
}: ReportExportButtonProps & { onClose: () => void }) {
  const crm = useCrm();
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [phase, setPhase] = useState<'choose' | 'running' | { failed: string }>('choose');
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setPhase('running');
    const now = new Date();
    try {
      const picture = format === 'pdf' ? await chartImage(chart(), title) : undefined;
      const built = reportExport({
        format,
        title,
        result,
        filters,
        currency,
        decimals,
        asOf: lastSyncAt(crm.user.id),
        exportedAt: now.toISOString(),
        ...(picture ? { chart: picture } : {}),
      });
      const outcome = await exportTable(
        built.meta,
        built.readEntities,
        (async function* () {
          yield* built.chunks;
        })(),
        built.rowCount,
        {
          permissions: crm.user.permissions,
          now: () => new Date(),
          openSink: (meta) => openSink(meta, exportFileName(title, format, now)),
          audit: (entry) => repositoryFor(crm.repos, 'auditLog').create(entry),
          actor: () => crm.db.actor(),
          signal: controller.signal,
        },
      );
      if (outcome.status === 'cancelled') {
        setPhase('choose');
        return;
      }
      toast({ tone: 'success', message: `Exported ${title} (${outcome.rows} rows) to ${outcome.target}.` });
      onClose();
    } catch (error) {
      setPhase({ failed: error instanceof Error ? error.message : String(error) });
    } finally {
      abort.current = null;
    }
  };
  const close = () => {
    abort.current?.abort();
    onClose();
  };
  const running = phase === 'running';

  return (
    <Dialog title={`Export ${title.toLowerCase()}`} open onClose={close}>
      <div className="export-dialog">
        <FormatChoice format={format} onChange={setFormat} disabled={running} hints={REPORT_HINTS} />
        <dl className="export-summary">
          <dt>Rows</dt>
          <dd>{result.rows.length.toLocaleString()}</dd>
          <dt>Filters</dt>
          <dd>{filters.map((f) => `${f.label}: ${f.value}`).join('; ')}</dd>
        </dl>
        {running && (
          <p className="muted" aria-live="polite">
            Writing the file…
          </p>
        )}
        {typeof phase === 'object' && (
          <p className="export-error" role="alert">
            Export failed: {phase.failed}
          </p>
        )}
        <div className="export-actions">
          <button type="button" onClick={close}>
            {running ? 'Cancel export' : 'Close'}
          </button>
          <button type="button" className="primary" onClick={() => void start()} disabled={running}>
            Export {FORMAT_TEXT[format].name}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
