// Moved to src-shared so that the report worker and the CLI's reports convert money with the same code.
export * from '../../../src-shared/reports/rate-book';
