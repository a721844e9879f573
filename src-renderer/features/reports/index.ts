export { ReportChart } from './components/ReportChart';
export { usePeople } from './components/ReportFilters';
export { ReportsScreen } from './components/ReportsScreen';
export { formatReportValue, type MoneyFormat } from './format-report';
export { type LoadProgress, loadReportData } from './load-report-data';
