import type { ExportFilter } from '../../../../src-shared/export/export-meta';
import type { ReportResult } from '../../../../src-shared/reports';
import { useCan } from '../../../app/crm-context';
import { lazyComponent } from '../../../ui/on-demand';
import { ExportOpener } from './ExportOpener';

/** The dialog, the chart's picture and the export code behind it: fetched on demand, as the list export's. */
const { Component: ReportExportDialog, preload: preloadDialog } = lazyComponent(() =>
  import('./ReportExportDialog').then((m) => m.ReportExportDialog),
);

export interface ReportExportButtonProps {
  readonly title: string;
  /** The report as computed for the filters on screen. */
  readonly result: ReportResult;
  /** The filters on screen, as they read (`Owner: Rita Rep`). */
  readonly filters: readonly ExportFilter[];
  readonly currency: string;
  readonly decimals: number;
  /** Where the chart is drawn, for the PDF's picture of it. */
  readonly chart: () => Element | null;
}

/** "Export…" on a report: the table (and, in a PDF, the chart) with the filters on screen. */
export function ReportExportButton(props: ReportExportButtonProps) {
  const canRead = useCan(props.result.entity, 'read');
  if (!canRead) return null;
  return (
    <ExportOpener
      title="Export this report (CSV, Excel, PDF, JSON)"
      preload={preloadDialog}
      dialog={(close) => <ReportExportDialog {...props} onClose={close} />}
    />
  );
}
