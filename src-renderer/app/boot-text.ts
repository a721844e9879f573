import type { MigrationProgress } from '../db/create-database';

/** What the boot screen says while a new version's migration copies this device's records. */
export function upgradingText({ handled, total }: MigrationProgress): string {
  // Before RxDB has counted the records (or when there are none) there is no count worth showing.
  if (total <= 0) return "Updating this device's data for the new version…";
  const percent = Math.min(100, Math.floor((handled / total) * 100));
  return `Updating this device's data for the new version: ${handled.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records (${percent}%). Keep the app open; this happens once.`;
}
