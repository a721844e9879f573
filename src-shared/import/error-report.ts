import { csvText } from '../export/export-cells';
import type { ImportPlan, RowProblem } from './import-plan';

/**
 * The row-level report of an import as table rows (header first) for a CSV download: every problem
 * with its row number and column, and every skipped row with the reason, so a user can fix the
 * file and import only what is missing.
 */
export const ERROR_REPORT_HEADER = ['Row', 'Column', 'Problem'] as const;

export function problemText(problem: RowProblem): string {
  const where = problem.column ? `row ${problem.row}, column "${problem.column}"` : `row ${problem.row}`;
  return `${where}: ${problem.problem}`;
}

export function errorReportRows(plan: Pick<ImportPlan, 'rows'>, includeSkipped = true): string[][] {
  const out: string[][] = [[...ERROR_REPORT_HEADER]];
  for (const row of plan.rows) {
    // The file's headers and values come back here: guarded as exports are, so none opens as a formula.
    for (const p of row.problems) out.push([String(p.row), csvText(p.column), csvText(p.problem)]);
    if (includeSkipped && row.action === 'skip' && row.reason !== undefined && row.reason !== 'empty row') {
      out.push([String(row.row), '', csvText(`skipped: ${row.reason}`)]);
    }
  }
  return out;
}

/** The localStorage key a remembered column mapping is kept under: one per entity and header set. */
export function mappingMemoryKey(entity: string, headers: readonly string[]): string {
  const set = [...headers]
    .map((h) => h.trim().toLowerCase())
    .sort()
    .join('\u001f');
  let hash = 5381;
  for (let i = 0; i < set.length; i++) hash = ((hash * 33) ^ set.charCodeAt(i)) >>> 0;
  return `crm.import.mapping.${entity}.${hash.toString(36)}`;
}
