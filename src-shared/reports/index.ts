export * from './deal-reports';
export * from './lead-reports';
export * from './report-catalog';
export * from './report-types';
export * from './team-reports';
