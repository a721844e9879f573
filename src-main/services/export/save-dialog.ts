import { basename, join } from 'node:path';
import type { ExportFormat } from '../../../src-shared/export/export-columns';

const FILTERS: Readonly<Record<ExportFormat, { name: string; extensions: string[] }>> = {
  csv: { name: 'CSV (comma-separated values)', extensions: ['csv'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  json: { name: 'JSON', extensions: ['json'] },
};

/**
 * Options of Electron's `dialog.showSaveDialog` for one format, opening in `folder`. The suggested
 * name comes from the page, so it loses any folder part (`../../x` suggests `x`).
 */
export function saveDialogOptions(format: ExportFormat, folder: string, suggestedName: string) {
  const name = basename(suggestedName.replaceAll('\\', '/')) || `export.${format}`;
  return {
    title: `Export as ${format.toUpperCase()}`,
    defaultPath: join(folder, name),
    buttonLabel: 'Export',
    filters: [FILTERS[format]],
    properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
  };
}
