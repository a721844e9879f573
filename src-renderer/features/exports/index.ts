export { ExportButton, type ExportButtonProps } from './components/ExportButton';
export { ExportOpener } from './components/ExportOpener';
export { FORMAT_TEXT } from './components/FormatChoice';
export { ReportExportButton, type ReportExportButtonProps } from './components/ReportExportButton';
export { loadExportRunner } from './export-runner';
export type { ExportSink } from './export-sinks';
export type { ExportOutcome, ExportProgress, TableExportDeps } from './run-export';
export { useListExportColumns } from './useListExportColumns';
