export { ExportButton, type ExportButtonProps } from './components/ExportButton';
export { FORMAT_TEXT } from './components/FormatChoice';
export { ReportExportButton, type ReportExportButtonProps } from './components/ReportExportButton';
export { type ExportSink, openSink } from './export-sinks';
export { type ExportOutcome, type ExportProgress, exportTable, type TableExportDeps } from './run-export';
