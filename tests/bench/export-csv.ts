import { runExportBench } from './bench-export-support';

export const benchId = 'EXPORT-csv';

/** 100k contacts to CSV through the main process's writer vs the library alone (see bench-export-support.ts). */
export async function run(): Promise<void> {
  await runExportBench('csv');
}
