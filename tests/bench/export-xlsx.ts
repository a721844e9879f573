import { runExportBench } from './bench-export-support';

export const benchId = 'EXPORT-xlsx';

/** 100k contacts to XLSX through the main process's writer vs the library alone (see bench-export-support.ts). */
export async function run(): Promise<void> {
  await runExportBench('xlsx');
}
